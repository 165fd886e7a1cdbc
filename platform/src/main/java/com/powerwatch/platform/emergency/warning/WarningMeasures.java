package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.plan.PlanBaselines;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The measures of a warning and their production orders, written in bulk (a red warning may concern thousands of
 * enterprises): one statement opens every measure of a level, one ends them, one moves their end. Callers hold the
 * transaction; the engine reloads its orders after it commits.
 */
@Component
class WarningMeasures {

    /** Written into baseline_note of an order whose baseline is being computed in the background. */
    static final String PENDING = "应急预警：基线计算中";

    private final NamedParameterJdbcTemplate jdbc;
    private final ProductionOrders orders;

    WarningMeasures(NamedParameterJdbcTemplate jdbc, ProductionOrders orders) {
        this.jdbc = jdbc;
        this.orders = orders;
    }

    /**
     * Opens, for [from, to), the measures of every participating plan of {@code planYear} × {@code level} whose enterprise
     * (ACTIVE) lies in the warning's districts — except {@code skipped} (rotatable enterprises rotation did not pick) —
     * and a production order for each STOP / LIMIT measure that concerns at least one facility. An order's baseline:
     * the plan's 核定基准负荷 (MANUAL), else the baseline of the enterprise's previous order in this warning over the same
     * facilities (a level change keeps the reference), else the plan's baseline made ready for today
     * ({@link PlanBaselines}), else none yet (computed in the background: {@link #PENDING}).
     * Returns the ids of the orders that wait for a baseline.
     */
    List<Long> open(long warningId, EmergencyLevel level, int planYear, Instant from, Instant to, Collection<Long> skipped,
                    Collection<Long> picked, String reason, Long userId, String username) {
        return open(warningId, level, planYear, from, to, skipped, picked, null, reason, userId, username);
    }

