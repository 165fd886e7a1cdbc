package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.telemetry.RegistrySnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static com.powerwatch.platform.analysis.AlarmEngine.LOGGER_OFFLINE;
import static com.powerwatch.platform.analysis.AlarmEngine.METER_OFFLINE;
import static com.powerwatch.platform.analysis.AlarmEngine.MINUTE;
import static com.powerwatch.platform.analysis.AlarmEngine.iso;

/**
 * The communication models (docs/analysis-models.md §4): LOGGER_OFFLINE and METER_OFFLINE. A point is silent when
 * nothing of it has been received for longer than its limit, measured on the fleet's {@link DataClock} from the
 * moment its latest frame was received, and on the wall clock once the engine has caught up. One cause, one alarm:
 * a logger whose meters are all silent raises LOGGER_OFFLINE only; METER_OFFLINE is for a meter silent while another
 * meter of its logger reports. Called by the engine, under its lock.
 */
final class SilenceModels {

    private final EngineRules rules;
    private final OpenAlarms alarms;
    private final Map<String, LoggerTrack> loggers = new HashMap<>();

    private static final class LoggerTrack {
        boolean offline;
        long offlineAt;
        boolean level3;
        /** The data time of the sample that ended its latest silence. */
        long backAt;
    }

    SilenceModels(EngineRules rules, OpenAlarms alarms) {
        this.rules = rules;
        this.alarms = alarms;
    }

    /**
     * After a restart: the open LOGGER_OFFLINE / METER_OFFLINE alarms (read by {@link OpenAlarms#load}) make their
     * logger and meters silent from their latest raise, so a sample after it clears them and none is raised twice.
     */
    void resume(Map<Long, PointTrack> points) {
        alarms.forEachOpen(LOGGER_OFFLINE, (subject, at) -> {
            LoggerTrack lt = loggers.computeIfAbsent(subject.substring("logger:".length()), k -> new LoggerTrack());
            lt.offline = true;
            lt.offlineAt = at;
            lt.level3 = alarms.level(LOGGER_OFFLINE, subject) == AlarmLevel.LEVEL_3;
        });
        alarms.forEachOpen(METER_OFFLINE, (subject, at) -> {
            PointTrack p = points.get(Long.parseLong(subject.substring("point:".length())));
            if (p != null) {
                p.offline = true;
                p.offlineAt = at;
            }
        });
    }

    /** A sample of {@code p} newer than its latest (data time {@code ts}): back from silence. */
    void taken(PointTrack p, long ts) {
        if (p.offline && ts > p.offlineAt) {
            p.offline = false;
            alarms.clearIfOpen(METER_OFFLINE, "point:" + p.def.id(), ts, Map.of("message", "电表恢复上报", "dataTime", iso(ts)));
        }
        LoggerTrack lt = loggers.get(p.def.mn());
        if (lt != null && lt.offline && ts > lt.offlineAt) {
            lt.offline = false;
            lt.level3 = false;
            lt.backAt = ts;
            alarms.clearIfOpen(LOGGER_OFFLINE, "logger:" + p.def.mn(), ts, Map.of("message", "数采仪恢复上报", "dataTime", iso(ts)));
        }
    }

