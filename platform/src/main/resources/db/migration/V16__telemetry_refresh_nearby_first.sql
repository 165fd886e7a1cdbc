-- telemetry_refresh, same results, faster lookups. Its two "nearest sample" lookups (the last valid energy reading
-- before a bucket, the first sample after it) searched 35 days at once: on the partitioned point_sample that starts an
-- index scan in every daily partition of the window for every bucket, so a refresh grew slower with every day of
-- data (≈ 4 ms per bucket after 3 days in the alarm evaluation). Each lookup now searches the adjacent hour first
-- (one partition, except near midnight) and the rest of the 35 days only when that finds nothing (an Append under LIMIT 1 stops at the first row).

-- Refreshes the aggregates touched by samples (p_points[i], p_times[i]) that were inserted or changed:
-- their 15-minute buckets, the next bucket with data after each (its first delta may have changed), and the
-- hours and days above them. Returns how many 15-minute buckets were recomputed.
create or replace function telemetry_refresh(p_points bigint[], p_times timestamptz[]) returns integer
    language plpgsql
    -- the arrays range from a few buckets to thousands: a generic plan made for small ones must not be reused
    set plan_cache_mode = force_custom_plan
    as
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
        cross join lateral (select y.ts from (
                                (select s.ts from point_sample s
                                 where s.point_id = t.point_id and s.ts >= t.bucket + interval '15 minutes'
                                   and s.ts < t.bucket + interval '1 hour'
                                 order by s.ts limit 1)
                                union all
                                (select s.ts from point_sample s
                                 where s.point_id = t.point_id and s.ts >= t.bucket + interval '1 hour'
                                   and s.ts < t.bucket + interval '35 days'
                                 order by s.ts limit 1)) y
                            limit 1) nx
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
            (select y.ts, y.p, y.e, y.inside from (
                (select s.ts, null::real as p, s.e, false as inside
                 from point_sample s
                 where s.point_id = d.point_id and s.ts < d.bucket and s.ts >= d.bucket - interval '1 hour'
                   and s.e is not null and not s.invalid
                 order by s.ts desc limit 1)
                union all
                (select s.ts, null::real as p, s.e, false as inside
                 from point_sample s
                 where s.point_id = d.point_id and s.ts < d.bucket - interval '1 hour' and s.ts >= d.bucket - interval '35 days'
                   and s.e is not null and not s.invalid
                 order by s.ts desc limit 1)) y
             limit 1)
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

