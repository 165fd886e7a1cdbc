-- Devices prove who they are (issue 12): the HJ 212 access password (PW) of each data logger and what to do with a
-- frame that does not carry it. The password itself is never stored: only a salted SHA-256
-- ("sha256:<salt>:<digest>", base64), which the gateway compares with the PW of every frame (docs/ingest.md).
alter table data_logger
    add column pw_hash           text,
    add column pw_set_at         timestamptz,
    -- WARN: accepted with a warning in the trace (loggers registered before passwords: the roll-out stage);
    -- ALLOWLIST: accepted only from allowed_addresses; REJECT: refused. A frame with the right password is always accepted.
    add column access_policy     text   not null default 'WARN' check (access_policy in ('WARN', 'ALLOWLIST', 'REJECT')),
    add column allowed_addresses text[] not null default '{}',   -- CIDR blocks, normalized by the API ("127.0.0.1/32")
    add constraint data_logger_allowlist_needs_addresses
        check (access_policy <> 'ALLOWLIST' or cardinality(allowed_addresses) > 0);
