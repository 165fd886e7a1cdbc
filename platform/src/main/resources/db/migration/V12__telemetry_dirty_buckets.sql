-- 15-minute buckets whose samples changed and whose aggregates (15m, and the hour and day containing them) have not
-- been recomputed yet. The telemetry consumer adds rows in the same transaction as the samples and recomputes them
-- in coalesced rounds (telemetry_refresh), so a bucket that receives a sample every few seconds is recomputed once
-- per round instead of once per batch. Durable: after a crash the remaining rows are refreshed at start.
create table telemetry_dirty (
    point_id bigint      not null,
    bucket   timestamptz not null,
    primary key (point_id, bucket)
);
