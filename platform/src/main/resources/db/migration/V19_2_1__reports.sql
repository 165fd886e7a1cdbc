-- 统计报表 (docs/reports.md): report templates built by users (the custom report builder), the archive of generated
-- periodic reports (日报/周报/月报 and scheduled templates) and who subscribes to them. Owned by the report package.

-- A custom report as a user saved it: a whitelisted dataset, grouping, measures and filters (JSON, validated by the
-- application before it is stored), optionally run on a schedule and sent to its owner.
create table report_template (
    id            bigserial   primary key,
    owner_user_id bigint      not null references app_user (id) on delete cascade,
    name          text        not null check (length(name) between 1 and 100),
    spec          jsonb       not null,
    schedule      text        not null default 'NONE' check (schedule in ('NONE', 'DAILY', 'WEEKLY', 'MONTHLY')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    unique (owner_user_id, name)
);

-- One generated report: a period, the scope it was generated for and both files. scope_key: ALL (city-wide), R:<district
-- prefixes> (a district officer's regions) or E:<enterprise id>; a user sees the reports of exactly their own scope
-- (everything for city administrators and operators).
create table report_archive (
    id            bigserial   primary key,
    kind          text        not null check (kind in ('DAILY', 'WEEKLY', 'MONTHLY', 'TEMPLATE')),
    template_id   bigint      references report_template (id) on delete cascade,
    title         text        not null,
    period_from   date        not null,
    period_to     date        not null,
    scope_key     text        not null,
    scope_label   text        not null,
    xlsx          bytea       not null,
    pdf           bytea       not null,
    summary       json        not null default '{}',   -- json, not jsonb: the figures keep their order
    generated_at  timestamptz not null default now(),
    generated_by  text        not null,
    check ((kind = 'TEMPLATE') = (template_id is not null)),
    check (period_from <= period_to)
);
-- one report per kind (or template), period and scope: a second scheduler pass or a restart does not generate it twice
create unique index report_archive_once on report_archive (kind, coalesce(template_id, 0), period_from, scope_key);
create index report_archive_list on report_archive (generated_at desc, id desc);

-- Who receives which periodic report (in the inbox, and through the external channels configured for REPORT events).
create table report_subscription (
    user_id    bigint      not null references app_user (id) on delete cascade,
    kind       text        not null check (kind in ('DAILY', 'WEEKLY', 'MONTHLY')),
    created_at timestamptz not null default now(),
    primary key (user_id, kind)
);
