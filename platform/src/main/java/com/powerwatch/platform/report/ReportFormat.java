package com.powerwatch.platform.report;

import java.text.DecimalFormat;

/** A value as text, the way the PDF prints it: thousands separators, percentages with one decimal, "—" for unknown. */
final class ReportFormat {

    private ReportFormat() {
    }

    static String text(Object v, ReportColumn c) {
        if (v == null) {
            return c != null && c.numeric() ? "—" : "";
        }
        if (v instanceof Number n) {
            ReportColumn.Kind kind = c == null ? (v instanceof Double || v instanceof Float ? ReportColumn.Kind.DECIMAL
                    : ReportColumn.Kind.INTEGER) : c.kind();
            return switch (kind) {
                case PERCENT -> new DecimalFormat("0.0").format(n.doubleValue()) + "%";
                case DECIMAL -> new DecimalFormat("#,##0.00").format(n.doubleValue());
                case INTEGER -> new DecimalFormat("#,##0").format(n.doubleValue());
                default -> n.toString();
            };
        }
        return v.toString();
    }
}
