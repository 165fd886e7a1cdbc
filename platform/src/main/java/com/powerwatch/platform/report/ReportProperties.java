package com.powerwatch.platform.report;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.LocalTime;

/**
 * {@code powerwatch.report.*} (docs/reports.md).
 *
 * @param maxPeriodDays  longest period a report may cover (400 naming {@code to} beyond it)
 * @param maxRows        rows one table may hold; longer tables are cut and say so (Excel and PDF alike)
 * @param font           the CJK font embedded (subset) in PDFs: a .ttf/.otf, or a .ttc with ",index"
 * @param transmission   设备传输情况统计: the interval assumed for a point that sent nothing, and the daily target
 * @param schedule       日报/周报/月报 and scheduled templates: whether and when they are generated, how long kept
 * @param custom         the custom report builder: most groups one report may have, templates per user
 * @param eventsInterval how often the ingest machinery is sampled for 系统运行异常信息事件 (consumer retries, journal refusals)
 * @param emergencyMinCoverage 区县应急预案达标统计: an enterprise without a violation is 达标 only when its meters sent data in
 *                       at least this share (%) of the hours under orders; below it the verdict is 无法判断
 */
@ConfigurationProperties(prefix = "powerwatch.report")
public record ReportProperties(@DefaultValue("366") int maxPeriodDays,
                               @DefaultValue("20000") int maxRows,
                               @DefaultValue("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,2") String font,
                               @DefaultValue Transmission transmission,
                               @DefaultValue Schedule schedule,
                               @DefaultValue Custom custom,
                               @DefaultValue("80") double emergencyMinCoverage,
                               @DefaultValue("30s") Duration eventsInterval) {

    /**
     * @param defaultInterval reporting interval assumed for a point with no sample in the period (its expected count)
     * @param dailyTarget     a day counts as complete (达标) at this completeness, percent (energy-monitoring spec: 90)
     */
    public record Transmission(@DefaultValue("1m") Duration defaultInterval, @DefaultValue("90") double dailyTarget) {
    }

    /**
     * @param enabled        generate periodic reports at all
     * @param check          how often the scheduler looks for a period that has ended and has no report yet
     * @param generateAfter  China time after which yesterday's (last week's, last month's) report is generated, so
     *                       that late data and re-sent history are in
     * @param retentionDays  archived reports older than this (by generation time) are deleted
     * @param catchUpDays    after a long stop, daily reports are caught up for at most this many past days
     */
    public record Schedule(@DefaultValue("true") boolean enabled, @DefaultValue("10m") Duration check,
                           @DefaultValue("01:00") LocalTime generateAfter, @DefaultValue("400") int retentionDays,
                           @DefaultValue("7") int catchUpDays) {
    }

    /**
     * @param maxGroups          rows (groups) one custom report may return; more is cut and said so
     * @param maxTemplatesPerUser templates one user may keep
     */
    public record Custom(@DefaultValue("5000") int maxGroups, @DefaultValue("50") int maxTemplatesPerUser) {
    }
}
