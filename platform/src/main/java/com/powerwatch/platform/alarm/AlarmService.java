package com.powerwatch.platform.alarm;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link AlarmRecorder}: alarms as records, one open alarm per (type, subject).
 *
 * <p>Every raise or clear of one (type, subject) runs in a transaction that first takes a PostgreSQL advisory lock
 * on that pair, so two engine threads (or two nodes) see each other's result; the partial unique index
 * {@code alarm_one_active} is the last guard. All decisions use data times, which a journal replay repeats:
 * <ul>
 *   <li>a raise with {@code at} ≤ the open alarm's {@code last_seen_at} changes nothing (a replay);</li>
 *   <li>with no open alarm, a raise with {@code at} ≤ the latest recovery of that pair changes nothing (the replay
 *       of an episode that is over must not open it again);</li>
 *   <li>a clear with {@code at} before {@code last_seen_at} is stale and ignored; a clear without an open alarm is a
 *       no-op.</li>
 * </ul>
 * Escalation ({@link #escalateDue}) moves unconfirmed open alarms one level up per configured duration.
 */
@Service
public class AlarmService implements AlarmRecorder {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AlarmCatalogue catalogue;
    private final AlarmEvents events;
    private final AlarmProperties properties;

    AlarmService(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, AlarmCatalogue catalogue, AlarmEvents events,
                 AlarmProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.catalogue = catalogue;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public void raise(AlarmSignal s) {
        AlarmCatalogue.AlarmType type = catalogue.require(s.type());
        if (s.subjectKey() == null || s.subjectKey().isBlank() || s.at() == null) {
            throw new IllegalArgumentException("an alarm signal needs a subjectKey and a data time: " + s);
        }
        AlarmLevel level = s.level() == null ? type.defaultLevel() : s.level();
        String evidence = events.toJson(s.evidence());
        tx.executeWithoutResult(status -> {
            lock(s.type(), s.subjectKey());
            MapSqlParameterSource p = new MapSqlParameterSource().addValue("type", s.type()).addValue("key", s.subjectKey())
                    .addValue("at", Timestamp.from(s.at())).addValue("evidence", evidence);
            List<Map<String, Object>> open = jdbc.queryForList("""
                    select id, level, last_seen_at from alarm where type = :type and subject_key = :key and status = 'ACTIVE'""", p);
            if (!open.isEmpty()) {
                update(open.get(0), level, s, p);
                return;
            }
            Timestamp lastRecovery = jdbc.queryForObject("""
                    select max(ended_at) from alarm where type = :type and subject_key = :key and status = 'RECOVERED'""",
                    p, Timestamp.class);
            if (lastRecovery != null && !s.at().isAfter(lastRecovery.toInstant())) {
                return; // the replay of an episode that has already recovered
            }
            p.addValue("enterprise", s.enterpriseId()).addValue("facility", s.facilityId()).addValue("point", s.pointId())
                    .addValue("mn", s.mn()).addValue("level", level.name());
            List<Long> inserted = jdbc.queryForList("""
                    insert into alarm (type, subject_key, enterprise_id, facility_id, point_id, mn, level, initial_level,
                                       started_at, last_seen_at, first_evidence, last_evidence)
                    values (:type, :key, :enterprise, :facility, :point, :mn, :level, :level, :at, :at,
                            cast(:evidence as jsonb), cast(:evidence as jsonb))
                    on conflict (type, subject_key) where status = 'ACTIVE' do nothing
                    returning id""", p, Long.class);
            if (inserted.isEmpty()) {
                return; // cannot happen under the lock; the index keeps it at one row if it ever does
            }
            long id = inserted.get(0);
            events.step(id, "RAISED", null, null, null, null, null, level.name(), s.evidence());
            events.changed(id, "OPENED", NotificationEvent.OPENED, null, List.of());
        });
    }

    private void update(Map<String, Object> open, AlarmLevel signalled, AlarmSignal s, MapSqlParameterSource p) {
        long id = ((Number) open.get("id")).longValue();
        Instant lastSeen = ((Timestamp) open.get("last_seen_at")).toInstant();
        if (!s.at().isAfter(lastSeen)) {
            return; // a replay, or an older reading arriving late: the alarm already knows this time
        }
        AlarmLevel current = AlarmLevel.valueOf((String) open.get("level"));
        AlarmLevel level = signalled.moreSevereThan(current) ? signalled : current;
        p.addValue("id", id).addValue("level", level.name());
        jdbc.update("""
                update alarm set repeats = repeats + 1, last_seen_at = :at, last_evidence = cast(:evidence as jsonb), level = :level,
                       level_changed_at = case when level = :level then level_changed_at else now() end, updated_at = now()
                where id = :id""", p);
        if (level != current) {
            events.step(id, "LEVEL_RAISED", null, "模型上报更高等级", null, null, null, level.name(),
                    Map.of("from", current.name(), "to", level.name()));
            events.changed(id, "ESCALATED", NotificationEvent.ESCALATED, "报警等级由" + current.label() + "升为" + level.label(),
                    List.of());
        } else {
            events.changed(id, "REPEATED", null, null, List.of());
        }
    }

    @Override
    public void clear(String type, String subjectKey, Instant at, Map<String, Object> evidence) {
        catalogue.require(type);
        if (subjectKey == null || at == null) {
            throw new IllegalArgumentException("a clear needs a subjectKey and a data time");
        }
        String endEvidence = events.toJson(evidence);
        tx.executeWithoutResult(status -> {
            lock(type, subjectKey);
            MapSqlParameterSource p = new MapSqlParameterSource().addValue("type", type).addValue("key", subjectKey)
                    .addValue("at", Timestamp.from(at)).addValue("evidence", endEvidence);
            List<Long> recovered = jdbc.queryForList("""
                    update alarm set status = 'RECOVERED', ended_at = :at, end_evidence = cast(:evidence as jsonb), updated_at = now()
                    where type = :type and subject_key = :key and status = 'ACTIVE' and last_seen_at <= :at
                    returning id""", p, Long.class);
            for (long id : recovered) {
                events.step(id, "RECOVERED", null, null, null, null, null, null, evidence);
                events.changed(id, "RECOVERED", NotificationEvent.RECOVERED, "报警已自动恢复", List.of());
            }
        });
    }

    /** Serialises raises and clears of one (type, subject) across threads and nodes, until the transaction ends. */
    private void lock(String type, String subjectKey) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(:k, 0))", Map.of("k", type + "|" + subjectKey));
    }

    /**
     * One level up for every open, unconfirmed alarm whose rule's duration has passed since its last level change
     * (wall clock {@code now}); never above the rule's ceiling. Returns how many alarms went up.
     */
    public int escalateDue(Instant now) {
        List<Map<String, Object>> candidates = jdbc.queryForList("""
                select a.id, a.type, t.category, a.level, a.level_changed_at from alarm a join alarm_type t on t.code = a.type
                where a.status = 'ACTIVE' and a.handling = 'UNCONFIRMED' and a.level <> 'LEVEL_1'""", Map.of());
        int escalated = 0;
        for (Map<String, Object> c : candidates) {
            AlarmProperties.EscalationRule rule = properties.escalation().ruleFor((String) c.get("type"), (String) c.get("category"));
            if (rule == null || rule.after() == null) {
                continue;
            }
            AlarmLevel from = AlarmLevel.valueOf((String) c.get("level"));
            AlarmLevel to = from.up(rule.ceiling());
            Instant changed = ((Timestamp) c.get("level_changed_at")).toInstant();
            if (to == from || now.isBefore(changed.plus(rule.after()))) {
                continue;
            }
            long id = ((Number) c.get("id")).longValue();
            Boolean done = tx.execute(status -> {
                // only if nobody confirmed it or changed its level meanwhile
                int n = jdbc.update("""
                        update alarm set level = :to, level_changed_at = now(), updated_at = now()
                        where id = :id and status = 'ACTIVE' and handling = 'UNCONFIRMED' and level = :from
                          and level_changed_at = :changed""", new MapSqlParameterSource().addValue("id", id)
                        .addValue("to", to.name()).addValue("from", from.name()).addValue("changed", c.get("level_changed_at")));
                if (n == 0) {
                    return false;
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("from", from.name());
                detail.put("to", to.name());
                detail.put("unconfirmedFor", rule.after().toString());
                events.step(id, "ESCALATED", null, "未确认超过" + human(rule.after()) + "，等级由" + from.label() + "升为" + to.label(),
                        null, null, null, to.name(), detail);
                events.changed(id, "ESCALATED", NotificationEvent.ESCALATED,
                        "未确认超过" + human(rule.after()) + "，报警等级由" + from.label() + "升为" + to.label(), List.of());
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                escalated++;
            }
        }
        return escalated;
    }

    static String human(Duration d) {
        if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + "小时";
        }
        if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
            return d.toMinutes() + "分钟";
        }
        return d.toSeconds() + "秒";
    }
}
