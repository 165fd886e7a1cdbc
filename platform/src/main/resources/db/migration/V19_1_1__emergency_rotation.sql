-- 企业轮循设置 (docs/emergency.md §2): when a level's measures are shared out, each activation picks the rotatable
-- enterprises in turn. Owned by the emergency package.

-- Fixed group (甲 / 乙 / 丙 …) of a rotatable plan, for the GROUPS variant.
alter table emergency_plan add column rotation_group text check (length(rotation_group) <= 20);

-- The rotation of one year × level. mode ORDER: candidates ordered by times limited this season, then last limited
-- date, then grade (D, C, B, others), taken until the target is met; target_kind COUNT (enterprises), CAPACITY (Σ rated
-- kW of their facilities) or BASELINE (Σ baseline kW: the plan's typed one, else rated × the rated load factor).
-- mode GROUPS: the next group (by name) after the one the previous activation of the season picked. season_start: the
-- day (month-day, yyyy ignored) the season's count starts, e.g. 10-01 for the autumn-winter campaign.
create table emergency_rotation (
    year          smallint      not null,
    level         text          not null check (level in ('YELLOW', 'ORANGE', 'RED')),
    enabled       boolean       not null default true,
    mode          text          not null default 'ORDER' check (mode in ('ORDER', 'GROUPS')),
    target_kind   text          not null default 'COUNT' check (target_kind in ('COUNT', 'CAPACITY', 'BASELINE')),
    target_value  double precision check (target_value > 0),
    season_start  text          not null default '10-01' check (season_start ~ '^[01][0-9]-[0-3][0-9]$'),
    updated_by_name text,
    updated_at    timestamptz   not null default now(),
    primary key (year, level)
);

-- The ledger: every candidate of every activation (start or level change) with its place in the order and whether it
-- was picked; an officer's override keeps who, when and why.
create table emergency_rotation_pick (
    id              bigserial   primary key,
    warning_id      bigint      not null references emergency_warning (id) on delete cascade,
    change_id       bigint      not null references emergency_warning_change (id) on delete cascade,
    enterprise_id   bigint      not null references enterprise (id) on delete cascade,
    plan_id         bigint      references emergency_plan (id) on delete set null,
    rank            integer     not null,
    times_limited   integer     not null,        -- this season, before this activation
    last_limited_at timestamptz,
    grade           text,
    rotation_group  text,
    weight          double precision,            -- what counts towards the target (1, kW)
    picked          boolean     not null,
    overridden_at   timestamptz,
    override_by     text,
    override_reason text,
    unique (change_id, enterprise_id)
);
create index emergency_rotation_pick_warning on emergency_rotation_pick (warning_id, change_id, rank);
