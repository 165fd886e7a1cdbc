-- Telemetry: readings translated through the factor dictionary into canonical quantities per monitoring
-- point (CT/PT applied), and pre-aggregates per point maintained incrementally by the telemetry consumer.
-- Owned by the telemetry package; data checks and the alarm engine read these tables.

-- One row per (point, DataTime). Partitioned by day (China time) like reading, created on demand, so that
-- retention of minute data is a DROP while point_agg is kept for years.
create table point_sample (
    point_id    bigint      not null,
    ts          timestamptz not null,       -- the frame's DataTime
    p           real,                       -- total active power, kW
    q           real,                       -- total reactive power, kvar
    pf          real,
    ia real, ib real, ic real,              -- A
    ua real, ub real, uc real,              -- V (phase)
    e           double precision,           -- cumulative active energy register, kWh
    extra       jsonb,                      -- other canonical quantities: {"FAN_STATE": 1, "PH": 7.2, …}
    invalid     boolean     not null default false,   -- the device flagged a value (Flag other than N)
    received_at timestamptz not null,
    primary key (point_id, ts)
) partition by range (ts);
create table point_sample_default partition of point_sample default;

-- Pre-aggregates: grain '15m', '1h', '1d' (buckets aligned on China time). Energy per bucket is computed from
-- the cumulative register: deltas between consecutive samples (including the last sample before the bucket);
-- a wrap at a power of ten is a rollover (counted), a drop to near zero a reset (the value after it counted),
-- any other decrease a negative jump (flagged, not summed).
create table point_agg (
    point_id       bigint           not null,
    grain          text             not null,
    bucket         timestamptz      not null,
    n              integer          not null,   -- samples with a power value
    p_sum          double precision,            -- for averages over coarser buckets
    p_min          real,
    p_max          real,
    energy         double precision,            -- kWh consumed in the bucket (null: no energy register)
    e_last         double precision,            -- register at the bucket's last sample
    rollovers      smallint         not null default 0,
    resets         smallint         not null default 0,
    negative_jumps smallint         not null default 0,
    updated_at     timestamptz      not null default now(),
    primary key (point_id, grain, bucket)
) partition by list (grain);
create table point_agg_15m partition of point_agg for values in ('15m');
create table point_agg_1h  partition of point_agg for values in ('1h');
create table point_agg_1d  partition of point_agg for values in ('1d');
create index point_agg_1d_bucket on point_agg_1d (bucket);
