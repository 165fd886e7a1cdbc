-- 重污染天气应急管理 (docs/emergency.md): emergency plans per year × warning level × enterprise, warnings with their
-- changes, and the measures a warning puts in force (each STOP / LIMIT measure is also a production_order, the input
-- of the analysis engine). Owned by the emergency package; the report package reads these tables (区县应急预案达标统计).
-- Warning levels: YELLOW 黄色 (Ⅲ级), ORANGE 橙色 (Ⅱ级), RED 红色 (Ⅰ级).

-- 企业应急预案: what one enterprise does at one level in one year.
-- measure: STOP 停产, LIMIT 限产 (limit_percent = required reduction against the baseline), SELF 自主减排 (A / 引领性;
-- limit_percent = the reduction the enterprise commits itself to, optional); null when it does not participate.
-- scope (限停方式): ENTERPRISE = all its production facilities, LINE = the lines in emergency_plan_target,
-- FACILITY = the production facilities in emergency_plan_target.
create table emergency_plan (
    id              bigserial     primary key,
    year            smallint      not null check (year between 2000 and 2100),
    level           text          not null check (level in ('YELLOW', 'ORANGE', 'RED')),
    enterprise_id   bigint        not null references enterprise (id) on delete cascade,
    participates    boolean       not null default true,
    grade           text          check (grade in ('A', 'B', 'C', 'D', 'LEADING')),   -- 绩效分级 of that year's plan
    reduction_code  text,                                                           -- 减排清单编码
    measure         text          check (measure in ('STOP', 'LIMIT', 'SELF')),
    scope           text          not null default 'ENTERPRISE' check (scope in ('ENTERPRISE', 'LINE', 'FACILITY')),
    limit_percent   numeric(5, 2) check (limit_percent >= 1 and limit_percent <= 99),
    rotatable       boolean       not null default false,                           -- may be picked by rotation (轮循)
    baseline_kw     double precision check (baseline_kw > 0),                       -- 核定基准负荷; null = from history
    measure_text    text,                                                           -- 减排措施 in words
    economic_loss   numeric(14, 2) check (economic_loss >= 0),                      -- 经济损失预估, 万元
    note            text,
    updated_by_name text,
    created_at      timestamptz   not null default now(),
    updated_at      timestamptz   not null default now(),
    unique (year, level, enterprise_id),
    check (participates = (measure is not null)),
    check (measure is distinct from 'LIMIT' or limit_percent is not null),
    check (measure is distinct from 'STOP' or limit_percent is null)
);
create index emergency_plan_enterprise on emergency_plan (enterprise_id);

-- The lines or facilities of a LINE / FACILITY plan (exactly one of the two per row).
create table emergency_plan_target (
    plan_id     bigint not null references emergency_plan (id) on delete cascade,
    line_id     bigint references production_line (id) on delete cascade,
    facility_id bigint references facility (id) on delete cascade,
    check ((line_id is null) <> (facility_id is null))
);
create unique index emergency_plan_target_line on emergency_plan_target (plan_id, line_id) where line_id is not null;
create unique index emergency_plan_target_facility on emergency_plan_target (plan_id, facility_id) where facility_id is not null;

-- The production facilities a participating plan concerns: all ACTIVE production facilities of the enterprise
-- (scope ENTERPRISE), those of the listed lines (LINE) or the listed ones (FACILITY). Used for the orders, the
-- indicators (指标查询) and the reports.
create view emergency_plan_facility as
select p.id as plan_id, f.id as facility_id, f.production_line_id, f.rated_kw
from emergency_plan p
join facility f on f.enterprise_id = p.enterprise_id and f.kind = 'PRODUCTION' and f.status = 'ACTIVE'
where p.participates
  and (p.scope = 'ENTERPRISE'
       or (p.scope = 'FACILITY' and exists (select 1 from emergency_plan_target t where t.plan_id = p.id and t.facility_id = f.id))
       or (p.scope = 'LINE' and exists (select 1 from emergency_plan_target t where t.plan_id = p.id and t.line_id = f.production_line_id)));

