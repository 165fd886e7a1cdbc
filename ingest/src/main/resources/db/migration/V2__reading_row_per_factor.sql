-- One row per (MN, CN, DataTime, factor code) holding that factor's fields, instead of one row per
-- field: the key (MN, CN, DataTime, factor, field) still identifies exactly one stored value (a field
-- name inside the row), but the table and its index get ~6-10x fewer entries, which is what limited
-- the store writer (docs/benchmarks.md). Values stay exactly as written ("401.400", "N").
drop trigger if exists reading_keep_replaced on reading;
drop table if exists reading;
drop table if exists reading_correction;
drop function if exists keep_replaced_reading();

create table reading (
    mn          text        not null,
    cn          text        not null,
    data_time   timestamptz not null,
    factor      text        not null,
    fields      jsonb       not null,   -- field -> value as written, e.g. {"Ia": "12.5", "Flag": "N"}
    received_at timestamptz not null,
    journal_pos bigint      not null,
    primary key (mn, cn, data_time, factor)
) partition by range (data_time);
create table reading_default partition of reading default;

-- A later frame that changes a field replaces it; the fields as they were are kept here.
create table reading_correction (
    id              bigserial   primary key,
    mn              text        not null,
    cn              text        not null,
    data_time       timestamptz not null,
    factor          text        not null,
    old_fields      jsonb       not null,
    new_fields      jsonb       not null,
    old_journal_pos bigint      not null,
    new_journal_pos bigint      not null,
    replaced_at     timestamptz not null default now()
);
create index reading_correction_key on reading_correction (mn, data_time);

create function keep_replaced_reading() returns trigger language plpgsql as $$
begin
    insert into reading_correction (mn, cn, data_time, factor, old_fields, new_fields, old_journal_pos, new_journal_pos)
    values (old.mn, old.cn, old.data_time, old.factor, old.fields, new.fields, old.journal_pos, new.journal_pos);
    return new;
end $$;
create trigger reading_keep_replaced before update on reading
    for each row execute function keep_replaced_reading();
