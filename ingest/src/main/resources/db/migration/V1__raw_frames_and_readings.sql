-- Raw-message trace: every frame or rejected byte run, as received, kept for the retention period.
-- Partitioned by day of receipt so retention is a DROP, and indexed for "this MN, this time range".
create table raw_frame (
    journal_pos  bigint      not null,
    received_at  timestamptz not null,
    channel      text        not null,
    peer         text,
    mn           text,
    cn           text,
    qn           text,
    verdict      text        not null,   -- VALID or a reject reason
    reason       text,
    raw          bytea       not null,
    primary key (journal_pos, received_at)
) partition by range (received_at);
create table raw_frame_default partition of raw_frame default;
create index raw_frame_mn_time on raw_frame (mn, received_at desc);
create index raw_frame_time on raw_frame (received_at desc);

-- One row per (MN, CN, DataTime, factor code, field): what the device said, stored once.
-- A re-send or a journal replay with the same value changes nothing; a different value for the same key
-- (a device correcting itself) replaces it and the old value is kept in reading_correction.
create table reading (
    mn          text        not null,
    cn          text        not null,
    data_time   timestamptz not null,
    factor      text        not null,
    field       text        not null,
    value       double precision,        -- numeric value, null when not a number
    text_value  text,                    -- the value as written when not a number (flags such as N, J)
    received_at timestamptz not null,
    journal_pos bigint      not null,
    primary key (mn, cn, data_time, factor, field)
) partition by range (data_time);
create table reading_default partition of reading default;

create table reading_correction (
    id           bigserial   primary key,
    mn           text        not null,
    cn           text        not null,
    data_time    timestamptz not null,
    factor       text        not null,
    field        text        not null,
    old_value    double precision,
    old_text     text,
    old_journal_pos bigint   not null,
    replaced_at  timestamptz not null default now()
);
create index reading_correction_key on reading_correction (mn, data_time);

create function keep_replaced_reading() returns trigger language plpgsql as $$
begin
    insert into reading_correction (mn, cn, data_time, factor, field, old_value, old_text, old_journal_pos)
    values (old.mn, old.cn, old.data_time, old.factor, old.field, old.value, old.text_value, old.journal_pos);
    return new;
end $$;
create trigger reading_keep_replaced before update on reading
    for each row execute function keep_replaced_reading();
