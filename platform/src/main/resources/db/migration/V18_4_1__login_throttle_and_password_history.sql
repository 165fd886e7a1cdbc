-- Login throttling and password history (docs/security.md "Login and sessions"). Owned by the auth package.

-- Wrong passwords counted per (username as typed, client address) and per username across all addresses
-- (address ''), for known and unknown usernames alike, so the answers do not tell whether a name exists.
-- An attempt is counted before its password is compared; a successful login deletes the rows it counted on.
create table login_failure (
    username        text        not null,   -- lower-case, as typed
    address         text        not null,   -- client address (IPv6: its /64), '' = all addresses together
    failures        integer     not null,   -- attempts since the last success; beyond the limit = refused while locked
    locked_until    timestamptz,
    last_failure_at timestamptz not null default now(),
    primary key (username, address)
);
create index login_failure_last on login_failure (last_failure_at);

-- The lockout lives in login_failure now.
alter table app_user drop column failed_logins;
alter table app_user drop column locked_until;

-- A user's replaced password hashes, the newest powerwatch.security.password.history kept, so an old password
-- cannot come back.
create table password_history (
    id            bigserial   primary key,
    user_id       bigint      not null references app_user (id) on delete cascade,
    password_hash text        not null,
    replaced_at   timestamptz not null default now()
);
create index password_history_user on password_history (user_id, id desc);
