-- Telemetry pre-aggregates are refreshed per dirty bucket by this one function, used by the telemetry consumer
-- after every batch and by the history benchmark's bulk load. It recomputes the named 15-minute buckets from
-- point_sample, the hours containing them from the 15-minute rows and the days from the hour rows, so calling
-- it twice (a replay) gives the same rows: nothing is accumulated, only recomputed for the dirty buckets.
--
-- Buckets are aligned on China time (origin 2000-01-03 00:00 +08, a Monday, so 7-day bins start on Mondays).
-- Energy in a bucket = sum of register deltas between consecutive samples with an energy value, starting from
-- the last such sample before the bucket (looked for up to 35 days back). For a decrease prev -> cur:
--   rollover       prev >= 0.9 * 10^n (10^n the next power of ten above prev, n >= 4) and cur < 0.1 * 10^n
--                  -> adds 10^n - prev + cur, counted in rollovers
--   reset          cur <= max(1 kWh, 1 % of prev) -> adds cur (consumed since the reset), counted in resets
--   negative jump  any other decrease -> adds nothing, counted in negative_jumps
-- Samples the device flagged invalid are left out of aggregates.

-- The 15-minute bucket a time falls in.
create or replace function telemetry_bucket(p_width interval, p_ts timestamptz) returns timestamptz
    language sql immutable parallel safe
    return date_bin(p_width, p_ts, timestamptz '2000-01-03 00:00:00+08');

-- Energy added by one register step (see above); null when there is no previous value.
create or replace function telemetry_energy_step(p_prev double precision, p_cur double precision)
    returns double precision language sql immutable parallel safe
    return case
        when p_prev is null or p_cur is null then null
        when p_cur >= p_prev then p_cur - p_prev
        when p_prev >= 10000 and p_prev >= 0.9 * power(10, floor(log(p_prev)) + 1)
             and p_cur < 0.1 * power(10, floor(log(p_prev)) + 1)
            then power(10, floor(log(p_prev)) + 1) - p_prev + p_cur
        when p_cur <= greatest(1.0, 0.01 * p_prev) then p_cur
        else 0 end;

-- 'up', 'rollover', 'reset' or 'negative' for one register step.
create or replace function telemetry_energy_kind(p_prev double precision, p_cur double precision)
    returns text language sql immutable parallel safe
    return case
        when p_prev is null or p_cur is null then null
        when p_cur >= p_prev then 'up'
        when p_prev >= 10000 and p_prev >= 0.9 * power(10, floor(log(p_prev)) + 1)
             and p_cur < 0.1 * power(10, floor(log(p_prev)) + 1) then 'rollover'
        when p_cur <= greatest(1.0, 0.01 * p_prev) then 'reset'
        else 'negative' end;

-- Refreshes the aggregates touched by samples (p_points[i], p_times[i]) that were inserted or changed:
-- their 15-minute buckets, the next bucket with data after each (its first delta may have changed), and the
-- hours and days above them. Returns how many 15-minute buckets were recomputed.
create or replace function telemetry_refresh(p_points bigint[], p_times timestamptz[]) returns integer
    language plpgsql as
$$
declare
    v_points  bigint[];
    v_buckets timestamptz[];
    v_count   integer;
