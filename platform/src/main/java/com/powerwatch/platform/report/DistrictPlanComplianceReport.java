package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 区县应急预案达标统计: per district, the enterprises obliged by emergency stop/limit orders in the period and their
 * verdict — 未达标 when the engine raised 停产期间生产 or 限产不达标 while the order held; 无法判断 when it did not but the
 * enterprise's meters sent data in fewer than {@code emergency-min-coverage} percent of the hours (never "compliant"
 * without data); 达标 otherwise. 达标率 = 达标 ÷ 应执行. A second table names the enterprises not judged 达标.
 */
@Component
class DistrictPlanComplianceReport implements NamedReport {

    private final NamedParameterJdbcTemplate jdbc;
    private final double minCoverage;

    DistrictPlanComplianceReport(NamedParameterJdbcTemplate jdbc, ReportProperties properties) {
        this.jdbc = jdbc;
        this.minCoverage = properties.emergencyMinCoverage();
    }

    @Override
    public String code() {
        return "DISTRICT_PLAN_COMPLIANCE";
    }

    @Override
    public String title() {
        return "区县应急预案达标统计";
    }

    @Override
    public String description() {
        return "各区县应执行应急停产、限产措施的企业数，达标、未达标、无法判断（数据不足）的企业数和达标率";
    }

    /** Per obliged enterprise: measures, hours under orders, hours with data, violations. */
    List<Map<String, Object>> enterprises(ReportQuery q) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        List<Map<String, Object>> rows = jdbc.query(EmergencyOrders.windows(q, p) + """
                , ent as (
                  select enterprise_id, bool_or(kind = 'STOP') as stop, bool_or(kind = 'LIMIT') as lim,
                         sum(floor(extract(epoch from wt - wf) / 3600)) as hours from ow group by 1),
                viol as (
                  select ow.enterprise_id, count(distinct a.id) as violations from ow join alarm a on a.enterprise_id = ow.enterprise_id
                  and a.type in """ + EmergencyOrders.VIOLATIONS + """
                   and a.started_at >= ow.wf and a.started_at < ow.wt group by 1),
                cov as (
                  select ow.enterprise_id, count(distinct a.bucket) as data_hours from ow
                  join facility f on f.enterprise_id = ow.enterprise_id join monitoring_point mp on mp.facility_id = f.id
                  join point_agg a on a.point_id = mp.id and a.grain = '1h' and a.bucket >= ow.wf and a.bucket < ow.wt and a.n > 0
                  group by 1)
                select e.id, e.name as enterprise, e.district_code, coalesce(r.name, e.district_code) as district,
                       ent.stop, ent.lim, ent.hours, coalesce(viol.violations, 0) as violations, coalesce(cov.data_hours, 0) as data_hours
                from ent join enterprise e on e.id = ent.enterprise_id left join region r on r.code = e.district_code
                left join viol on viol.enterprise_id = ent.enterprise_id left join cov on cov.enterprise_id = ent.enterprise_id
                order by e.district_code, e.name, e.id""", p, Rows.MAP);
        for (Map<String, Object> r : rows) {
            Double coverage = Figures.percent(Rows.d(r, "data_hours"), Rows.d(r, "hours"));
            r.put("coverage", coverage);
            r.put("measure", Boolean.TRUE.equals(r.get("stop")) ? (Boolean.TRUE.equals(r.get("lim")) ? "停产、限产" : "停产") : "限产");
            String verdict = Rows.n(r, "violations") > 0 ? "未达标" : coverage == null || coverage < minCoverage ? "无法判断" : "达标";
            r.put("verdict", verdict);
        }
        return rows;
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        List<Map<String, Object>> enterprises = enterprises(q);
        Map<String, Map<String, Object>> districts = new LinkedHashMap<>();
        for (Map<String, Object> e : enterprises) {
            Map<String, Object> d = districts.computeIfAbsent((String) e.get("district_code"), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", k);
                m.put("district", e.get("district"));
                for (String c : List.of("obliged", "stop", "limit", "compliant", "violated", "undetermined")) {
                    m.put(c, 0L);
                }
                return m;
            });
            inc(d, "obliged");
            if (Boolean.TRUE.equals(e.get("stop"))) {
                inc(d, "stop");
            }
            if (Boolean.TRUE.equals(e.get("lim"))) {
                inc(d, "limit");
            }
            inc(d, switch ((String) e.get("verdict")) {
                case "达标" -> "compliant";
                case "未达标" -> "violated";
                default -> "undetermined";
            });
        }
        List<Map<String, Object>> rows = new ArrayList<>(districts.values());
        for (Map<String, Object> d : rows) {
            d.put("rate", Figures.percent(Rows.n(d, "compliant"), Rows.n(d, "obliged")));
        }
        rows.sort((a, b) -> {
            Double x = (Double) a.get("rate");
            Double y = (Double) b.get("rate");
            return Double.compare(y == null ? -1 : y, x == null ? -1 : x);
        });
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).put("rank", (long) i + 1);
        }
        ReportTable.Builder t = ReportTable.of(title()).columns(List.of(ReportColumn.count("rank", "排名"),
                        ReportColumn.text("district", "区县", 12), ReportColumn.count("obliged", "应执行企业"), ReportColumn.count("stop", "停产企业"),
                        ReportColumn.count("limit", "限产企业"), ReportColumn.count("compliant", "达标"), ReportColumn.count("violated", "未达标"),
                        ReportColumn.count("undetermined", "无法判断"), ReportColumn.percent("rate", "达标率")))
                .rows(rows).sumTotal("合计").total("rank", "合计").total("district", null);
        Map<String, Object> total = t.build().total();
        Double rate = Figures.percent(Rows.n(total, "compliant"), Rows.n(total, "obliged"));
        t.total("rate", rate);
        t.figure("应执行企业", Rows.n(total, "obliged")).figure("达标", Rows.n(total, "compliant"))
                .figure("未达标", Rows.n(total, "violated")).figure("无法判断", Rows.n(total, "undetermined"))
                .figure("达标率", rate == null ? "—" : rate + "%")
                .note("应执行 = 本期内有重污染天气应急停产、限产令的企业；未达标 = 管控时段内出现停产期间生产或限产不达标报警；"
                        + "无法判断 = 无上述报警，但有数据的小时数不足管控小时数的 " + (long) minCoverage + "%；达标率 = 达标 ÷ 应执行。"
                        + "自主减排（A级、引领性）企业无停限产令，不在统计之内。");
        List<Map<String, Object>> notKept = enterprises.stream().filter(e -> !"达标".equals(e.get("verdict"))).toList();
        ReportTable detail = ReportTable.of("未达标及无法判断的企业").columns(List.of(ReportColumn.text("district", "区县", 12),
                        ReportColumn.text("enterprise", "企业名称", 28), ReportColumn.text("measure", "措施", 10),
                        ReportColumn.text("verdict", "结论", 10), ReportColumn.count("violations", "违规报警"),
                        ReportColumn.count("hours", "管控小时"), ReportColumn.count("data_hours", "有数据小时"),
                        ReportColumn.percent("coverage", "数据覆盖率")))
                .rows(notKept).build();
        return List.of(t.build(), detail);
    }

    private static void inc(Map<String, Object> m, String key) {
        m.put(key, Rows.n(m, key) + 1);
    }
}
