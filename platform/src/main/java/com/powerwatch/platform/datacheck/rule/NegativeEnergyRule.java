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

import static com.powerwatch.platform.datacheck.CheckSql.iso;
import static com.powerwatch.platform.datacheck.CheckSql.num;

/** 电量为负: a NEGATIVE energy step (see {@link CheckSql#energySteps}) on the check day; resets and rollovers are not. */
@Component
class NegativeEnergyRule extends SqlCheckRule {

    NegativeEnergyRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "NEGATIVE_ENERGY", "电量为负", Category.DATA_QUALITY, Severity.ERROR);
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                with %s, %s,
                negative as (
                    select point_id, count(*) as steps,
                           (array_agg(jsonb_build_object('deltaKwh', %s, 'from', %s, 'to', %s,
                                                         'registerBefore', %s, 'registerAfter', %s)
                                      order by e - e_prev, ts))[1] as worst
                    from energy_step
                    where day = :day and kind = 'NEGATIVE'
                    group by point_id)
                select cp.enterprise_id, 'POINT' as object_type, cp.point_id as object_id, cp.object_name,
                       jsonb_build_object('negativeSteps', n.steps, 'worst', n.worst, 'meterEvents', %s)::text as evidence
                from negative n join checked_point cp on cp.point_id = n.point_id
                order by cp.point_id""".formatted(CheckSql.checkedPoints(ctx), CheckSql.energySteps(),
                num("e - e_prev"), iso("ts_prev"), iso("ts"), num("e_prev"), num("e"), CheckSql.meterEvents("n"));
    }

    @Override
    protected Map<String, Object> parameters(CheckContext ctx) {
        return CheckSql.energyParameters(ctx, ctx.dayStart());
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "相邻两次累计电量读数之差为负（含当日首个读数与前一读数之差）。回落到 " + fmt(s.resetMaxKwh())
                + " kWh 及以下视为电表清零/更换，在 10 的整数次幂附近（相对偏差 " + fmt(s.rolloverMargin() * 100)
                + "% 以内）回绕视为表码翻转，二者都不算电量为负，但写入证据。";
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
