-- Learned running-state thresholds (docs/analysis-models.md §8, docs/registry.md "Learned thresholds"): the
-- engine proposes stop/run/abnormal thresholds from a facility's own history; an operator accepts (possibly
-- edited) or rejects each proposal. Owned by the registry package.

-- The facility's normal running value (median of its running samples), in the unit of threshold_quantity
-- (kW for P, A for I). Set when a proposal is accepted. The engine uses k × this as the abnormal-low threshold of
-- a treatment facility that has no abnormal_below (k = TREATMENT_ABNORMAL's abnormalRatio).
alter table facility add column normal_running double precision check (normal_running > 0);

create table threshold_proposal (
    id              bigserial        primary key,
    facility_id     bigint           not null references facility (id) on delete cascade,
    computed_at     timestamptz      not null default now(),
    window_from     timestamptz      not null,          -- the history read: [window_from, window_to)
    window_to       timestamptz      not null,
    quantity        text             not null check (quantity in ('P', 'I')),   -- the facility's threshold quantity then
    stop_below      double precision not null check (stop_below >= 0),
    run_above       double precision not null check (run_above >= 0),
    normal_running  double precision not null check (normal_running > 0),
    abnormal_below  double precision check (abnormal_below >= 0),               -- treatment only
    quality         jsonb            not null default '{}',  -- samples, days, levels, shares, separation, warnings …
    trigger         text             not null check (trigger in ('MANUAL', 'SCHEDULED')),
    requested_by    text,                               -- username, null for the scheduled job
    status          text             not null default 'PROPOSED'
                                     check (status in ('PROPOSED', 'ACCEPTED', 'REJECTED', 'SUPERSEDED')),
    decided_by      text,                               -- username of whoever accepted or rejected it
    decided_by_user_id bigint,
    decided_at      timestamptz,
    note            text,
    accepted        jsonb,   -- the values written to the facility (the proposal's, or the operator's edits)
    previous        jsonb,   -- the facility's thresholds before acceptance
    check (stop_below <= run_above),
    check (window_from < window_to),
    check ((status in ('ACCEPTED', 'REJECTED')) = (decided_at is not null))
);
-- at most one open proposal per facility: a new one supersedes the old in the same transaction
create unique index threshold_proposal_open on threshold_proposal (facility_id) where status = 'PROPOSED';
create index threshold_proposal_facility on threshold_proposal (facility_id, computed_at desc);
create index threshold_proposal_status on threshold_proposal (status, computed_at desc);
