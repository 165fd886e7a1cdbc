-- Data checks (数据核查): a run applies the rule set to the registry and to one check day of point_sample, and keeps
-- every finding with its evidence. Owned by the datacheck package. Runs older than powerwatch.data-checks.retention-days
-- are deleted (findings and enterprise snapshots cascade).

create table data_check_run (
    id             bigserial   primary key,
    trigger        text        not null check (trigger in ('MANUAL', 'SCHEDULED')),
    check_day      date        not null,               -- China day the data rules looked at
    check_time     timestamptz not null,               -- end of the check day, or the start time when the day is today
    rules          text[],                             -- null = every rule
    enterprise_ids bigint[],                           -- null = every active enterprise
    requested_by   text,                               -- username of a manual run
    started_at     timestamptz not null default now(),
    finished_at    timestamptz,
    status         text        not null default 'RUNNING' check (status in ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
    enterprises_checked integer not null default 0,
    finding_count  integer     not null default 0,
    findings_by_rule jsonb     not null default '{}',  -- {"NEGATIVE_ENERGY": 3, …} over all enterprises
    rule_errors    jsonb       not null default '{}',  -- {"RULE": "message"} for rules that failed; the others still ran
    error          text                                -- the run as a whole failed
);
create index data_check_run_started on data_check_run (started_at desc);
create index data_check_run_day on data_check_run (check_day, trigger);

-- Which enterprises a run checked (snapshot of name and district), so that a summary can say "checked" per district.
create table data_check_run_enterprise (
    run_id          bigint  not null references data_check_run (id) on delete cascade,
    enterprise_id   bigint  not null references enterprise (id) on delete cascade,
    enterprise_name text    not null,
    district_code   char(6) not null,
    primary key (run_id, enterprise_id)
);
create index data_check_run_enterprise_district on data_check_run_enterprise (run_id, district_code);

create table data_check_finding (
    id              bigserial   primary key,
    run_id          bigint      not null references data_check_run (id) on delete cascade,
    rule            text        not null,
    category        text        not null,
    severity        text        not null check (severity in ('INFO', 'WARNING', 'ERROR')),
    enterprise_id   bigint      not null references enterprise (id) on delete cascade,
    enterprise_name text        not null,
    district_code   char(6)     not null,
    object_type     text        not null check (object_type in ('ENTERPRISE', 'FACILITY', 'POINT')),
    object_id       bigint      not null,
    object_name     text        not null,
    check_day       date        not null,
    evidence        jsonb       not null default '{}',
    created_at      timestamptz not null default now()
);
create index data_check_finding_run_rule on data_check_finding (run_id, rule);
create index data_check_finding_run_district on data_check_finding (run_id, district_code);
create index data_check_finding_run_enterprise on data_check_finding (run_id, enterprise_id);
create index data_check_finding_enterprise_day on data_check_finding (enterprise_id, check_day);