begin
    with touched as (
        select distinct t.point_id, telemetry_bucket('15 minutes', t.ts) as bucket
        from unnest(p_points, p_times) as t(point_id, ts)
    ),
    dirty as (
        select point_id, bucket from touched
        union
        select t.point_id, telemetry_bucket('15 minutes', nx.ts)
        from touched t
        cross join lateral (select s.ts from point_sample s
                            where s.point_id = t.point_id and s.ts >= t.bucket + interval '15 minutes'
                              and s.ts < t.bucket + interval '35 days'
                            order by s.ts limit 1) nx
    )
    select array_agg(point_id), array_agg(bucket) into v_points, v_buckets from dirty;

    if v_points is null then
        return 0;
    end if;

    with dirty as (
        select * from unnest(v_points, v_buckets) as d(point_id, bucket)
    ),
    rows as (
        -- the last valid sample with an energy value before the bucket, then the bucket's own samples
        select d.point_id, d.bucket, x.ts, x.p, x.e, x.inside
        from dirty d
        cross join lateral (
            (select s.ts, null::real as p, s.e, false as inside
             from point_sample s
             where s.point_id = d.point_id and s.ts < d.bucket and s.ts >= d.bucket - interval '35 days'
               and s.e is not null and not s.invalid
             order by s.ts desc limit 1)
            union all
            (select s.ts, s.p, s.e, true
             from point_sample s
             where s.point_id = d.point_id and s.ts >= d.bucket and s.ts < d.bucket + interval '15 minutes'
               and not s.invalid)
        ) x
    ),
    steps as (
        select r.*,
               telemetry_energy_step(lag(r.e) over w, r.e) as delta,
               telemetry_energy_kind(lag(r.e) over w, r.e) as kind
        from rows r
        where r.e is not null
        window w as (partition by r.point_id, r.bucket order by r.ts)
    ),
    energy as (
        select point_id, bucket,
               coalesce(sum(delta), 0) as energy,
               (array_agg(e order by ts desc))[1] as e_last,
               count(*) filter (where kind = 'rollover') as rollovers,
               count(*) filter (where kind = 'reset') as resets,
               count(*) filter (where kind = 'negative') as negative_jumps
        from steps
        where inside
        group by point_id, bucket
    ),
    power as (
        select point_id, bucket, count(p) as n, sum(p) as p_sum, min(p) as p_min, max(p) as p_max
        from rows
        where inside
        group by point_id, bucket
    )
    insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy, e_last,
                           rollovers, resets, negative_jumps, updated_at)
    select pw.point_id, '15m', pw.bucket, pw.n, pw.p_sum, pw.p_min, pw.p_max, en.energy, en.e_last,
           coalesce(en.rollovers, 0), coalesce(en.resets, 0), coalesce(en.negative_jumps, 0), now()
    from power pw
    left join energy en on en.point_id = pw.point_id and en.bucket = pw.bucket
    on conflict (point_id, grain, bucket) do update
        set n = excluded.n, p_sum = excluded.p_sum, p_min = excluded.p_min, p_max = excluded.p_max,
            energy = excluded.energy, e_last = excluded.e_last, rollovers = excluded.rollovers,
            resets = excluded.resets, negative_jumps = excluded.negative_jumps, updated_at = excluded.updated_at;

    get diagnostics v_count = row_count;

    -- hours from their 15-minute rows
    select array_agg(point_id), array_agg(bucket) into v_points, v_buckets
    from (select distinct point_id, telemetry_bucket('1 hour', bucket) as bucket
          from unnest(v_points, v_buckets) as d(point_id, bucket)) h;
    perform telemetry_rollup(v_points, v_buckets, '15m', '1h', interval '1 hour');

    -- days from their hour rows
    select array_agg(point_id), array_agg(bucket) into v_points, v_buckets
    from (select distinct point_id, telemetry_bucket('1 day', bucket) as bucket
          from unnest(v_points, v_buckets) as d(point_id, bucket)) h;
    perform telemetry_rollup(v_points, v_buckets, '1h', '1d', interval '1 day');

    return v_count;
end
$$;

-- Recomputes coarse buckets (p_points[i], p_buckets[i]) of grain p_to from the p_from rows inside them.
create or replace function telemetry_rollup(p_points bigint[], p_buckets timestamptz[], p_from text, p_to text,
                                            p_width interval) returns void
    language sql as
$$
    insert into point_agg (point_id, grain, bucket, n, p_sum, p_min, p_max, energy, e_last,
                           rollovers, resets, negative_jumps, updated_at)
    select d.point_id, p_to, d.bucket, sum(a.n), sum(a.p_sum), min(a.p_min), max(a.p_max), sum(a.energy),
           (array_agg(a.e_last order by a.bucket desc) filter (where a.e_last is not null))[1],
           sum(a.rollovers), sum(a.resets), sum(a.negative_jumps), now()
    from unnest(p_points, p_buckets) as d(point_id, bucket)
    join point_agg a on a.point_id = d.point_id and a.grain = p_from
                    and a.bucket >= d.bucket and a.bucket < d.bucket + p_width
    group by d.point_id, d.bucket
    on conflict (point_id, grain, bucket) do update
        set n = excluded.n, p_sum = excluded.p_sum, p_min = excluded.p_min, p_max = excluded.p_max,
            energy = excluded.energy, e_last = excluded.e_last, rollovers = excluded.rollovers,
            resets = excluded.resets, negative_jumps = excluded.negative_jumps, updated_at = excluded.updated_at;
$$;
