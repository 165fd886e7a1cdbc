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
 * 点位日电量大于25倍点位日最大负荷: E_day > factor × max P of the day. Physically E_day ≤ 24 h × Pmax, so this points at
 * CT ratio or unit errors. Needs a positive maximum power on the day.
 */
@Component
class EnergyOverMaxLoadRule extends SqlCheckRule {

    EnergyOverMaxLoadRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "ENERGY_OVER_25X_MAX_LOAD", "点位日电量大于25倍点位日最大负荷", Category.DATA_QUALITY, Severity.ERROR);
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                with %s, %s,
                max_load as (
                    select s.point_id, max(s.p) as max_kw
                    from point_sample s
                    where s.point_id in (select point_id from checked_point) and not s.invalid and s.p is not null
                      and s.ts >= cast(:dayStart as timestamptz) and s.ts < cast(:dayEnd as timestamptz)
                    group by s.point_id)
                select cp.enterprise_id, 'POINT' as object_type, cp.point_id as object_id, cp.object_name,
                       jsonb_build_object('energyKwh', %s, 'maxLoadKw', %s, 'ratio', %s, 'limit', :factor,
                                          'meterEvents', %s)::text as evidence
                from point_day_energy d
                join max_load m on m.point_id = d.point_id
                join checked_point cp on cp.point_id = d.point_id
                where d.day = :day and m.max_kw > 0 and d.energy_kwh > :factor * m.max_kw
                order by cp.point_id""".formatted(CheckSql.checkedPoints(ctx), CheckSql.energySteps(),
                num("d.energy_kwh"), num("m.max_kw"), num("d.energy_kwh / m.max_kw"), CheckSql.meterEvents("d"));
    }

    @Override
    protected Map<String, Object> parameters(CheckContext ctx) {
        Map<String, Object> p = CheckSql.energyParameters(ctx, ctx.dayStart());
        p.put("factor", ctx.settings().maxLoadFactor());
        return p;
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "点位当日电量（kWh，由累计电量差计算）大于当日最大有功功率（kW）的 " + fmt(s.maxLoadFactor())
                + " 倍。一天最多 24 小时，日电量不可能超过 24 × 最大负荷，多为 CT 变比或单位错误。";
    }
}
