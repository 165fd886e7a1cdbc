package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alarms the engine's models hold open, "TYPE|subject" → level, and the one way they raise and clear them: through
 * the recorder (which keeps the records and makes a replay harmless, docs/alarms.md) with data times. Seeded from the
 * alarm table at start. Used under the engine's lock only; the counters are read without it.
 */
final class OpenAlarms {

    private final AlarmRecorder recorder;
    private final Map<String, AlarmLevel> open = new HashMap<>();
    /** "TYPE|subject" → the data time of the open alarm's latest raise (its last_seen_at). */
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final AtomicLong raises = new AtomicLong();
    private final AtomicLong clears = new AtomicLong();

    OpenAlarms(AlarmRecorder recorder) {
        this.recorder = recorder;
    }

    /** Replaces what is held with the ACTIVE alarms of these types in the alarm table. */
    void load(JdbcTemplate jdbc, Collection<String> types) {
        open.clear();
        lastSeen.clear();
        jdbc.query("select type, subject_key, level, last_seen_at from alarm where status = 'ACTIVE' and type in ("
                        + String.join(",", types.stream().map(t -> "'" + t + "'").toList()) + ")",
                rs -> {
                    open.put(rs.getString(1) + "|" + rs.getString(2), AlarmLevel.valueOf(rs.getString(3)));
                    lastSeen.put(rs.getString(1) + "|" + rs.getString(2), rs.getTimestamp(4).getTime());
                });
    }

    /** Each open alarm of {@code type}: its subject and the data time of its latest raise. */
    void forEachOpen(String type, java.util.function.ObjLongConsumer<String> subjectAndLastSeen) {
        String prefix = type + "|";
        lastSeen.forEach((key, at) -> {
            if (key.startsWith(prefix)) {
                subjectAndLastSeen.accept(key.substring(prefix.length()), at);
            }
        });
    }

    boolean isOpen(String type, String subject) {
        return open.containsKey(type + "|" + subject);
    }

    /** The level of the open alarm, or null when none is open. */
    AlarmLevel level(String type, String subject) {
        return open.get(type + "|" + subject);
    }

    /** Raises (or repeats) an alarm of a facility; {@code level} null = the type's configured level. */
    void raise(String type, String subject, RegistrySnapshot.Facility f, AlarmLevel level, long at, Map<String, Object> evidence) {
        raise(type, subject, f, null, level, at, evidence);
    }

    /** Raises (or repeats) an alarm of a facility, or of one of its meters when {@code point} is given. */
    void raise(String type, String subject, RegistrySnapshot.Facility f, RegistrySnapshot.Point point, AlarmLevel level, long at,
               Map<String, Object> evidence) {
        raise(type, subject, f.enterpriseId(), f.id(), point == null ? null : point.id(), point == null ? null : point.mn(),
                level, at, evidence);
    }

    /** Raises (or repeats) an alarm; {@code level} null = the type's configured level (or the open alarm's). */
    void raise(String type, String subject, long enterpriseId, Long facilityId, Long pointId, String mn,
               AlarmLevel level, long at, Map<String, Object> evidence) {
        recorder.raise(new AlarmSignal(type, subject, enterpriseId, facilityId, pointId, mn, level, Instant.ofEpochMilli(at),
                evidence));
        AlarmLevel before = open.get(type + "|" + subject);
        lastSeen.merge(type + "|" + subject, at, Math::max);
        open.put(type + "|" + subject, level == null ? (before == null ? AlarmLevel.NOTICE : before)
                : before == null || level.moreSevereThan(before) ? level : before);
        raises.incrementAndGet();
    }

    void clearIfOpen(String type, String subject, long at, Map<String, Object> evidence) {
        if (isOpen(type, subject)) {
            recorder.clear(type, subject, Instant.ofEpochMilli(at), evidence);
            open.remove(type + "|" + subject);
            lastSeen.remove(type + "|" + subject);
            clears.incrementAndGet();
        }
    }

    int size() {
        return open.size();
    }

    long raises() {
        return raises.get();
    }

    long clears() {
        return clears.get();
    }
}
