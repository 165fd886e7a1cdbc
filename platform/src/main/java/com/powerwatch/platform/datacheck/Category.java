package com.powerwatch.platform.datacheck;

/** The three groups of the O&M requirement (采集数据核查). */
public enum Category {
    ARCHIVE_COMPLETENESS("备案数据完整性"),
    COLLECTION_COMPLETENESS("采集数据完整性"),
    DATA_QUALITY("采集数据质量");

    private final String nameZh;

    Category(String nameZh) {
        this.nameZh = nameZh;
    }

    public String nameZh() {
        return nameZh;
    }
}
