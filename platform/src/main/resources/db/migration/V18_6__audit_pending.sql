-- An API request's audit row is written before the request runs (outcome PENDING) and completed after it; a row left
-- PENDING is a request whose end could not be recorded (the process stopped, or the database failed at that moment).
-- Owned by the audit package (docs/security.md "Audit trail and errors").
alter table audit_log drop constraint audit_log_outcome_check;
alter table audit_log add constraint audit_log_outcome_check check (outcome in ('SUCCESS', 'FAILURE', 'DENIED', 'PENDING'));
