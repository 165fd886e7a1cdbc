package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** 企业报警情况汇总: per enterprise with alarms in the period, by level, by category and by what became of them. */
@Component
class AlarmSummaryReport implements NamedReport {

    static final List<ReportColumn> COLUMNS = List.of(
            ReportColumn.text("district", "区县", 10), ReportColumn.text("enterprise", "企业名称", 28),
            ReportColumn.text("industry", "行业", 16), ReportColumn.count("total", "报警总数"),
            ReportColumn.count("level_1", "一级"), ReportColumn.count("level_2", "二级"), ReportColumn.count("level_3", "三级"),
            ReportColumn.count("notice", "提示"), ReportColumn.count("treatment", "治污设施"), ReportColumn.count("production", "生产管控"),
            ReportColumn.count("data", "通讯与数据质量"), ReportColumn.count("warning", "预警"), ReportColumn.count("recovered", "已恢复"),
            ReportColumn.count("open", "仍在报警"), ReportColumn.count("disposed", "已处置"), ReportColumn.percent("disposedRate", "处置率"));

    private final NamedParameterJdbcTemplate jdbc;

    AlarmSummaryReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "ALARM_SUMMARY";
    }

    @Override
    public String title() {
        return "企业报警情况汇总";
    }

    @Override
    public String description() {
        return "每家企业本期报警数：按级别、类别，已恢复、仍在报警、已处置（确认、处理或取消）及处置率";
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        List<Map<String, Object>> rows = jdbc.query("select min(r.name) as district, min(e.name) as enterprise, min(ig.name) as industry, "
                + AlarmSql.COUNTS + AlarmSql.FROM + AlarmSql.where(q, p)
                + " group by e.id order by total desc, enterprise, e.id", p, Rows.MAP);
        for (Map<String, Object> r : rows) {
            disposed(r);
        }
        ReportTable.Builder t = ReportTable.of(title()).columns(COLUMNS).rows(rows).sumTotal("合计");
        Map<String, Object> total = t.build().total();
        long all = Rows.n(total, "total");
        long disposed = Rows.n(total, "disposed");
        t.total("disposedRate", Figures.percent(disposed, all));
        return List.of(t.figure("报警企业数", rows.size()).figure("报警总数", all).figure("一级报警", Rows.n(total, "level_1"))
                .figure("处置率", Figures.percent(disposed, all) == null ? "—" : Figures.percent(disposed, all) + "%")
                .note("按报警开始时间（北京时间）计入统计周期；已处置 = 已确认、已处理或已取消；仍在报警 = 未恢复且未取消。")
                .build());
    }

    /** 已处置 = confirmed, handled or cancelled: anything a person did; the rate over all alarms of the row. */
    static void disposed(Map<String, Object> r) {
        long disposed = Rows.n(r, "total") - Rows.n(r, "unconfirmed");
        r.put("disposed", disposed);
        r.put("disposedRate", Figures.percent(disposed, Rows.n(r, "total")));
    }
}
