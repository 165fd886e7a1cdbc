package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 治污生产报警统计: per enterprise, the alarms about treatment facilities (未开启, 停运, 运行异常, 启停顺序, 治污占比) and
 * about production under orders (停产期间生产, 限产不达标, 超负荷) — one column per type of the catalogue.
 */
@Component
class TreatmentProductionAlarmReport implements NamedReport {

    private final NamedParameterJdbcTemplate jdbc;

    TreatmentProductionAlarmReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "TREATMENT_PRODUCTION_ALARMS";
    }

    @Override
    public String title() {
        return "治污生产报警统计";
    }

    @Override
    public String description() {
        return "每家企业本期治污设施类和生产管控类报警，按报警类型分列";
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        List<Map<String, Object>> types = jdbc.query("select code, name from alarm_type where category in ('TREATMENT', 'PRODUCTION')"
                + " order by sort_order", Map.of(), Rows.MAP);
        MapSqlParameterSource p = new MapSqlParameterSource();
        Map<Long, Map<String, Object>> byEnterprise = new LinkedHashMap<>();
        jdbc.query("select e.id, min(r.name) as district, min(e.name) as enterprise, min(ig.name) as industry, a.type, count(*) as n"
                + AlarmSql.FROM + AlarmSql.where(q, p) + " and t.category in ('TREATMENT', 'PRODUCTION') group by e.id, a.type", p, rs -> {
            Map<String, Object> row = byEnterprise.computeIfAbsent(rs.getLong("id"), id -> {
                Map<String, Object> m = new LinkedHashMap<>();
                try {
                    m.put("district", rs.getString("district"));
                    m.put("enterprise", rs.getString("enterprise"));
                    m.put("industry", rs.getString("industry"));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                for (Map<String, Object> t : types) {
                    m.put((String) t.get("code"), 0L);
                }
                m.put("total", 0L);
                return m;
            });
            row.put(rs.getString("type"), rs.getLong("n"));
            row.put("total", Rows.n(row, "total") + rs.getLong("n"));
        });
        List<Map<String, Object>> rows = new ArrayList<>(byEnterprise.values());
        rows.sort((x, y) -> Long.compare(Rows.n(y, "total"), Rows.n(x, "total")) != 0 ? Long.compare(Rows.n(y, "total"), Rows.n(x, "total"))
                : String.valueOf(x.get("enterprise")).compareTo(String.valueOf(y.get("enterprise"))));
        ReportTable.Builder t = ReportTable.of(title()).column(ReportColumn.text("district", "区县", 10))
                .column(ReportColumn.text("enterprise", "企业名称", 26)).column(ReportColumn.text("industry", "行业", 14));
        for (Map<String, Object> type : types) {
            t.column(ReportColumn.count((String) type.get("code"), (String) type.get("name")));
        }
        t.column(ReportColumn.count("total", "合计")).rows(rows).sumTotal("合计");
        long treatment = 0;
        long production = 0;
        for (Map<String, Object> r : rows) {
            for (Map<String, Object> type : types) {
                String code = (String) type.get("code");
                if (code.startsWith("TREATMENT") || code.equals("START_STOP_ORDER")) {
                    treatment += Rows.n(r, code);
                } else {
                    production += Rows.n(r, code);
                }
            }
        }
        return List.of(t.figure("涉及企业数", rows.size()).figure("治污设施类报警", treatment).figure("生产管控类报警", production)
                .note("治污设施类：治污设施未开启、停运、运行异常、启停顺序异常、治污用电占比异常；生产管控类：停产期间生产、限产不达标、超负荷生产。按报警开始时间计入周期。")
                .build());
    }
}
