package com.powerwatch.platform.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of a report: a heading, key figures above the table (label → value), the table (rows keyed by
 * column key), an optional total row, and notes that say how the figures were counted. What the screen, the Excel
 * sheet and the PDF page all show.
 */
public record ReportTable(String title, Map<String, Object> figures, List<ReportColumn> columns,
                          List<Map<String, Object>> rows, Map<String, Object> total, List<String> notes) {

    public ReportTable {
        figures = figures == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A section built step by step. */
    public static Builder of(String title) {
        return new Builder(title);
    }

    public static final class Builder {
        private final String title;
        private final Map<String, Object> figures = new LinkedHashMap<>();
        private final List<ReportColumn> columns = new ArrayList<>();
        private final List<Map<String, Object>> rows = new ArrayList<>();
        private Map<String, Object> total;
        private final List<String> notes = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        public Builder figure(String label, Object value) {
            figures.put(label, value);
            return this;
        }

        public Builder column(ReportColumn c) {
            columns.add(c);
            return this;
        }

        public Builder columns(List<ReportColumn> cs) {
            columns.addAll(cs);
            return this;
        }

        public Builder row(Map<String, Object> row) {
            rows.add(row);
            return this;
        }

        public Builder rows(List<Map<String, Object>> rs) {
            rows.addAll(rs);
            return this;
        }

        /** The total row: the sum of every INTEGER and DECIMAL column, {@code label} in the first column. */
        public Builder sumTotal(String label) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put(columns.get(0).key(), label);
            for (ReportColumn c : columns) {
                boolean any = rows.stream().anyMatch(r -> r.get(c.key()) instanceof Number);
                if (!any && c.numeric()) {
                    t.put(c.key(), rows.isEmpty() && c.kind() == ReportColumn.Kind.INTEGER ? 0L : null);
                } else if (c.kind() == ReportColumn.Kind.INTEGER) {
                    t.put(c.key(), rows.stream().mapToLong(r -> r.get(c.key()) instanceof Number n ? n.longValue() : 0).sum());
                } else if (c.kind() == ReportColumn.Kind.DECIMAL) {
                    t.put(c.key(), Figures.round(rows.stream().mapToDouble(r -> r.get(c.key()) instanceof Number n ? n.doubleValue() : 0).sum(), 2));
                }
            }
            this.total = t;
            return this;
        }

        /** Sets (or adds to) the total row. */
        public Builder total(String key, Object value) {
            if (total == null) {
                total = new LinkedHashMap<>();
            }
            total.put(key, value);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public List<Map<String, Object>> rowList() {
            return rows;
        }

        public ReportTable build() {
            return new ReportTable(title, figures, columns, rows, total, notes);
        }
    }
}
