package com.powerwatch.platform.alarm;

/** How severe an alarm is: 一级 (most severe) / 二级 / 三级 / 提示. Declared from the most severe down. */
public enum AlarmLevel {
    LEVEL_1("一级"), LEVEL_2("二级"), LEVEL_3("三级"), NOTICE("提示");

    private final String label;

    AlarmLevel(String label) {
        this.label = label;
    }

    /** The Chinese name shown to users. */
    public String label() {
        return label;
    }

    /** One level more severe, never above {@code ceiling} (and never above LEVEL_1). */
    public AlarmLevel up(AlarmLevel ceiling) {
        if (ordinal() <= ceiling.ordinal()) {
            return this;
        }
        return values()[ordinal() - 1];
    }

    public boolean moreSevereThan(AlarmLevel other) {
        return ordinal() < other.ordinal();
    }
}
