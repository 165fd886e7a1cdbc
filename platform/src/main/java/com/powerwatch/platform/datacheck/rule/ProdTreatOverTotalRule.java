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
 * 生产设施和治理设施电量之和大于企业总电量: Σ E_day(production points) + Σ E_day(treatment points) >
 * Σ E_day(total points) × (1 + tolerance). Only when at least one total point has energy that day (no total meter is
 * NO_TOTAL_METER's finding).
 */
@Component
class ProdTreatOverTotalRule extends SqlCheckRule {

    ProdTreatOverTotalRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "PROD_TREAT_OVER_TOTAL", "生产设施和治理设施电量之和大于企业总电量", Category.DATA_QUALITY, Severity.WARNING);
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                with %s, %s,
                per_enterprise as (
                    select cp.enterprise_id,
                           coalesce(sum(d.energy_kwh) filter (where cp.kind = 'PRODUCTION'), 0) as production,
                           coalesce(sum(d.energy_kwh) filter (where cp.kind = 'TREATMENT'), 0) as treatment,
                           sum(d.energy_kwh) filter (where cp.kind = 'TOTAL') as total
                    from point_day_energy d join checked_point cp on cp.point_id = d.point_id
                    where d.day = :day
                    group by cp.enterprise_id)
                select x.enterprise_id, 'ENTERPRISE' as object_type, e.id as object_id, e.name as object_name,
                       jsonb_build_object('productionKwh', %s, 'treatmentKwh', %s, 'sumKwh', %s, 'totalKwh', %s,
                                          'ratio', %s, 'tolerance', :tolerance, 'limitKwh', %s)::text as evidence
                from per_enterprise x join enterprise e on e.id = x.enterprise_id
                where x.total is not null and x.production + x.treatment > x.total * (1 + :tolerance)
                order by e.id""".formatted(CheckSql.checkedPoints(ctx), CheckSql.energySteps(),
                num("x.production"), num("x.treatment"), num("x.production + x.treatment"), num("x.total"),
                num("(x.production + x.treatment) / nullif(x.total, 0)"), num("x.total * (1 + :tolerance)"));
    }

    @Override
    protected Map<String, Object> parameters(CheckContext ctx) {
        Map<String, Object> p = CheckSql.energyParameters(ctx, ctx.dayStart());
        p.put("tolerance", ctx.settings().subMeterTolerance());
        return p;
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "企业当日产污设施与治污设施点位电量之和，大于总用电点位电量的 " + fmt(100 + s.subMeterTolerance() * 100)
                + "%（允许 " + fmt(s.subMeterTolerance() * 100) + "% 计量误差）。";
    }
}