    /**
     * The timers: a point silent (on the data clock {@code dataClock}, and on the wall clock {@code nowMillis} when
     * &gt; 0) for longer than max(intervalMultiple × its interval, minimumMinutes) — unknownIntervalMinutes while its
     * interval is unknown — is offline, and its facility when all the facility's points are ({@code facilityOffline}
     * gets the facility and the data time). The alarm's data time is the latest data time received + the limit.
     */
    void check(RegistrySnapshot snapshot, Map<Long, PointTrack> points, long dataClock, long nowMillis,
               BiConsumer<Long, Long> facilityOffline) {
        Map<String, List<PointTrack>> byMn = new HashMap<>();
        for (PointTrack p : points.values()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(p.def.facilityId());
            if (p.receivedAt == 0 || f == null) {
                continue;
            }
            byMn.computeIfAbsent(p.def.mn(), k -> new ArrayList<>()).add(p);
            AlarmRules.EffectiveRule r = rules.facility(METER_OFFLINE, f.id());
            if (p.offline || r == null) {
                continue;
            }
            long limit = offlineLimit(r, p.interval);
            if (silence(p, dataClock, nowMillis) > limit) {
                p.offline = true;
                p.offlineAt = p.heardTs + limit;
                if (f.pointIds().stream().map(points::get).allMatch(x -> x == null || x.offline)) {
                    facilityOffline.accept(f.id(), p.offlineAt);
                }
            }
        }
        for (Map.Entry<String, List<PointTrack>> m : byMn.entrySet()) {
            List<PointTrack> ps = m.getValue();
            long enterpriseId = snapshot.facilities().get(ps.get(0).def.facilityId()).enterpriseId();
            LoggerTrack lt = loggers.computeIfAbsent(m.getKey(), k -> new LoggerTrack());
            AlarmRules.EffectiveRule lr = rules.enterprise(LOGGER_OFFLINE, enterpriseId);
            long interval = ps.stream().mapToLong(p -> p.interval).filter(x -> x > 0).min().orElse(0);
            long silent = ps.stream().mapToLong(p -> silence(p, dataClock, nowMillis)).min().orElse(0);
            if (lr != null && silent > offlineLimit(lr, interval)) {
                if (lr.enabled()) {
                    loggerOffline(m.getKey(), ps, enterpriseId, lt, lr, offlineLimit(lr, interval), silent);
                }
                continue;
            }
            // one cause, one alarm: while the logger is offline (judged so on either clock) or none of its meters
            // reports, its meters are not reported one by one
            if (lt.offline || ps.stream().allMatch(p -> p.offline)) {
                continue;
            }
            for (PointTrack p : ps) {
                String subject = "point:" + p.def.id();
                RegistrySnapshot.Facility f = snapshot.facilities().get(p.def.facilityId());
                AlarmRules.EffectiveRule r = rules.facility(METER_OFFLINE, f.id());
                if (!p.offline || alarms.isOpen(METER_OFFLINE, subject) || r == null || !r.enabled()) {
                    continue;
                }
                Map<String, Object> ev = p.evidence(p.lastTs);
                ev.put("lastDataTime", iso(p.heardTs));
                ev.put("lastReceivedAt", iso(p.receivedAt));
                ev.put("offlineLimitMinutes", offlineLimit(r, p.interval) / MINUTE);
                ev.put("message", "电表[" + p.def.name() + "]自 " + iso(p.heardTs) + " 后无数据（数采仪在线）");
                // silent while its logger reports: from the logger's return when the meter fell silent with it
                alarms.raise(METER_OFFLINE, subject, f, p.def, null, Math.max(p.offlineAt, lt.backAt), ev);
            }
        }
    }

    private void loggerOffline(String mn, List<PointTrack> ps, long enterpriseId, LoggerTrack lt, AlarmRules.EffectiveRule lr,
                               long limit, long silent) {
        long level3After = lr.integer("level3AfterHours") * 3_600_000L;
        boolean level3 = silent >= level3After;
        if (lt.offline && (!level3 || lt.level3)) {
            return;
        }
        long lastTs = ps.stream().mapToLong(p -> p.heardTs).max().orElse(0);
        if (!lt.offline) {
            lt.offline = true;
            lt.offlineAt = lastTs + limit;
        }
        lt.level3 = level3;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("mn", mn);
        ev.put("lastDataTime", iso(lastTs));
        ev.put("lastReceivedAt", iso(ps.stream().mapToLong(p -> p.receivedAt).max().orElse(0)));
        ev.put("offlineLimitMinutes", limit / MINUTE);
        ev.put("points", ps.size());
        ev.put("message", "数采仪 " + mn + " 自 " + iso(lastTs) + " 后无数据上报（超过" + limit / MINUTE + "分钟）");
        long at = level3 ? Math.max(lt.offlineAt + 1, lastTs + level3After) : lt.offlineAt;
        lt.offlineAt = at; // a sample after the latest raise ends the silence (the recorder's rule too)
        alarms.raise(LOGGER_OFFLINE, "logger:" + mn, enterpriseId, null, null, mn, level3 ? AlarmLevel.LEVEL_3 : AlarmLevel.NOTICE,
                at, ev);
    }

    /**
     * How long a point has been silent: on the data clock from its latest receipt, and on the wall clock as well
     * when {@code nowMillis} &gt; 0 (the engine has caught up).
     */
    private static long silence(PointTrack p, long dataClock, long nowMillis) {
        long data = p.heardClock == 0 ? 0 : dataClock - p.heardClock;
        return nowMillis > 0 ? Math.max(data, nowMillis - p.receivedAt) : data;
    }

    static long offlineLimit(AlarmRules.EffectiveRule r, long interval) {
        if (interval <= 0) {
            return r.integer("unknownIntervalMinutes") * MINUTE;
        }
        return Math.max((long) (r.number("intervalMultiple") * interval), r.integer("minimumMinutes") * MINUTE);
    }
}
