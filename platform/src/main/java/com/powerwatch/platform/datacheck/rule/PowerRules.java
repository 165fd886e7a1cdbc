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
import static com.powerwatch.platform.datacheck.rule.NegativeEnergyRule.fmt;

/** Rules on the active power P of the check day's valid samples. */
final class PowerRules {

    private PowerRules() {
    }

    /** Samples of checked points on the check day with a valid power value (CTE day_sample, after checked_point). */
    static final String DAY_SAMPLES = """
            day_sample as (
                select s.point_id, s.ts, s.p
                from point_sample s
                where s.point_id in (select point_id from checked_point) and not s.invalid and s.p is not null
                  and s.ts >= cast(:dayStart as timestamptz) and s.ts < cast(:dayEnd as timestamptz))""";

    /** 功率为负值: P < −tolerance (reversed CT or wiring, or generation). */
    @Component
    static class NegativePower extends SqlCheckRule {
        NegativePower(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "NEGATIVE_POWER", "功率为负值", Category.DATA_QUALITY, Severity.ERROR);
        }

        @Override
        protected String sql(CheckContext ctx) {
            return """
                    with %s, %s
                    select cp.enterprise_id, 'POINT' as object_type, cp.point_id as object_id, cp.object_name,
                           jsonb_build_object('negativeSamples', count(*), 'minKw', %s, 'firstAt', %s, 'lastAt', %s,
                                              'daySamples', (select count(*) from day_sample a where a.point_id = cp.point_id),
                                              'toleranceKw', :tolerance)::text as evidence
                    from day_sample s join checked_point cp on cp.point_id = s.point_id
                    where s.p < -cast(:tolerance as double precision)
                    group by cp.enterprise_id, cp.point_id, cp.object_name
                    order by cp.point_id""".formatted(CheckSql.checkedPoints(ctx), DAY_SAMPLES,
                    num("min(s.p)"), iso("min(s.ts)"), iso("max(s.ts)"));
        }

        @Override
        protected Map<String, Object> parameters(CheckContext ctx) {
            Map<String, Object> p = ctx.parameters();
            p.put("tolerance", ctx.settings().negativePowerToleranceKw());
            return p;
        }

        @Override
        public String definition(DataCheckProperties s) {
            return "点位当日有效有功功率小于 " + (s.negativePowerToleranceKw() == 0 ? "0" : "-" + fmt(s.negativePowerToleranceKw()))
                    + " kW（CT 或接线反向，或为发电）。";
        }
    }

    /**
     * 功率为恒定值: a run of at least constant-run-samples consecutive valid samples (in time order, the check day) with
     * the same non-zero P. Evidence: the longest run (value, first and last time, length) and how many runs qualify.
     */
    @Component
    static class ConstantPower extends SqlCheckRule {
        ConstantPower(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "CONSTANT_POWER", "功率为恒定值", Category.DATA_QUALITY, Severity.WARNING);
        }

        @Override
        protected String sql(CheckContext ctx) {
            return """
                    with %s, %s,
                    numbered as (
                        select point_id, ts, p,
                               row_number() over (partition by point_id order by ts)
                             - row_number() over (partition by point_id, p order by ts) as island
                        from day_sample),
                    run as (
                        select point_id, p, island, count(*) as samples, min(ts) as first_at, max(ts) as last_at
                        from numbered
                        group by point_id, p, island
                        having p <> 0 and count(*) >= :minSamples),
                    longest as (
                        select distinct on (point_id) point_id, p, samples, first_at, last_at,
                               count(*) over (partition by point_id) as runs
                        from run
                        order by point_id, samples desc, first_at)
                    select cp.enterprise_id, 'POINT' as object_type, cp.point_id as object_id, cp.object_name,
                           jsonb_build_object('valueKw', %s, 'firstAt', %s, 'lastAt', %s, 'samples', l.samples,
                                              'runs', l.runs, 'minSamples', :minSamples)::text as evidence
                    from longest l join checked_point cp on cp.point_id = l.point_id
                    order by cp.point_id""".formatted(CheckSql.checkedPoints(ctx), DAY_SAMPLES,
                    num("l.p"), iso("l.first_at"), iso("l.last_at"));
        }

        @Override
        protected Map<String, Object> parameters(CheckContext ctx) {
            Map<String, Object> p = ctx.parameters();
            p.put("minSamples", ctx.settings().constantRunSamples());
            return p;
        }

        @Override
        public String definition(DataCheckProperties s) {
            return "点位当日连续 " + s.constantRunSamples() + " 个及以上有效数据的有功功率完全相同且不为 0（数据疑似卡死或造假）。";
        }
    }
}
