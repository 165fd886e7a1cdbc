package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.CheckContext;
import com.powerwatch.platform.datacheck.CheckSql;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import com.powerwatch.platform.datacheck.SqlCheckRule;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

import static com.powerwatch.platform.datacheck.CheckSql.num;
import static com.powerwatch.platform.datacheck.rule.NegativeEnergyRule.fmt;

/**
 * 电量异常偏大: E_day > rated-hours × rated kW × rated-margin (when the facility has a rating), or — when the point has
 * at least baseline-min-days days with energy among the baseline-days before — E_day > max(median + sigmas × σ,
 * median × (1 + min-relative-margin)) of those days.
 */
@Component
class EnergyAbnormallyLargeRule extends SqlCheckRule {

    EnergyAbnormallyLargeRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "ENERGY_ABNORMALLY_LARGE", "电量异常偏大", Category.DATA_QUALITY, Severity.WARNING);
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                with %s, %s,
                baseline as (
                    select point_id, count(*) as days,
                           percentile_cont(0.5) within group (order by energy_kwh) as median,
                           stddev_samp(energy_kwh) as sd
                    from point_day_energy
                    where day < :day and energy_kwh is not null
                    group by point_id),
                judged as (
                    select d.point_id, d.energy_kwh, cp.enterprise_id, cp.object_name, cp.rated_kw,
                           cp.rated_kw * :ratedHours * :ratedMargin as rated_limit,
                           b.days, b.median, b.sd,
                           case when b.days >= :minDays
                                then greatest(b.median + :sigmas * b.sd, b.median * (1 + :minRelative)) end as stat_limit
                    from point_day_energy d
                    join checked_point cp on cp.point_id = d.point_id
                    left join baseline b on b.point_id = d.point_id
                    where d.day = :day and d.energy_kwh is not null)
                select j.enterprise_id, 'POINT' as object_type, j.point_id as object_id, j.object_name,
                       jsonb_build_object('energyKwh', %s, 'ratedKw', j.rated_kw, 'ratedLimitKwh', %s,
                                          'baselineDays', coalesce(j.days, 0), 'medianKwh', %s, 'stddevKwh', %s,
                                          'statLimitKwh', %s,
                                          'exceeded', array_remove(array[
                                              case when j.energy_kwh > j.rated_limit then 'RATED' end,
                                              case when j.energy_kwh > j.stat_limit then 'BASELINE' end], null),
                                          'meterEvents', %s)::text as evidence
                from judged j
                where j.energy_kwh > j.rated_limit or j.energy_kwh > j.stat_limit
                order by j.point_id""".formatted(CheckSql.checkedPoints(ctx), CheckSql.energySteps(),
                num("j.energy_kwh"), num("j.rated_limit"), num("j.median"), num("j.sd"), num("j.stat_limit"),
                CheckSql.meterEvents("j"));
    }

    @Override
    protected Map<String, Object> parameters(CheckContext ctx) {
        DataCheckProperties s = ctx.settings();
        Map<String, Object> p = CheckSql.energyParameters(ctx, ctx.dayStart().minusDays(s.baselineDays()));
        p.put("ratedHours", s.ratedHours());
        p.put("ratedMargin", s.ratedMargin());
        p.put("minDays", s.baselineMinDays());
        p.put("sigmas", s.baselineSigmas());
        p.put("minRelative", s.baselineMinRelativeMargin());
        return p;
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "点位日电量大于 " + fmt(s.ratedHours()) + " 小时 × 设施额定功率 × " + fmt(s.ratedMargin())
                + "；或点位前 " + s.baselineDays() + " 天中有电量的天数不少于 " + s.baselineMinDays()
                + " 天时，日电量大于这些天的中位数 + " + fmt(s.baselineSigmas()) + " 倍标准差（且至少高于中位数 "
                + fmt(s.baselineMinRelativeMargin() * 100) + "%）。";
    }
}
