-- 系统运行异常信息事件: incidents of the platform's own machinery, as the report package's recorder observes them
-- (docs/reports.md): a journal consumer (store writer, telemetry, alarm engine) retrying against the database, the
-- journal refusing appends, the gateway unable to journal, a platform start. Kept with the reports' retention.
create table system_event (
    id          bigserial   primary key,
    kind        text        not null,      -- CONSUMER_RETRYING, JOURNAL_APPENDS_REJECTED, GATEWAY_JOURNAL_FAILURES, PLATFORM_STARTED
    component   text        not null,      -- store-writer, telemetry, alarm-engine, journal, gateway, platform
    severity    text        not null check (severity in ('INFO', 'WARNING', 'ERROR')),
    started_at  timestamptz not null,
    ended_at    timestamptz,               -- null while it lasts (or for an instant event with count)
    count       bigint      not null default 1,
    message     text        not null,
    detail      jsonb       not null default '{}'
);
create index system_event_started on system_event (started_at desc);
-- at most one open spell per kind and component
create unique index system_event_open on system_event (kind, component) where ended_at is null and kind = 'CONSUMER_RETRYING';
