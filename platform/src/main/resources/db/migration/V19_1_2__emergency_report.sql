-- 应急评估报告 (docs/emergency.md §4): the evaluation reports of a warning, as written. FINAL = written when the warning
-- ended (or was lifted); INTERIM = asked for during it. summary: the figures at a glance (rates, counts) for lists.
create table emergency_report (
    id           bigserial   primary key,
    warning_id   bigint      not null references emergency_warning (id) on delete cascade,
    kind         text        not null check (kind in ('FINAL', 'INTERIM')),
    generated_at timestamptz not null default now(),
    generated_by text,
    data_at      timestamptz not null,                  -- the data the report judged reach up to here
    summary      jsonb       not null,
    pdf          bytea       not null,
    xlsx         bytea       not null,
    duration_ms  integer     not null
);
create index emergency_report_warning on emergency_report (warning_id, generated_at desc);
