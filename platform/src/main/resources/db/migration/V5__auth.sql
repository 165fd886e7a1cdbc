-- Users, roles and bearer tokens. Owned by the auth package.
create table app_user (
    id                   bigserial   primary key,
    username             text        not null unique,
    display_name         text,
    password_hash        text,                    -- {argon2}… ; null for API clients (token only)
    role                 text        not null check (role in ('CITY_ADMIN', 'OPERATOR', 'DISTRICT_OFFICER', 'ENTERPRISE_USER', 'API_CLIENT')),
    enterprise_id        bigint      references enterprise (id) on delete cascade,   -- ENTERPRISE_USER only
    enabled              boolean     not null default true,
    must_change_password boolean     not null default false,
    failed_logins        integer     not null default 0,
    locked_until         timestamptz,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    check ((role = 'ENTERPRISE_USER') = (enterprise_id is not null))
);

-- Regions a district officer (or a scoped API client) may see: a district, or a city / province meaning all under it.
create table app_user_region (
    user_id     bigint  not null references app_user (id) on delete cascade,
    region_code char(6) not null references region (code),
    primary key (user_id, region_code)
);

-- Opaque bearer tokens; only a SHA-256 of the token is stored.
create table auth_token (
    token_hash   char(64)    primary key,      -- hex SHA-256 of the token
    user_id      bigint      not null references app_user (id) on delete cascade,
    kind         text        not null check (kind in ('SESSION', 'API')),
    name         text,                         -- API tokens: what the client is
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,                  -- null: until revoked (API tokens)
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index auth_token_user on auth_token (user_id);
