package com.powerwatch.platform.datacheck;

import java.time.OffsetDateTime;
import java.util.Map;

/** SQL pieces the rules share, so that "checked point", "energy delta" and number/time formats have one definition. */
public final class CheckSql {

    private CheckSql() {
    }

    /** A number in evidence: rounded to 3 decimals (numeric, so JSON shows 5230.1, not 5230.099999). */
    public static String num(String expr) {
        return "round((" + expr + ")::numeric, 3)";
    }

    /** A time in evidence: ISO-8601 in China time with its offset. */
    public static String iso(String expr) {
        return "to_char((" + expr + ") at time zone 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"')";
    }

    /**
     * CTE {@code checked_point}: active points on active facilities of the run's (active) enterprises, with
     * point_id, object_name ("facility / point"), facility_id, facility_name, kind, rated_kw, enterprise_id.
     */
    public static String checkedPoints(CheckContext ctx) {
        return """
                checked_point as (
                    select mp.id as point_id, f.name || ' / ' || mp.name as object_name, f.id as facility_id,
                           f.name as facility_name, f.kind, f.rated_kw, e.id as enterprise_id
                    from monitoring_point mp
                    join facility f on f.id = mp.facility_id
                    join enterprise e on e.id = f.enterprise_id
                    where mp.status = 'ACTIVE' and f.status = 'ACTIVE' and %s)""".formatted(ctx.enterpriseFilter("e"));
    }

    /**
     * CTEs {@code energy_step} and {@code point_day_energy} (after {@link #checkedPoints}): THE definition of energy
     * between consecutive samples of the cumulative register e, for steps whose later sample lies in
     * [:energyFrom, :dayEnd) — the earlier sample may lie up to previous-sample-lookback before. Each step is
     * <ul>
     * <li>NORMAL: e ≥ previous; delta = e − previous;</li>
     * <li>ROLLOVER: previous within rollover-margin below 10^n, the smallest power of ten above it, and e within rollover-margin·10^n
     *     above zero; delta = 10^n − previous + e;</li>
     * <li>RESET: any other decrease to e ≤ reset-max-kwh (meter reset or replaced); delta = e;</li>
     * <li>NEGATIVE: any other decrease; delta null (not summed), reported by NEGATIVE_ENERGY.</li>
     * </ul>
     * Samples flagged invalid or without e are skipped. day = China day of the later sample.
     * point_day_energy: per point and day the summed delta (energy_kwh, null when only negative steps) and the
     * number of resets, rollovers and negative steps.
     */
    public static String energySteps() {
        return """
                sample_pair as (
                    select s.point_id, s.ts, s.e, lag(s.e) over w as e_prev, lag(s.ts) over w as ts_prev
                    from point_sample s
                    where s.point_id in (select point_id from checked_point)
                      and s.e is not null and not s.invalid
                      and s.ts >= cast(:lookbackFrom as timestamptz) and s.ts < cast(:dayEnd as timestamptz)
                    window w as (partition by s.point_id order by s.ts)),
                sample_step as (
                    select point_id, ts, ts_prev, e, e_prev,
                           -- the smallest power of ten above the previous value (a wrapping register never shows 10^n itself)
                           case when e_prev > 0 then power(10::float8, floor(log(e_prev) + 1e-9) + 1) end as modulus
                    from sample_pair
                    where e_prev is not null and ts >= cast(:energyFrom as timestamptz)),
                classified_step as (
                    select point_id, ts, ts_prev, e, e_prev, modulus, (ts at time zone 'Asia/Shanghai')::date as day,
                           case when e >= e_prev then 'NORMAL'
                                when modulus is not null and e_prev >= modulus * (1 - :rolloverMargin)
                                     and e <= modulus * :rolloverMargin then 'ROLLOVER'
                                when e <= :resetMaxKwh then 'RESET'
                                else 'NEGATIVE' end as kind
                    from sample_step),
                energy_step as (
                    select c.*, case c.kind when 'NORMAL' then c.e - c.e_prev
                                            when 'ROLLOVER' then c.modulus - c.e_prev + c.e
                                            when 'RESET' then c.e end as delta_kwh
                    from classified_step c),
                point_day_energy as (
                    select point_id, day, sum(delta_kwh) as energy_kwh,
                           count(*) filter (where kind = 'RESET') as resets,
                           count(*) filter (where kind = 'ROLLOVER') as rollovers,
                           count(*) filter (where kind = 'NEGATIVE') as negatives
                    from energy_step
                    group by point_id, day)""";
    }

    /** The context's parameters plus those of {@link #energySteps} for steps ending from {@code energyFrom}. */
    public static Map<String, Object> energyParameters(CheckContext ctx, OffsetDateTime energyFrom) {
        Map<String, Object> p = ctx.parameters();
        p.put("energyFrom", energyFrom);
        p.put("lookbackFrom", energyFrom.minus(ctx.settings().previousSampleLookback()));
        p.put("rolloverMargin", ctx.settings().rolloverMargin());
        p.put("resetMaxKwh", ctx.settings().resetMaxKwh());
        return p;
    }

    /** JSON array of the check day's resets and rollovers of point {@code alias}.point_id (null when none), for evidence. */
    public static String meterEvents(String alias) {
        return """
                (select jsonb_agg(jsonb_build_object('kind', x.kind, 'from', %s, 'to', %s,
                                                     'registerBefore', %s, 'registerAfter', %s, 'countedKwh', %s) order by x.ts)
                 from energy_step x where x.point_id = %s.point_id and x.day = :day and x.kind in ('RESET', 'ROLLOVER'))"""
                .formatted(iso("x.ts_prev"), iso("x.ts"), num("x.e_prev"), num("x.e"), num("x.delta_kwh"), alias);
    }
}
