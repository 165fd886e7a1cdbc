package com.powerwatch.platform.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whitelist of the custom report builder: each dataset names its FROM clause, its time column, and the measures
 * and filters a user may choose — every one a fixed SQL fragment written here. A user's report is only a choice among
 * these names (validated), with values bound as parameters; no text from the user ever becomes SQL.
 */
enum CustomDataset {

    ALARMS("报警", " from alarm a join enterprise e on e.id = a.enterprise_id join alarm_type t on t.code = a.type"
            + " left join region r on r.code = e.district_code left join industry ig on ig.code = left(e.industry_code, 2)",
            "a.started_at", measures(
            m("alarms", "报警数", "count(*)", ReportColumn.Kind.INTEGER),
            m("level1", "一级", "count(*) filter (where a.level = 'LEVEL_1')", ReportColumn.Kind.INTEGER),
            m("level2", "二级", "count(*) filter (where a.level = 'LEVEL_2')", ReportColumn.Kind.INTEGER),
            m("level3", "三级", "count(*) filter (where a.level = 'LEVEL_3')", ReportColumn.Kind.INTEGER),
            m("notice", "提示", "count(*) filter (where a.level = 'NOTICE')", ReportColumn.Kind.INTEGER),
            m("open", "仍在报警", "count(*) filter (where a.status = 'ACTIVE' and a.handling <> 'CANCELLED')", ReportColumn.Kind.INTEGER),
            m("disposed", "已处置", "count(*) filter (where a.handling <> 'UNCONFIRMED')", ReportColumn.Kind.INTEGER),
            m("disposedRate", "处置率", "round(100.0 * count(*) filter (where a.handling <> 'UNCONFIRMED') / nullif(count(*), 0), 1)",
                    ReportColumn.Kind.PERCENT),
            m("enterprises", "涉及企业", "count(distinct a.enterprise_id)", ReportColumn.Kind.INTEGER),
            m("avgHours", "平均持续(小时)", "round((avg(extract(epoch from coalesce(a.ended_at, :now) - a.started_at)) / 3600)::numeric, 2)",
                    ReportColumn.Kind.DECIMAL)),
            List.of("levels", "categories", "types", "handling")),

    ENERGY("用电", " from point_agg a join monitoring_point mp on mp.id = a.point_id join facility f on f.id = mp.facility_id"
            + " join enterprise e on e.id = f.enterprise_id left join region r on r.code = e.district_code"
            + " left join industry ig on ig.code = left(e.industry_code, 2)",
            "a.bucket", measures(
            m("kwh", "用电量(kWh)", "round(sum(a.energy)::numeric, 2)", ReportColumn.Kind.DECIMAL),
            m("productionKwh", "生产用电(kWh)", "round((sum(a.energy) filter (where f.kind = 'PRODUCTION'))::numeric, 2)", ReportColumn.Kind.DECIMAL),
            m("treatmentKwh", "治污用电(kWh)", "round((sum(a.energy) filter (where f.kind = 'TREATMENT'))::numeric, 2)", ReportColumn.Kind.DECIMAL),
            m("totalMeterKwh", "总表用电(kWh)", "round((sum(a.energy) filter (where f.kind = 'TOTAL'))::numeric, 2)", ReportColumn.Kind.DECIMAL),
            m("treatmentShare", "治污占比", "round((100.0 * sum(a.energy) filter (where f.kind = 'TREATMENT')"
                    + " / nullif(sum(a.energy) filter (where f.kind in ('PRODUCTION', 'TREATMENT')), 0))::numeric, 1)", ReportColumn.Kind.PERCENT),
            m("maxKw", "最大功率(kW)", "round(max(a.p_max)::numeric, 2)", ReportColumn.Kind.DECIMAL),
            m("points", "监测点数", "count(distinct mp.id)", ReportColumn.Kind.INTEGER),
            m("enterprises", "企业数", "count(distinct e.id)", ReportColumn.Kind.INTEGER)),
            List.of("facilityKinds")),

    TRANSMISSION("传输", " from point_agg a join monitoring_point mp on mp.id = a.point_id join facility f on f.id = mp.facility_id"
            + " join enterprise e on e.id = f.enterprise_id left join region r on r.code = e.district_code"
            + " left join industry ig on ig.code = left(e.industry_code, 2)",
            "a.bucket", measures(
            m("samples", "数据条数", "sum(a.n)", ReportColumn.Kind.INTEGER),
            m("hoursWithData", "有数据小时数", "count(*) filter (where a.n > 0)", ReportColumn.Kind.INTEGER),
            m("points", "有数据监测点", "count(distinct mp.id) filter (where a.n > 0)", ReportColumn.Kind.INTEGER),
            m("loggers", "有数据数采仪", "count(distinct mp.mn) filter (where a.n > 0)", ReportColumn.Kind.INTEGER),
            m("enterprises", "有数据企业", "count(distinct e.id) filter (where a.n > 0)", ReportColumn.Kind.INTEGER)),
            List.of("facilityKinds"));

    /**
     * One measure: its name in the spec, its heading, the aggregate SQL and how it is shown; {@code additive}: groups'
     * values add up to the total (counts and sums — not ratios, maxima, means or distinct counts).
     */
    record Measure(String key, String title, String sql, ReportColumn.Kind kind, boolean additive) {
    }

    /** One grouping: the key and label SQL (given the dataset's time column for time groupings). */
    enum Dimension {
        DISTRICT("区县", "e.district_code", "coalesce(min(r.name), e.district_code)"),
        INDUSTRY("行业", "coalesce(left(e.industry_code, 2), '')", "coalesce(min(ig.name), '未分类')"),
        ENTERPRISE("企业", "e.id", "min(e.name)"),
        DAY("日", "(%s at time zone 'Asia/Shanghai')::date", null),
        WEEK("周", "date_trunc('week', %s at time zone 'Asia/Shanghai')::date", null),
        MONTH("月", "date_trunc('month', %s at time zone 'Asia/Shanghai')::date", null);

        final String title;
        final String key;
        final String label;

        Dimension(String title, String key, String label) {
            this.title = title;
            this.key = key;
            this.label = label;
        }

        boolean time() {
            return label == null;
        }

        String key(String timeColumn) {
            return time() ? key.formatted(timeColumn) : key;
        }
    }

    final String title;
    final String from;
    final String time;
    final Map<String, Measure> measures;
    final List<String> filters;

    CustomDataset(String title, String from, String time, Map<String, Measure> measures, List<String> filters) {
        this.title = title;
        this.from = from;
        this.time = time;
        this.measures = measures;
        this.filters = filters;
    }

    /** The grain of point_agg the dataset reads (null: not point_agg). */
    String grain() {
        return switch (this) {
            case ALARMS -> null;
            case ENERGY -> "1d";
            case TRANSMISSION -> "1h";
        };
    }

    private static Measure m(String key, String title, String sql, ReportColumn.Kind kind) {
        boolean additive = kind != ReportColumn.Kind.PERCENT && !sql.contains("distinct") && !sql.contains("max(") && !sql.contains("avg(");
        return new Measure(key, title, sql, kind, additive);
    }

    private static Map<String, Measure> measures(Measure... ms) {
        Map<String, Measure> out = new LinkedHashMap<>();
        for (Measure x : ms) {
            out.put(x.key(), x);
        }
        return out;
    }
}
