package com.powerwatch.platform.report;

/**
 * One column of a report table: the key of its value in each row, the Chinese heading, how the value is shown
 * (Excel number formats and PDF alignment follow from it) and a width in characters.
 */
public record ReportColumn(String key, String title, Kind kind, int width) {

    /** TEXT and DATE are strings; INTEGER and DECIMAL numbers; PERCENT a number 0–100 (null = cannot be judged). */
    public enum Kind { TEXT, DATE, INTEGER, DECIMAL, PERCENT }

    public static ReportColumn text(String key, String title, int width) {
        return new ReportColumn(key, title, Kind.TEXT, width);
    }

    public static ReportColumn count(String key, String title) {
        return new ReportColumn(key, title, Kind.INTEGER, Math.max(8, title.length() * 2 + 2));
    }

    public static ReportColumn decimal(String key, String title) {
        return new ReportColumn(key, title, Kind.DECIMAL, Math.max(10, title.length() * 2 + 2));
    }

    public static ReportColumn percent(String key, String title) {
        return new ReportColumn(key, title, Kind.PERCENT, Math.max(8, title.length() * 2 + 2));
    }

    public boolean numeric() {
        return kind == Kind.INTEGER || kind == Kind.DECIMAL || kind == Kind.PERCENT;
    }
}