-- One attachment per plan (the enterprise's 一厂一策 document), kept in the database: small, transactional with its plan.
create table emergency_plan_attachment (
    plan_id         bigint      primary key references emergency_plan (id) on delete cascade,
    file_name       text        not null,
    content_type    text        not null,
    size_bytes      integer     not null,
    content         bytea       not null,
    uploaded_by_name text,
    uploaded_at     timestamptz not null default now()
);

-- 应急预警: one warning from its start to its end; level and end are the current ones (history in the changes).
-- status: ACTIVE until ends_at has passed (or it was lifted), then ENDED (set by the scheduler, which also writes the
-- evaluation report). plan_year: whose plans it uses.
create table emergency_warning (
    id              bigserial   primary key,
    level           text        not null check (level in ('YELLOW', 'ORANGE', 'RED')),
    plan_year       smallint    not null,
    starts_at       timestamptz not null,
    ends_at         timestamptz not null,
    document        text,                                      -- 发布文件（文号）
    status          text        not null default 'ACTIVE' check (status in ('ACTIVE', 'ENDED')),
    lifted_at       timestamptz,                               -- lifted early (解除)
    created_by_name text,
    created_at      timestamptz not null default now(),
    ended_at        timestamptz,                               -- when the scheduler closed it
    check (starts_at < ends_at)
);
create index emergency_warning_active on emergency_warning (ends_at) where status = 'ACTIVE';

create table emergency_warning_district (
    warning_id    bigint  not null references emergency_warning (id) on delete cascade,
    district_code char(6) not null references region (code),
    primary key (warning_id, district_code)
);

-- Every change of a warning, in order: START, UPGRADE, DOWNGRADE, EXTEND (later end), SHORTEN (earlier end), LIFT
-- (解除, ends it at effective_at), END (its end time passed). effective_at: from when the change applies.
create table emergency_warning_change (
    id            bigserial   primary key,
    warning_id    bigint      not null references emergency_warning (id) on delete cascade,
    kind          text        not null check (kind in ('START', 'UPGRADE', 'DOWNGRADE', 'EXTEND', 'SHORTEN', 'LIFT', 'END')),
    effective_at  timestamptz not null,
    level_before  text,
    level_after   text,
    ends_before   timestamptz,
    ends_after    timestamptz,
    document      text,
    reason        text,
    by_name       text,
    recorded_at   timestamptz not null default now()
);
create index emergency_warning_change_warning on emergency_warning_change (warning_id, id);

-- What one enterprise must do during [valid_from, valid_to) of a warning, at the level then in force. A level change
-- ends the measures of the old level (valid_to = the change) and starts those of the new one; a measure that had not
-- yet started when it was replaced is CANCELLED (its order revoked). STOP / LIMIT measures have a production_order
-- (same period, source EMERGENCY, source_ref 'EW-<warning id>'); SELF measures have none.
-- facility_ids: the production facilities concerned; null = all production facilities of the enterprise.
create table emergency_measure (
    id                  bigserial     primary key,
    warning_id          bigint        not null references emergency_warning (id) on delete cascade,
    enterprise_id       bigint        not null references enterprise (id) on delete cascade,
    plan_id             bigint        references emergency_plan (id) on delete set null,
    level               text          not null check (level in ('YELLOW', 'ORANGE', 'RED')),
    grade               text,
    measure             text          not null check (measure in ('STOP', 'LIMIT', 'SELF')),
    limit_percent       numeric(5, 2),
    facility_ids        bigint[],
    valid_from          timestamptz   not null,
    valid_to            timestamptz   not null,
    status              text          not null default 'ACTIVE' check (status in ('ACTIVE', 'CANCELLED')),
    production_order_id bigint        references production_order (id) on delete set null,
    rotation_picked     boolean       not null default false,     -- in force because rotation picked it (轮循)
    check (valid_from < valid_to)
);
create index emergency_measure_warning on emergency_measure (warning_id, enterprise_id);
create index emergency_measure_enterprise on emergency_measure (enterprise_id, valid_from);
