package com.powerwatch.platform.report;

import java.util.List;

/**
 * One of the reports the requirements name (统计报表). Each counts in SQL within {@link ReportQuery#enterpriseWhere}
 * (scope and region) and returns its sections; the framework adds the heading, renders and delivers.
 */
public interface NamedReport {

    /** ALARM_SUMMARY, ALARM_HANDLING … (the URL and the archive name it). */
    String code();

    /** The name officers know it by: 企业报警情况汇总 … */
    String title();

    /** One sentence: what it counts. */
    String description();

    /** The options it takes (by, limit …) as shown on the page. */
    default List<Option> options() {
        return List.of();
    }

    List<ReportTable> sections(ReportQuery q);

    /** A choice the page offers: {@code key} with allowed values and their names, the first one the default. */
    record Option(String key, String label, List<Choice> choices) {
    }

    record Choice(String value, String label) {
    }
}
