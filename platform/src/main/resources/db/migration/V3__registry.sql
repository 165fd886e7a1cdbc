-- Registry: who is monitored and what each meter measures. Owned by the registry package; every other
-- feature reads these tables. Natural keys (credit code, MN + channel) are unique so imports can upsert.

-- GB/T 2260 administrative divisions: 1 province, 2 city (prefecture), 3 district / county.
create table region (
    code        char(6)  primary key,
    name        text     not null,
    level       smallint not null check (level between 1 and 3),
    parent_code char(6)  references region (code)
);

-- GB/T 4754-2017 industries: 1 门类 (letter), 2 大类 (2 digits), 3 中类 (3 digits), 4 小类 (4 digits).
create table industry (
    code        varchar(4) primary key,
    name        text       not null,
    level       smallint   not null check (level between 1 and 4),
    parent_code varchar(4) references industry (code)
);

create table enterprise (
    id              bigserial   primary key,
    name            text        not null,
    credit_code     char(18)    unique,          -- 统一社会信用代码, check digit validated; null = not yet known (a data check)
    address         text,
    longitude       double precision,            -- WGS-84 (GCJ-02 input is converted before storing)
    latitude        double precision,
    district_code   char(6)     not null references region (code),
    industry_code   varchar(4)  references industry (code),
    permit_class    text        check (permit_class in ('KEY', 'SIMPLIFIED', 'REGISTERED')),   -- 重点/简化/登记
    emergency_grade text        check (emergency_grade in ('A', 'B', 'C', 'D', 'LEADING')),   -- 绩效分级, LEADING = 引领性
    contacts        jsonb       not null default '[]',   -- [{"name":…, "role":…, "phone":…}]
    status          text        not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED', 'CLOSED')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check ((longitude is null) = (latitude is null))
);
create index enterprise_district on enterprise (district_code);
create index enterprise_industry on enterprise (industry_code);

create table production_line (
    id            bigserial primary key,
    enterprise_id bigint    not null references enterprise (id) on delete cascade,
    name          text      not null,
    unique (enterprise_id, name)
);

-- A facility is what a point measures: production (产污), treatment (治污) or the enterprise's total meter (总用电).
-- State thresholds are in kW of active power, or in A when threshold_quantity = 'I' (devices that report only current).
create table facility (
    id                 bigserial   primary key,
    enterprise_id      bigint      not null references enterprise (id) on delete cascade,
    production_line_id bigint      references production_line (id) on delete set null,
    name               text        not null,
    kind               text        not null check (kind in ('PRODUCTION', 'TREATMENT', 'TOTAL')),
    process_type       text,                      -- 喷涂线, RTO, 活性炭吸附, 布袋除尘, 喷淋塔 …
    rated_kw           double precision check (rated_kw > 0),
    threshold_quantity text        not null default 'P' check (threshold_quantity in ('P', 'I')),
    stop_below         double precision check (stop_below >= 0),     -- stopped when below
    run_above          double precision check (run_above >= 0),      -- running when above (hysteresis band between)
    abnormal_below     double precision check (abnormal_below >= 0), -- treatment: running but below this = abnormal (降频/空转)
    status             text        not null default 'ACTIVE' check (status in ('ACTIVE', 'RETIRED')),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (enterprise_id, name),
    check (stop_below is null or run_above is null or stop_below <= run_above)
);
create index facility_enterprise on facility (enterprise_id);

-- Production and treatment facilities, many-to-many. Treatment must be running before production starts
-- and keep running after production stops; start_lead_minutes / stop_lag_minutes are the tolerances
-- the analysis models allow around those two moments.
create table facility_association (
    production_facility_id bigint  not null references facility (id) on delete cascade,
    treatment_facility_id  bigint  not null references facility (id) on delete cascade,
    start_lead_minutes     integer not null default 10 check (start_lead_minutes >= 0),
    stop_lag_minutes       integer not null default 30 check (stop_lag_minutes >= 0),
    primary key (production_facility_id, treatment_facility_id)
);
create index facility_association_treatment on facility_association (treatment_facility_id);

-- Factor dictionary: a profile is one vendor's or region's way of naming quantities inside HJ 212 frames.
-- A mapping says: in a frame, the item <code>-<field> where code = code_template with {ch} replaced by the
-- point's channel carries this canonical quantity, multiplied by scale (e.g. 0.001 for W -> kW).
create table factor_profile (
    code        text primary key,
    name        text not null,
    description text
);
create table factor_mapping (
    profile       text             not null references factor_profile (code) on delete cascade,
    code_template text             not null,   -- e.g. '{ch}', '{ch}07', 'i33201'
    field         text             not null,   -- e.g. 'Ia', 'Rtd', 'Cou', 'RS', 'Avg'
    quantity      text             not null,   -- canonical quantity (Java enum CanonicalQuantity)
    scale         double precision not null default 1,
    primary key (profile, code_template, field)
);

-- Data loggers (数采仪) by MN, assigned to an enterprise by the bureau.
create table data_logger (
    mn            varchar(24) primary key,
    enterprise_id bigint      not null references enterprise (id) on delete cascade,
    vendor        text,
    model         text,
    assigned_at   timestamptz not null default now(),
    note          text
);
create index data_logger_enterprise on data_logger (enterprise_id);

