-- Baselines of production orders and the history reference of production facilities (docs/analysis-models.md §3).
--
-- production_order.baseline_kw stays the baseline the engine compares with (mean production kW while the lines run).
-- baseline_method says where it came from: HISTORY_30D (the enterprise's own production history before the order),
-- RATED (rated capacity × a typical load factor, when there is too little history) or MANUAL (typed by an officer;
-- never overwritten by the system). baseline_days: the working days the history baseline used.
alter table production_order
    add column baseline_daily_kwh   double precision check (baseline_daily_kwh >= 0),
    add column baseline_method      text check (baseline_method in ('HISTORY_30D', 'RATED', 'MANUAL')),
    add column baseline_days        integer check (baseline_days >= 0),
    add column baseline_computed_at timestamptz,
    add column baseline_note        text;                    -- why this method (or why there is no baseline)

-- Baselines typed before this migration are manual ones.
update production_order set baseline_method = 'MANUAL', baseline_computed_at = created_at where baseline_kw is not null;

-- OVER_CAPACITY reference for production facilities without rated_kw: a high percentile of the facility's
-- 15-minute mean power while it runs, over the last days (daily job). history_peak_at = when it was computed.
alter table facility
    add column history_peak_kw double precision check (history_peak_kw > 0),
    add column history_peak_at timestamptz;
