package com.powerwatch.platform.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A finished report: what it is, over which period and region, for whom it was generated, and its sections. The
 * screen (JSON), the Excel workbook and the PDF are three renderings of the same document, so they never disagree.
 *
 * @param code        the named report (ALARM_SUMMARY …), DAILY/WEEKLY/MONTHLY, or CUSTOM
 * @param regionLabel the region as officers name it (西安市 / 雁塔区 / 全部管辖区域)
 * @param scopeLabel  whose scope the figures are limited to (the caller's districts or enterprise)
 */
public record ReportDocument(String code, String title, LocalDate from, LocalDate to, String regionLabel, String scopeLabel,
                             Instant generatedAt, String generatedBy, List<ReportTable> sections) {

    public ReportDocument {
        sections = List.copyOf(sections);
    }

    /** 2026-11-01 至 2026-11-30, or one day. */
    public String periodLabel() {
        return from.equals(to) ? from.toString() : from + " 至 " + to;
    }
}
