package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyLevel;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.util.List;

/**
 * 指标查询: for a year and level, per district and per grade, how many enterprises, lines and production facilities
 * stop, limit or self-reduce, their rated power, baseline power and the power the measures take off.
 *
 * <p>Baseline power of a plan = its 核定基准负荷 when typed, else Σ rated kW of its facilities × the rated load factor
 * ({@code powerwatch.analysis.baseline.rated-load-factor}, the same fallback as an order's RATED baseline): the history
 * baseline is computed only when a warning starts. Reduction = baseline × 100 % (STOP) or × the percentage (LIMIT, and
 * SELF when the enterprise committed to one).
 */
@Service
public class PlanIndicators {

    /** One group (a district or a grade) × measure. */
    public record Row(String group, String groupName, String measure, long enterprises, long lines, long facilities,
                      double ratedKw, double baselineKw, double reductionKw) {
    }

    /** Totals and the two breakdowns. */
    public record Indicators(int year, String level, List<Row> byDistrict, List<Row> byGrade, List<Row> total,
                             long notParticipating) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ProductionBaseline baselines;

    PlanIndicators(NamedParameterJdbcTemplate jdbc, ProductionBaseline baselines) {
        this.jdbc = jdbc;
        this.baselines = baselines;
    }

    public Indicators query(int year, EmergencyLevel level, String district) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("year", year).addValue("level", level.name())
                .addValue("factor", baselines.settings().ratedLoadFactor());
        String where = " where p.year = :year and p.level = :level and " + scope.enterpriseFilter("e");
        if (district != null && !district.isBlank()) {
            where += " and e.district_code like :district";
            p.addValue("district", AccessScope.regionPrefix("district", district) + "%");
        }
        String plans = """
                with plan as (
                  select p.id, p.measure, p.limit_percent, p.baseline_kw, e.district_code, coalesce(p.grade, '-') as grade,
                         (select count(*) from emergency_plan_facility pf where pf.plan_id = p.id) as facilities,
                         (select count(distinct pf.production_line_id) from emergency_plan_facility pf where pf.plan_id = p.id) as lines,
                         coalesce((select sum(pf.rated_kw) from emergency_plan_facility pf where pf.plan_id = p.id), 0) as rated
                  from emergency_plan p join enterprise e on e.id = p.enterprise_id""" + where + """
                   and p.participates),
                sized as (
                  select *, coalesce(baseline_kw, rated * :factor) as base,
                         case measure when 'STOP' then 1.0 else coalesce(limit_percent, 0) / 100.0 end as share from plan)
                """;
        String measures = """
                count(*) as enterprises, sum(lines) as lines, sum(facilities) as facilities, sum(rated) as rated,
                sum(base) as base, sum(base * share) as reduction""";
        List<Row> byDistrict = jdbc.query(plans + "select s.district_code, r.name, s.measure, " + measures
                + " from sized s left join region r on r.code = s.district_code group by 1, 2, 3 order by 1, 3", p,
                (rs, i) -> row(rs.getString(1), rs.getString(2), rs));
        List<Row> byGrade = jdbc.query(plans + "select grade, grade, measure, " + measures + " from sized group by 1, 2, 3 order by 1, 3", p,
                (rs, i) -> row(rs.getString(1), PlanRules.gradeLabel(rs.getString(2)), rs));
        List<Row> total = jdbc.query(plans + "select 'ALL', '合计', measure, " + measures + " from sized group by 3 order by 3", p,
                (rs, i) -> row(rs.getString(1), rs.getString(2), rs));
        Long not = jdbc.queryForObject("select count(*) from emergency_plan p join enterprise e on e.id = p.enterprise_id" + where
                + " and not p.participates", p, Long.class);
        return new Indicators(year, level.name(), byDistrict, byGrade, total, not == null ? 0 : not);
    }

    private static Row row(String group, String name, java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(group, name, rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), round(rs.getDouble(7)),
                round(rs.getDouble(8)), round(rs.getDouble(9)));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