-- A monitoring point (监测点) is one meter channel behind a data logger.
create table monitoring_point (
    id             bigserial        primary key,
    facility_id    bigint           not null references facility (id) on delete cascade,
    name           text             not null,
    mn             varchar(24)      not null references data_logger (mn),
    channel        text             not null default '',     -- replaces {ch} in the profile's code templates
    profile        text             not null references factor_profile (code),
    ct_ratio       double precision not null default 1 check (ct_ratio > 0),   -- applied when the meter reports secondary values
    pt_ratio       double precision not null default 1 check (pt_ratio > 0),
    commissioned_on date,                                     -- 联网日期: data expected from this day on
    status         text             not null default 'ACTIVE' check (status in ('ACTIVE', 'RETIRED')),
    created_at     timestamptz      not null default now(),
    updated_at     timestamptz      not null default now(),
    unique (mn, channel)
);
create index monitoring_point_facility on monitoring_point (facility_id);

-- Frames from an MN that no data_logger row knows: kept in the store like any other, and listed here.
create table unregistered_mn (
    mn         varchar(64) primary key,
    first_seen timestamptz not null,
    last_seen  timestamptz not null,
    frames     bigint      not null default 0,
    last_peer  text
);

-- Seed profiles for the two electricity code families seen in the field (docs/registry.md lists more).
insert into factor_profile (code, name, description) values
 ('elec-a', '电力参数 A 型 (<id>-Ia…)', 'Vendor family A: one 6-digit id per meter ({ch}, e.g. 100000 total, 100001 first facility) and the quantity as the field: {ch}-Ia/Ib/Ic (A), -Ua/Ub/Uc (V, phase), -Pt (kW), -Qt (kvar), -PF, -Ept (kWh, cumulative), one -Flag per id. Minute/hour data: {ch}-Pt-Avg …, {ch}-Ept-Max.'),
 ('elec-b', '电力参数 B 型 (ea3001<设施><项>)', 'Vendor family B: {ch} = ea3001 + 2-digit facility number, then a 2-digit item: 01-03 Ia-Ic, 05 P (kW), 06 Q, 07 active energy (kWh, cumulative), 09 PF, 10-12 Ua-Uc; field Rtd (real time) or Avg/Min/Max, Flag per item.');
insert into factor_mapping (profile, code_template, field, quantity, scale) values
 ('elec-a', '{ch}', 'Ia', 'IA', 1),
 ('elec-a', '{ch}-Ia', 'Avg', 'IA', 1),
 ('elec-a', '{ch}', 'Ib', 'IB', 1),
 ('elec-a', '{ch}-Ib', 'Avg', 'IB', 1),
 ('elec-a', '{ch}', 'Ic', 'IC', 1),
 ('elec-a', '{ch}-Ic', 'Avg', 'IC', 1),
 ('elec-a', '{ch}', 'Ua', 'UA', 1),
 ('elec-a', '{ch}-Ua', 'Avg', 'UA', 1),
 ('elec-a', '{ch}', 'Ub', 'UB', 1),
 ('elec-a', '{ch}-Ub', 'Avg', 'UB', 1),
 ('elec-a', '{ch}', 'Uc', 'UC', 1),
 ('elec-a', '{ch}-Uc', 'Avg', 'UC', 1),
 ('elec-a', '{ch}', 'Pt', 'P', 1),
 ('elec-a', '{ch}-Pt', 'Avg', 'P', 1),
 ('elec-a', '{ch}', 'Qt', 'Q', 1),
 ('elec-a', '{ch}-Qt', 'Avg', 'Q', 1),
 ('elec-a', '{ch}', 'PF', 'PF', 1),
 ('elec-a', '{ch}-PF', 'Avg', 'PF', 1),
 ('elec-a', '{ch}', 'Ept', 'E', 1),
 ('elec-a', '{ch}-Ept', 'Max', 'E', 1),
 ('elec-a', '{ch}', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}01', 'Rtd', 'IA', 1),
 ('elec-b', '{ch}01', 'Avg', 'IA', 1),
 ('elec-b', '{ch}01', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}02', 'Rtd', 'IB', 1),
 ('elec-b', '{ch}02', 'Avg', 'IB', 1),
 ('elec-b', '{ch}02', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}03', 'Rtd', 'IC', 1),
 ('elec-b', '{ch}03', 'Avg', 'IC', 1),
 ('elec-b', '{ch}03', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}10', 'Rtd', 'UA', 1),
 ('elec-b', '{ch}10', 'Avg', 'UA', 1),
 ('elec-b', '{ch}10', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}11', 'Rtd', 'UB', 1),
 ('elec-b', '{ch}11', 'Avg', 'UB', 1),
 ('elec-b', '{ch}11', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}12', 'Rtd', 'UC', 1),
 ('elec-b', '{ch}12', 'Avg', 'UC', 1),
 ('elec-b', '{ch}12', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}05', 'Rtd', 'P', 1),
 ('elec-b', '{ch}05', 'Avg', 'P', 1),
 ('elec-b', '{ch}05', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}06', 'Rtd', 'Q', 1),
 ('elec-b', '{ch}06', 'Avg', 'Q', 1),
 ('elec-b', '{ch}06', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}09', 'Rtd', 'PF', 1),
 ('elec-b', '{ch}09', 'Avg', 'PF', 1),
 ('elec-b', '{ch}09', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}07', 'Rtd', 'E', 1),
 ('elec-b', '{ch}07', 'Flag', 'FLAG', 1),
 ('elec-b', '{ch}07', 'Max', 'E', 1);