    /** {@link #open} for one enterprise only ({@code only}; null = all): a rotation override adds it. */
    List<Long> open(long warningId, EmergencyLevel level, int planYear, Instant from, Instant to, Collection<Long> skipped,
                    Collection<Long> picked, Long only, String reason, Long userId, String username) {
        MapSqlParameterSource p = new MapSqlParameterSource("w", warningId).addValue("level", level.name()).addValue("year", planYear)
                .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to))
                .addValue("skipped", skipped.isEmpty() ? List.of(-1L) : skipped)
                .addValue("picked", picked.isEmpty() ? List.of(-1L) : picked)
                .addValue("ref", "EW-" + warningId).addValue("reason", reason).addValue("userId", userId).addValue("user", username)
                .addValue("pending", PENDING).addValue("only", only);
        jdbc.update("""
                with src as (
                  select p.id as plan_id, p.enterprise_id, p.measure, p.limit_percent, p.grade, p.baseline_kw, p.measure_text,
                         case when p.scope = 'ENTERPRISE' then null
                              else coalesce((select array_agg(pf.facility_id order by pf.facility_id) from emergency_plan_facility pf
                                             where pf.plan_id = p.id), '{}') end as facility_ids
                  from emergency_plan p join enterprise e on e.id = p.enterprise_id
                  where p.year = :year and p.level = :level and p.participates and e.status = 'ACTIVE'
                    and e.district_code in (select district_code from emergency_warning_district where warning_id = :w)
                    and p.enterprise_id not in (:skipped) and (cast(:only as bigint) is null or p.enterprise_id = :only)),
                previous as (
                  select distinct on (m.enterprise_id) m.enterprise_id, m.facility_ids, o.baseline_kw, o.baseline_daily_kwh,
                         o.baseline_method, o.baseline_days, o.baseline_computed_at, o.baseline_note
                  from emergency_measure m join production_order o on o.id = m.production_order_id
                  where m.warning_id = :w and o.baseline_kw is not null
                  order by m.enterprise_id, m.valid_from desc),
                ready as (""" + PlanBaselines.READY + """
                ),
                ordered as (
                  insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, facility_ids, valid_from, valid_to,
                                                source, source_ref, reason, created_by, created_by_name, baseline_daily_kwh,
                                                baseline_method, baseline_days, baseline_computed_at, baseline_note)
                  select s.enterprise_id, s.measure, case when s.measure = 'LIMIT' then s.limit_percent end,
                         case when s.baseline_kw is not null then s.baseline_kw when b.enterprise_id is not null then b.baseline_kw
                              else r.baseline_kw end, s.facility_ids, :from, :to, 'EMERGENCY', :ref,
                         :reason || coalesce('：' || s.measure_text, ''), :userId, :user,
                         case when s.baseline_kw is not null then null when b.enterprise_id is not null then b.baseline_daily_kwh
                              else r.baseline_daily_kwh end,
                         case when s.baseline_kw is not null then 'MANUAL' when b.enterprise_id is not null then b.baseline_method
                              else r.baseline_method end,
                         case when s.baseline_kw is not null then null when b.enterprise_id is not null then b.baseline_days
                              else r.baseline_days end,
                         -- a ready baseline is taken now (its window is today's), so the engine need not recompute it
                         coalesce(case when s.baseline_kw is null then b.baseline_computed_at end, now()),
                         case when s.baseline_kw is not null then '应急预案核定基准负荷' when b.enterprise_id is not null then b.baseline_note
                              else coalesce(r.note, :pending) end
                  from src s left join previous b on b.enterprise_id = s.enterprise_id
                                                 and b.facility_ids is not distinct from s.facility_ids
                             left join ready r on r.enterprise_id = s.enterprise_id and r.facility_key = """ + PlanBaselines.key("s.facility_ids") + """

                  where s.measure <> 'SELF' and (s.facility_ids is null or cardinality(s.facility_ids) > 0)
                  returning id, enterprise_id)
                insert into emergency_measure (warning_id, enterprise_id, plan_id, level, grade, measure, limit_percent, facility_ids,
                                               valid_from, valid_to, production_order_id, rotation_picked)
                select :w, s.enterprise_id, s.plan_id, :level, s.grade, s.measure, s.limit_percent, s.facility_ids, :from, :to, o.id,
                       s.enterprise_id in (:picked)
                from src s left join ordered o on o.enterprise_id = s.enterprise_id""", p);
        orders.changedInBulk();
        return jdbc.queryForList("""
                select o.id from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = :w and m.valid_from = :from and o.baseline_kw is null and o.baseline_note = :pending
                  and (cast(:only as bigint) is null or m.enterprise_id = :only)""", p, Long.class);
    }

    /**
     * Ends the warning's measures at {@code at}: those running are cut to end there (their orders too); those that had
     * not started are CANCELLED and their orders revoked. Returns how many measures were ended or cancelled.
     */
    int close(long warningId, Instant at, String why) {
        return close(warningId, at, why, null);
    }

    /** {@link #close} for one enterprise only ({@code only}; null = all): a rotation override takes it out. */
    int close(long warningId, Instant at, String why, Long only) {
        MapSqlParameterSource p = new MapSqlParameterSource("w", warningId).addValue("at", Timestamp.from(at)).addValue("why", why)
                .addValue("only", only);
        Integer cancelled = jdbc.queryForObject("""
                with gone as (
                  update emergency_measure set status = 'CANCELLED'
                  where warning_id = :w and status = 'ACTIVE' and valid_from >= :at
                    and (cast(:only as bigint) is null or enterprise_id = :only) returning production_order_id),
                revoked as (
                  update production_order set status = 'REVOKED', revoked_at = now(), revoke_reason = :why
                  where id in (select production_order_id from gone) and status = 'ACTIVE' returning id)
                select count(*) from gone""", p, Integer.class);
        Integer cut = jdbc.queryForObject("""
                with cut as (
                  update emergency_measure set valid_to = :at
                  where warning_id = :w and status = 'ACTIVE' and valid_from < :at and valid_to > :at
                    and (cast(:only as bigint) is null or enterprise_id = :only) returning production_order_id),
                ended as (
                  update production_order set valid_to = :at, reason = reason || '（' || :why || '）'
                  where id in (select production_order_id from cut) returning id)
                select count(*) from cut""", p, Integer.class);
        orders.changedInBulk();
        return cancelled + cut;
    }

    /** Moves the end of the warning's measures (and orders) that end at {@code oldEnd} to the later {@code newEnd}. */
    int extend(long warningId, Instant oldEnd, Instant newEnd) {
        MapSqlParameterSource p = new MapSqlParameterSource("w", warningId).addValue("old", Timestamp.from(oldEnd))
                .addValue("new", Timestamp.from(newEnd));
        Integer moved = jdbc.queryForObject("""
                with moved as (
                  update emergency_measure set valid_to = :new
                  where warning_id = :w and status = 'ACTIVE' and valid_to = :old returning production_order_id),
                later as (
                  update production_order set valid_to = :new where id in (select production_order_id from moved) returning id)
                select count(*) from moved""", p, Integer.class);
        orders.changedInBulk();
        return moved;
    }

    /** Measures in force from {@code from}, by measure kind (for the change record and the notices). */
    Map<String, Integer> counts(long warningId, Instant from) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        out.put("STOP", 0);
        out.put("LIMIT", 0);
        out.put("SELF", 0);
        jdbc.query("""
                select measure, count(*) from emergency_measure where warning_id = :w and status = 'ACTIVE' and valid_from = :from
                group by measure""", new MapSqlParameterSource("w", warningId).addValue("from", Timestamp.from(from)),
                rs -> { out.put(rs.getString(1), rs.getInt(2)); });
        return out;
    }
}
