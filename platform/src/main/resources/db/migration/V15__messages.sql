-- The in-app inbox (docs/alarms.md §6) and users' own contact details for the SMS and e-mail channels.

-- One row per message and recipient: a handling opinion, a dispatched task … Written by the in-app channel on the
-- notifier's delivery thread; pushed on the SSE stream as well when the user is connected, read later otherwise.
create table user_message (
    id         bigserial   primary key,
    user_id    bigint      not null references app_user (id) on delete cascade,
    alarm_id   bigint      references alarm (id) on delete set null,   -- the message outlives an alarm removed by hand
    event      text        not null,                                   -- NotificationEvent: HANDLED, DISPATCHED, …
    title      text        not null,
    text       text        not null,
    level      text,                                                   -- the alarm's level when sent
    created_at timestamptz not null default now(),
    read_at    timestamptz                                             -- null = unread
);
-- the inbox, the unread list and the unread count: newest first per user (id breaks ties for keyset paging)
create index user_message_inbox on user_message (user_id, read_at, created_at desc, id desc);
-- the whole inbox (read and unread together), newest first
create index user_message_user_time on user_message (user_id, created_at desc, id desc);
create index user_message_alarm on user_message (alarm_id);

-- Personal contact details, optional. The application normalises and checks them (a clear 400); these checks are
-- the last guard. phone: a mainland mobile (1[3-9] + 9 digits) or a landline with its area code (029-88886666,
-- optional extension -123). Personal data: shown only to administrators and the user, never written to logs.
alter table app_user
    add column phone text check (phone ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$'),
    add column email text check (length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$');
