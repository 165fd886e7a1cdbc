package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 用电情况统计: electricity per enterprise (or summed per district or industry) from the daily aggregates of the
 * meters: total, production and treatment kWh, the treatment share, the daily mean, the previous period of the same
 * length and the change against it (环比).
 */
@Component
class EnergyUsageReport implements NamedReport {

    static final List<Choice> GROUPS = List.of(new Choice("enterprise", "按企业"), new Choice("district", "按区县"),
            new Choice("industry", "按行业"));

    private final NamedParameterJdbcTemplate jdbc;

    EnergyUsageReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "ENERGY_USAGE";
    }

    @Override
    public String title() {
        return "用电情况统计";
    }

    @Override
    public String description() {
        return "本期用电量（总用电、生产、治污）、治污占比、日均用电，与上一个等长周期相比的环比";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("by", "统计维度", GROUPS));
    }

    /** Per enterprise with meters: kWh by facility kind in the period and in the previous period of the same length. */
    List<Map<String, Object>> enterprises(ReportQuery q) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = q.enterpriseWhere(p);
        p.addValue("prev", Timestamp.from(q.from().minusDays(q.days()).atStartOfDay(ReportQuery.CHINA).toInstant()));
        List<Map<String, Object>> rows = jdbc.query("""
                select e.id, min(e.name) as enterprise, min(e.district_code) as district_code, min(r.name) as district,
                       coalesce(left(min(e.industry_code), 2), '') as industry_code, coalesce(min(ig.name), '未分类') as industry,
                       sum(a.energy) filter (where a.bucket >= :from and f.kind = 'TOTAL') as total_meter,
                       sum(a.energy) filter (where a.bucket >= :from and f.kind = 'PRODUCTION') as production,
                       sum(a.energy) filter (where a.bucket >= :from and f.kind = 'TREATMENT') as treatment,
                       sum(a.energy) filter (where a.bucket < :from and f.kind = 'TOTAL') as prev_total_meter,
                       sum(a.energy) filter (where a.bucket < :from and f.kind in ('PRODUCTION', 'TREATMENT')) as prev_sub
                from enterprise e
                join facility f on f.enterprise_id = e.id
                join monitoring_point mp on mp.facility_id = f.id
                left join region r on r.code = e.district_code
                left join industry ig on ig.code = left(e.industry_code, 2)
                left join point_agg a on a.point_id = mp.id and a.grain = '1d' and a.bucket >= :prev and a.bucket < :to
                where e.status = 'ACTIVE' and """ + " " + where + " group by e.id order by min(e.district_code), min(e.name), e.id", p, Rows.MAP);
        for (Map<String, Object> r : rows) {
            // 总用电: the total meter when the enterprise has one with energy, else production + treatment
            Object total = r.get("total_meter") != null ? r.get("total_meter")
                    : r.get("production") == null && r.get("treatment") == null ? null : Rows.d(r, "production") + Rows.d(r, "treatment");
            Object prev = r.get("prev_total_meter") != null ? r.get("prev_total_meter") : r.get("prev_sub");
            r.put("total", total);
            r.put("previous", prev);
        }
        return rows;
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        String by = q.option("by", "enterprise");
        if (GROUPS.stream().noneMatch(c -> c.value().equals(by))) {
            throw ApiException.badRequest("by", "统计维度 by 应为 enterprise（企业）、district（区县）或 industry（行业）");
        }
        List<Map<String, Object>> rows = enterprises(q);
        if (!by.equals("enterprise")) {
            Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
            for (Map<String, Object> r : rows) {
                String key = (String) r.get(by + "_code");
                Map<String, Object> g = groups.computeIfAbsent(key, k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", k);
                    m.put("name", r.get(by));
                    m.put("enterprises", 0L);
                    return m;
                });
                g.put("enterprises", Rows.n(g, "enterprises") + 1);
                for (String k : List.of("total", "production", "treatment", "previous")) {
                    if (r.get(k) != null) {
                        g.put(k, Rows.d(g, k) + Rows.d(r, k));
                    }
                }
            }
            rows = new ArrayList<>(groups.values());
        }
        for (Map<String, Object> r : rows) {
            derived(r, q.days());
        }
        List<ReportColumn> columns = new ArrayList<>();
        if (by.equals("enterprise")) {
            columns.add(ReportColumn.text("district", "区县", 10));
            columns.add(ReportColumn.text("enterprise", "企业名称", 28));
            columns.add(ReportColumn.text("industry", "行业", 16));
        } else {
            columns.add(ReportColumn.text("name", by.equals("district") ? "区县" : "行业", 16));
            columns.add(ReportColumn.count("enterprises", "企业数"));
        }
        columns.addAll(List.of(ReportColumn.decimal("total", "总用电(kWh)"), ReportColumn.decimal("production", "生产用电(kWh)"),
                ReportColumn.decimal("treatment", "治污用电(kWh)"), ReportColumn.percent("treatmentShare", "治污占比"),
                ReportColumn.decimal("daily", "日均用电(kWh)"), ReportColumn.decimal("previous", "上期用电(kWh)"),
                ReportColumn.percent("change", "环比")));
        ReportTable.Builder t = ReportTable.of(title()).columns(columns).rows(rows).sumTotal("合计");
        Map<String, Object> total = new LinkedHashMap<>(t.build().total());
        derived(total, q.days());
        for (String k : List.of("treatmentShare", "daily", "change")) {
            t.total(k, total.get(k));
        }
        return List.of(t.figure("总用电(kWh)", total.get("total")).figure("治污占比", total.get("treatmentShare") == null ? "—" : total.get("treatmentShare") + "%")
                .figure("环比", total.get("change") == null ? "—" : total.get("change") + "%")
                .note("电量取各监测点按日（北京时间）累计的电量；总用电取总表，无总表的企业取生产与治污用电之和；治污占比 = 治污 ÷ (生产 + 治污)；"
                        + "上期为紧接本期之前、天数相同的周期，环比 = (本期 − 上期) ÷ 上期。")
                .build());
    }

    private static void derived(Map<String, Object> r, int days) {
        for (String k : List.of("total", "production", "treatment", "previous")) {
            if (r.get(k) != null) {
                r.put(k, Figures.round(Rows.d(r, k), 2));
            }
        }
        double sub = Rows.d(r, "production") + Rows.d(r, "treatment");
        r.put("treatmentShare", r.get("treatment") == null ? null : Figures.percent(Rows.d(r, "treatment"), sub));
        r.put("daily", r.get("total") == null ? null : Figures.round(Rows.d(r, "total") / days, 2));
        r.put("change", r.get("total") == null || r.get("previous") == null ? null
                : Figures.percent(Rows.d(r, "total") - Rows.d(r, "previous"), Rows.d(r, "previous")));
    }
}
