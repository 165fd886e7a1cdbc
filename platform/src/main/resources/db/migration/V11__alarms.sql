-- Alarms as records, their handling steps and attachments, production (stop/limit) orders, alarm rule
-- parameters per scope, and the log of notification attempts. Owned by the alarm package (docs/alarms.md).

-- The catalogue of alarm types the analysis engine raises. Levels: LEVEL_1 一级 (most severe) … NOTICE 提示.
create table alarm_type (
    code          text     primary key,
    name          text     not null,
    category      text     not null check (category in ('TREATMENT', 'PRODUCTION', 'DATA', 'WARNING')),
    category_name text     not null,
    default_level text     not null check (default_level in ('LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'NOTICE')),
    description   text,
    sort_order    integer  not null
);
insert into alarm_type (code, name, category, category_name, default_level, sort_order, description) values
 ('TREATMENT_NOT_STARTED',  '治污设施未开启',   'TREATMENT',  '治污设施',       'LEVEL_2', 10, '生产设施运行而关联治污设施未开启'),
 ('TREATMENT_STOPPED',      '治污设施停运',     'TREATMENT',  '治污设施',       'LEVEL_2', 20, '生产期间治污设施由运行转为停运'),
 ('TREATMENT_ABNORMAL',     '治污设施运行异常', 'TREATMENT',  '治污设施',       'LEVEL_3', 30, '生产期间治污设施空转、降频或功率偏低'),
 ('START_STOP_ORDER',       '启停顺序异常',     'TREATMENT',  '治污设施',       'LEVEL_3', 40, '治污设施后启或先停，超出允许时差'),
 ('TREATMENT_RATIO_DROP',   '治污用电占比异常', 'TREATMENT',  '治污设施',       'LEVEL_3', 50, '治污与生产电量比低于历史水平'),
 ('PRODUCTION_DURING_STOP', '停产期间生产',     'PRODUCTION', '生产管控',       'LEVEL_1', 60, '停产令有效期间生产设施运行或总用电超过停产基线'),
 ('LIMIT_NOT_KEPT',         '限产不达标',       'PRODUCTION', '生产管控',       'LEVEL_2', 70, '限产令有效期间用电削减比例未达要求'),
 ('OVER_CAPACITY',          '超负荷生产',       'PRODUCTION', '生产管控',       'LEVEL_2', 80, '生产负荷超过额定功率或历史高位'),
 ('LOGGER_OFFLINE',         '数采仪离线',       'DATA',       '通讯与数据质量', 'LEVEL_3', 90, '数采仪的全部监测点无数据上报'),
 ('METER_OFFLINE',          '电表离线',         'DATA',       '通讯与数据质量', 'LEVEL_3', 100, '单个电表无数据上报'),
 ('METER_POWER_LOSS',       '电表失电',         'DATA',       '通讯与数据质量', 'LEVEL_3', 110, '三相电压均接近零：表计或供电故障'),
 ('PHASE_LOSS',             '缺相',             'DATA',       '通讯与数据质量', 'LEVEL_3', 120, '一相电压接近零而其余正常'),
 ('INVALID_DATA',           '数据无效标记',     'DATA',       '通讯与数据质量', 'NOTICE',  130, '上报数据带无效标记'),
 ('FROZEN_VALUE',           '数据恒值',         'DATA',       '通讯与数据质量', 'NOTICE',  140, '功率长时间完全不变，疑似造假或故障'),
 ('IMPOSSIBLE_READING',     '数据不合理',       'DATA',       '通讯与数据质量', 'NOTICE',  150, '读数违反电学关系或超出物理范围'),
 ('PATTERN_ANOMALY',        '用电模式异常',     'WARNING',    '预警',           'NOTICE',  160, '用电模式偏离历史（夜间生产、负荷异常波动）');

-- One alarm = one episode of a condition on one subject. At most one ACTIVE alarm per (type, subject_key):
-- the partial unique index is the last guard against races; the recorder also serialises per subject.
-- Data times (started_at, last_seen_at, ended_at) come from the readings; created_at/updated_at are wall clock.
create table alarm (
    id               bigserial   primary key,
    type             text        not null references alarm_type (code),
    subject_key      text        not null,                  -- facility:42, point:7, logger:<MN>, enterprise:3
    enterprise_id    bigint      not null references enterprise (id) on delete cascade,
    facility_id      bigint      references facility (id) on delete set null,
    point_id         bigint      references monitoring_point (id) on delete set null,
    mn               varchar(64),
    level            text        not null check (level in ('LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'NOTICE')),
    initial_level    text        not null check (initial_level in ('LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'NOTICE')),
    status           text        not null default 'ACTIVE' check (status in ('ACTIVE', 'RECOVERED')),
    handling         text        not null default 'UNCONFIRMED'
                                 check (handling in ('UNCONFIRMED', 'CONFIRMED', 'CANCELLED', 'HANDLED')),
    workflow         text        check (workflow in ('DISPATCHED', 'FEEDBACK', 'VERIFIED', 'REVIEWED')), -- null: not dispatched
    started_at       timestamptz not null,
    last_seen_at     timestamptz not null,
    ended_at         timestamptz,
    repeats          integer     not null default 0,        -- raises after the first one (with later data times)
    first_evidence   jsonb       not null default '{}',
    last_evidence    jsonb       not null default '{}',
    end_evidence     jsonb,
    level_changed_at timestamptz not null default now(),    -- escalation counts from here (wall clock)
    assignee_user_id bigint      references app_user (id) on delete set null,
    assignee_region  char(6)     references region (code),
    deadline         timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    check ((status = 'RECOVERED') = (ended_at is not null))
);
create unique index alarm_one_active on alarm (type, subject_key) where status = 'ACTIVE';
create index alarm_subject on alarm (type, subject_key, ended_at desc);
create index alarm_enterprise on alarm (enterprise_id, started_at desc);
create index alarm_started on alarm (started_at desc);
create index alarm_active on alarm (level, type) where status = 'ACTIVE';

-- Every step in an alarm's life, by whom (as they were) and when: raised, escalated, recovered, confirmed,
-- cancelled, handled, dispatched, feedback, verified, reviewed, reason, attachment.
create table alarm_step (
    id               bigserial   primary key,
    alarm_id         bigint      not null references alarm (id) on delete cascade,
    action           text        not null,
    actor_user_id    bigint,
    actor_username   text,
    actor_role       text,
    at               timestamptz not null default now(),
    text             text,
    assignee_user_id bigint,
    assignee_region  char(6),
    deadline         timestamptz,
    result           text,
    detail           jsonb       not null default '{}'
);
create index alarm_step_alarm on alarm_step (alarm_id, id);

-- Photos attached to an alarm; the bytes are files under <powerwatch.data-dir>/attachments/.
create table alarm_attachment (
    id               bigserial   primary key,
    alarm_id         bigint      not null references alarm (id) on delete cascade,
    file_name        text        not null,                  -- as uploaded (shown only)
    stored_path      text        not null,                  -- relative to the attachments directory
    content_type     text        not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes       bigint      not null,
    sha256           char(64)    not null,
    note             text,
    uploaded_by      bigint,
    uploaded_by_name text,
    uploaded_at      timestamptz not null default now()
);
create index alarm_attachment_alarm on alarm_attachment (alarm_id);

-- Ordered stop / limit periods (停产 / 限产), an input of the analysis engine. facility_ids null = whole enterprise.
-- limit_percent: the required reduction against the baseline (LIMIT only).
create table production_order (
    id             bigserial   primary key,
    enterprise_id  bigint      not null references enterprise (id) on delete cascade,
    kind           text        not null check (kind in ('STOP', 'LIMIT')),
    limit_percent  numeric(5, 2) check (limit_percent >= 1 and limit_percent <= 99),
    baseline_kw    double precision check (baseline_kw > 0),
    facility_ids   bigint[],
    valid_from     timestamptz not null,
    valid_to       timestamptz not null,
    source         text        not null check (source in ('EMERGENCY', 'RECTIFICATION', 'STAGGERED', 'OTHER')),
    source_ref     text,                                     -- document number, emergency activation …
    reason         text,
    status         text        not null default 'ACTIVE' check (status in ('ACTIVE', 'REVOKED')),
    created_by     bigint,
    created_by_name text,
    created_at     timestamptz not null default now(),
    revoked_by     bigint,
    revoked_at     timestamptz,
    revoke_reason  text,
    check (valid_from < valid_to),
    check ((kind = 'LIMIT') = (limit_percent is not null))
);
create index production_order_enterprise on production_order (enterprise_id, valid_from);
create index production_order_active on production_order (valid_to) where status = 'ACTIVE';

-- 报警规则设置: parameters of one alarm type for one scope; the most specific scope wins, parameter by parameter.
-- scope_key: '' (GLOBAL), a region code, an industry code, an enterprise id or a facility id.
create table alarm_rule (
    id          bigserial   primary key,
    type        text        not null references alarm_type (code),
    scope_level text        not null check (scope_level in ('GLOBAL', 'REGION', 'INDUSTRY', 'ENTERPRISE', 'FACILITY')),
    scope_key   text        not null default '',
    enterprise_id bigint    references enterprise (id) on delete cascade,   -- ENTERPRISE and FACILITY rules: whose (for scoping)
    params      jsonb       not null default '{}',
    enabled     boolean     not null default true,
    updated_by  text,
    updated_at  timestamptz not null default now(),
    unique (type, scope_level, scope_key)
);

-- Every attempt to deliver a notification, successful or not.
create table notification_log (
    id         bigserial   primary key,
    at         timestamptz not null default now(),
    channel    text        not null,
    kind       text        not null,                  -- IN_APP, WECOM, DINGTALK, SMS, EMAIL
    event      text        not null,
    alarm_id   bigint      references alarm (id) on delete set null,
    recipient  text,
    attempt    integer     not null,
    outcome    text        not null check (outcome in ('SENT', 'FAILED', 'RETRYING', 'DROPPED')),
    status     integer,
    error      text,
    title      text
);
create index notification_log_at on notification_log (at desc);
create index notification_log_alarm on notification_log (alarm_id);
