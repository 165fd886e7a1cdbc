-- 应急预警 baselines kept ready (docs/emergency.md §3): the history baseline (ProductionBaseline) of every
-- (enterprise, facility set) a participating STOP / LIMIT plan without a typed baseline concerns, computed for one China
-- day (window: the 30 days before it) nightly and when plans change, so that starting a warning copies it instead of
-- computing thousands of baselines while the live board waits.
create table emergency_ready_baseline (
    enterprise_id      bigint           not null references enterprise (id) on delete cascade,
    facility_key       text             not null,  -- '' = the enterprise's ACTIVE production facilities, else sorted ids 'a,b,c'
    for_day            date             not null,  -- China day of the orders it serves
    baseline_kw        double precision,           -- null = none computable (the note says why)
    baseline_daily_kwh double precision,
    baseline_method    text,
    baseline_days      integer,
    computed_at        timestamptz      not null,
    note               text,
    primary key (enterprise_id, facility_key)
);
