-- Login bookkeeping and the audit log (系统日志). Owned by the auth and audit packages.

-- Usernames are unique regardless of case, so "Admin" cannot shadow "admin" at login.
create unique index app_user_username_lower on app_user (lower(username));
alter table app_user add column last_login_at       timestamptz;
alter table app_user add column password_changed_at timestamptz;

-- One row per login, logout, password or user change, domain event, and per changing (non-GET) API request.
-- No foreign key to app_user: the record outlives the user it names (username and role are copied).
create table audit_log (
    id          bigserial   primary key,
    at          timestamptz not null default now(),
    user_id     bigint,                 -- null: anonymous (e.g. a failed login for an unknown name) or the system
    username    text,                   -- as typed for failed logins
    role        text,
    action      text        not null,   -- LOGIN, LOGIN_FAILED, ACCOUNT_LOCKED, LOGOUT, PASSWORD_CHANGED, USER_CREATED, API_REQUEST, …
    target      text,                   -- what was acted on: "user:42", "POST /api/admin/users/{id}/disable", …
    outcome     text        not null check (outcome in ('SUCCESS', 'FAILURE', 'DENIED')),
    ip          text,
    http_method text,                   -- API_REQUEST rows only, like the four below
    path        text,
    route       text,                   -- the matched pattern, e.g. /api/admin/users/{id}
    status      integer,
    duration_ms integer,
    detail      jsonb       not null default '{}'   -- request body summary (secrets masked), reasons, before/after
);
create index audit_log_at on audit_log (at desc);
create index audit_log_user on audit_log (lower(username), at desc);
create index audit_log_action on audit_log (action, at desc);
