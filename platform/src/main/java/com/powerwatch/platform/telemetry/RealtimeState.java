package com.powerwatch.platform.telemetry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.QnGenerator;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The latest canonical values and a derived state for every point, facility and enterprise, in memory.
 * Fed by the telemetry consumer after each committed batch, aged by an offline timer, rebuilt from the
 * store at start. docs/telemetry.md describes the states; in short:
 * <ul>
 *   <li>point: ONLINE, ABNORMAL (POWER_LOSS, PHASE_LOSS, INVALID_DATA) or OFFLINE;</li>
 *   <li>facility: the alarm engine's {@link FacilityStateMachine} with the same thresholds
 *       ({@link FacilityThresholds}), fed every sample and shown at once (debounce 1), its states mapped to
 *       RUNNING (LOW: reason LOW_LOAD), STOPPED, ABNORMAL (below normal, or the meter fault), OFFLINE, UNKNOWN;</li>
 *   <li>enterprise: OFFLINE, ABNORMAL (treatment abnormal, or stopped or idle while an associated production
 *       runs), RUNNING (a production facility runs), STOPPED.</li>
 * </ul>
 * Every object carries {@code since}: when its state last changed. Changes go to {@link #onEvent} listeners.
 */
public final class RealtimeState implements AutoCloseable {

    public enum Status { RUNNING, STOPPED, ABNORMAL, OFFLINE, ONLINE, UNKNOWN }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final long offlineMinimum;
    private final long offlineUnknown;
    private final FacilityRules rules;
    private final List<Consumer<RealtimeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    private RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;
    private final Map<Long, PointLive> points = new HashMap<>();
    private final Map<Long, FacilityLive> facilities = new HashMap<>();
    private final Map<Long, Live> enterprises = new HashMap<>();

    /** A change pushed to listeners (the SSE stream): what changed and whose it is, for scope filtering. */
    public record RealtimeEvent(String type, long id, long enterpriseId, String districtCode, Map<String, Object> data) {
    }

    private static class Live {
        Status state;
        String reason;
        long since;
        Double value;
    }

    /** A facility: its state machine (the hysteresis band's memory with it) as the engine keeps one. */
    private static final class FacilityLive extends Live {
        final FacilityStateMachine machine = new FacilityStateMachine();
    }

    private static final class PointLive extends Live {
        Map<String, Object> values = Map.of();
        boolean invalid;
        long dataTime;
        long receivedAt;
        long interval;
    }

    /** With the rule schema's defaults (no rule service at hand, e.g. a state rebuilt for comparison). */
    public RealtimeState(Clock clock, Duration offlineMinimum, Duration offlineUnknown, Duration offlineCheck) {
        this(clock, offlineMinimum, offlineUnknown, offlineCheck, FacilityRules.DEFAULT);
    }

    /** {@code rules}: the rule parameters in force per facility, as the engine reads them. */
    public RealtimeState(Clock clock, Duration offlineMinimum, Duration offlineUnknown, Duration offlineCheck,
                         FacilityRules rules) {
        this.clock = clock;
        this.rules = rules;
        this.offlineMinimum = offlineMinimum.toMillis();
        this.offlineUnknown = offlineUnknown.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "realtime-offline");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkOffline, offlineCheck.toMillis(), offlineCheck.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void onEvent(Consumer<RealtimeEvent> listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------- updates

    /** Takes the registry as it is now: new objects start OFFLINE (no data), removed ones are dropped. */
    public synchronized void onRegistry(RegistrySnapshot next) {
        snapshot = next;
        points.keySet().retainAll(next.points().keySet());
        facilities.keySet().retainAll(next.facilities().keySet());
        enterprises.keySet().retainAll(next.enterprises().keySet());
        long now = clock.millis();
        for (Long id : next.points().keySet()) {
            points.computeIfAbsent(id, k -> {
                PointLive p = new PointLive();
                p.state = Status.OFFLINE;
                p.reason = "NO_DATA";
                p.since = now;
                return p;
            });
        }
        reevaluate(next.points().keySet(), now, false);
    }

    /** Samples just committed; older than a point's latest they only prove the point is online. */
    public synchronized void apply(Collection<CanonicalSample> samples, RegistrySnapshot current) {
        if (current != snapshot) {
            onRegistry(current);
        }
        Set<Long> touched = new HashSet<>();
        for (CanonicalSample s : samples) {
            PointLive p = points.get(s.pointId());
            if (p == null) {
                continue;
            }
            p.receivedAt = Math.max(p.receivedAt, s.receivedAtMillis);
            if (s.tsMillis() > p.dataTime) {
                if (p.dataTime > 0 && s.tsMillis() - p.dataTime <= Duration.ofDays(1).toMillis()) {
                    p.interval = s.tsMillis() - p.dataTime;
                }
                p.dataTime = s.tsMillis();
                p.values = s.values();
                p.invalid = s.invalid();
            } else if (s.tsMillis() == p.dataTime) {
                Map<String, Object> merged = new LinkedHashMap<>(p.values);
                merged.putAll(s.values());
                p.values = merged;
                p.invalid = s.invalid();
            }
            touched.add(s.pointId());
        }
        reevaluate(touched, clock.millis(), true);
    }

    /** The offline timer: points silent for too long go OFFLINE, and their facilities and enterprise follow. */
    public synchronized void checkOffline() {
        long now = clock.millis();
        Set<Long> late = new HashSet<>();
        for (Map.Entry<Long, PointLive> e : points.entrySet()) {
            PointLive p = e.getValue();
            if (p.state != Status.OFFLINE && offline(p, now)) {
                late.add(e.getKey());
            }
        }
        if (!late.isEmpty()) {
            reevaluate(late, now, false);
        }
    }

    /** When a silent point went offline: its last receive time plus the allowed silence. */
    private long offlineAt(PointLive p, long now) {
        return p.receivedAt == 0 ? now : Math.min(now, p.receivedAt + offlineLimit(p));
    }

    private long offlineLimit(PointLive p) {
        return p.interval > 0 ? Math.max(3 * p.interval, offlineMinimum) : offlineUnknown;
    }

    private boolean offline(PointLive p, long now) {
        long limit = p.interval > 0 ? Math.max(3 * p.interval, offlineMinimum) : offlineUnknown;
        return p.receivedAt == 0 || now - p.receivedAt > limit;
    }

    /** Points changed: re-derive them, their facilities, their enterprises; tell listeners what changed. */
    private void reevaluate(Collection<Long> pointIds, long now, boolean values) {
        Set<Long> facilityIds = new HashSet<>();
        for (Long id : pointIds) {
            RegistrySnapshot.Point def = snapshot.points().get(id);
            PointLive p = points.get(id);
            if (def == null || p == null) {
                continue;
            }
            Status before = p.state;
            String reasonBefore = p.reason;
            Status state;
            String reason = null;
            if (p.dataTime == 0 && p.receivedAt == 0) {
                state = Status.OFFLINE;
                reason = "NO_DATA";
            } else if (offline(p, now)) {
                state = Status.OFFLINE;
            } else {
                reason = p.invalid ? "INVALID_DATA" : MeterSupply.fault(p.values, def.pt(), rules.supplyLimits(def.facilityId()));
                state = reason == null ? Status.ONLINE : Status.ABNORMAL;
            }
            change(p, state, reason, state == Status.OFFLINE ? offlineAt(p, now) : p.dataTime);
            facilityIds.add(def.facilityId());
            if (!listeners.isEmpty() && (values || before != state || !java.util.Objects.equals(reasonBefore, reason))) {
                emit("point", id, def.facilityId(), pointView(id, def, p));
            }
        }
        Set<Long> enterpriseIds = new HashSet<>();
        for (Long fid : facilityIds) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null) {
                evaluateFacility(f, now);
                enterpriseIds.add(f.enterpriseId());
            }
        }
        // a treatment's enterprise state also depends on the productions: evaluate whole enterprises
        for (Long eid : enterpriseIds) {
            RegistrySnapshot.Enterprise e = snapshot.enterprises().get(eid);
            if (e != null) {
                evaluateEnterprise(e, now);
            }
        }
    }

    private void evaluateFacility(RegistrySnapshot.Facility f, long now) {
        FacilityLive l = facilities.computeIfAbsent(f.id(), k -> new FacilityLive());
        Status before = l.state;
        String reasonBefore = l.reason;
        Double beforeValue = l.value;
        Status state;
        String reason;
        long at = now;
        List<PointLive> online = new ArrayList<>();
        List<PointLive> valid = new ArrayList<>(); // online and not flagged: what the engine judges the state on
        boolean everReceived = false;
        for (Long pid : f.pointIds()) {
            PointLive p = points.get(pid);
            if (p == null) {
                continue;
            }
            everReceived |= p.dataTime > 0;
            if (p.state != Status.OFFLINE) {
                online.add(p);
                if (!p.invalid) {
                    valid.add(p);
                }
                at = online.size() == 1 ? p.dataTime : Math.max(at, p.dataTime);
            }
        }
        l.value = null;
        if (f.pointIds().isEmpty()) {
            state = Status.UNKNOWN;
            reason = "NO_POINTS";
        } else if (online.isEmpty()) {
            state = Status.OFFLINE;
            at = f.pointIds().stream().map(points::get).filter(java.util.Objects::nonNull)
                    .mapToLong(p -> p.since).max().orElse(now);
            reason = everReceived ? null : "NO_DATA";
            l.machine.offline(at);
        } else {
            // only flagged data: the flag is the fault (the engine waits for a second flagged sample: its debounce)
            String fault = valid.isEmpty() ? "INVALID_DATA"
                    : valid.stream().map(p -> p.state == Status.ABNORMAL ? p.reason : null)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            l.value = facilityValue(f, valid.isEmpty() ? online : valid);
            // debounce 1: the map shows the latest sample's verdict at once. Re-evaluating without a newer sample
            // (another meter's values for the same DataTime, a meter gone offline, new thresholds) revises it.
            l.machine.revise(Math.max(at, l.machine.lastTs()), l.value, fault,
                    FacilityThresholds.of(f, rules), 1);
            state = status(l.machine.state());
            reason = l.machine.reason();
        }
        change(l, state, reason, at);
        if (before != state || !java.util.Objects.equals(reasonBefore, reason)
                || (beforeValue == null) != (l.value == null)) {
            emit("facility", f.id(), f.id(), facilityView(f, false));
        }
    }

    /**
     * The machine's states as the map shows them: LOW (idle) counts as RUNNING (reason LOW_LOAD), a meter fault as
     * ABNORMAL (reason POWER_LOSS, PHASE_LOSS, INVALID_DATA), below-normal treatment as ABNORMAL (BELOW_NORMAL).
     */
    public static Status status(FacilityStateMachine.State s) {
        return switch (s) {
            case RUNNING, LOW -> Status.RUNNING;
            case STOPPED -> Status.STOPPED;
            case ABNORMAL, FAULT -> Status.ABNORMAL;
            case OFFLINE -> Status.OFFLINE;
            case UNKNOWN -> Status.UNKNOWN;
        };
    }

    /** Sum of the online points' P, or of their mean phase current when the facility's thresholds are in A. */
    private static Double facilityValue(RegistrySnapshot.Facility f, List<PointLive> online) {
        Double sum = null;
        for (PointLive p : online) {
            Double v;
            if ("I".equals(f.thresholdQuantity())) {
                double total = 0;
                int n = 0;
                for (String q : new String[]{"IA", "IB", "IC"}) {
                    if (p.values.get(q) instanceof Double i) {
                        total += i;
                        n++;
                    }
                }
                v = n == 0 ? null : total / n;
            } else {
                v = p.values.get("P") instanceof Double d ? d : null;
            }
            if (v != null) {
                sum = sum == null ? v : sum + v;
            }
        }
        return sum;
    }

    private void evaluateEnterprise(RegistrySnapshot.Enterprise e, long now) {
        Live l = enterprises.computeIfAbsent(e.id(), k -> new Live());
        Status before = l.state;
        String reasonBefore = l.reason;
        boolean anyPoint = false;
        boolean anyOnline = false;
        boolean productionRuns = false;
        boolean hasProduction = false;
        boolean totalRuns = false;
        String abnormal = null;
        long at = 0;
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            FacilityLive fl = facilities.get(fid);
            if (f == null || fl == null) {
                continue;
            }
            for (Long pid : f.pointIds()) {
                PointLive p = points.get(pid);
                anyPoint = true;
                if (p != null && p.state != Status.OFFLINE) {
                    anyOnline = true;
                    at = Math.max(at, p.dataTime);
                }
            }
            hasProduction |= f.production();
            productionRuns |= f.production() && fl.state == Status.RUNNING;
            totalRuns |= "TOTAL".equals(f.kind()) && fl.state == Status.RUNNING;
            if (f.treatment() && abnormal == null) {
                boolean productionRunning = f.productionIds().stream().anyMatch(pid -> {
                    Live pl = facilities.get(pid);
                    return pl != null && pl.state == Status.RUNNING;
                });
                // idle (空转) while its production runs is what the engine's TREATMENT_ABNORMAL reports too
                if (fl.state == Status.ABNORMAL || (productionRunning && fl.machine.state() == FacilityStateMachine.State.LOW)) {
                    abnormal = "TREATMENT_ABNORMAL";
                } else if (fl.state == Status.STOPPED && productionRunning) {
                    abnormal = "TREATMENT_STOPPED";
                }
            }
        }
        Status state;
        String reason = null;
        if (!anyPoint) {
            state = Status.UNKNOWN;
            reason = "NO_POINTS";
        } else if (!anyOnline) {
            state = Status.OFFLINE;
        } else if (abnormal != null) {
            state = Status.ABNORMAL;
            reason = abnormal;
        } else if (productionRuns || (!hasProduction && totalRuns)) {
            state = Status.RUNNING;
        } else {
            state = Status.STOPPED;
        }
        if (!anyOnline) {
            at = e.facilityIds().stream().map(facilities::get).filter(java.util.Objects::nonNull)
                    .mapToLong(f -> f.since).max().orElse(now);
        }
        change(l, state, reason, at);
        if (before != state || !java.util.Objects.equals(reasonBefore, reason)) {
            emit("enterprise", e.id(), e.id(), enterpriseView(e));
        }
    }

    /** {@code since} moves only when the state itself changes (a new reason keeps it). */
    private static void change(Live l, Status state, String reason, long at) {
        if (l.state != state) {
            l.since = at;
        }
        l.state = state;
        l.reason = reason;
    }

    private void emit(String type, long id, long ownerId, Map<String, Object> data) {
        if (listeners.isEmpty()) {
            return;
        }
        long enterpriseId = switch (type) {
            case "point" -> {
                RegistrySnapshot.Facility f = snapshot.facilities().get(ownerId);
                yield f == null ? -1 : f.enterpriseId();
            }
            case "facility" -> {
                RegistrySnapshot.Facility f = snapshot.facilities().get(id);
                yield f == null ? -1 : f.enterpriseId();
            }
            default -> id;
        };
        RegistrySnapshot.Enterprise e = snapshot.enterprises().get(enterpriseId);
        RealtimeEvent event = new RealtimeEvent(type, id, enterpriseId, e == null ? null : e.districtCode(), data);
        for (Consumer<RealtimeEvent> l : listeners) {
            l.accept(event);
        }
    }

    // ---------------------------------------------------------------- restart

    /**
     * Rebuilds from the store: the two latest samples of every point (the second gives the interval), read
     * with one index probe per point, applied as if just received; {@code since} is then the latest sample's
     * time. Points silent for more than 35 days start OFFLINE without values.
     */
    public void rebuild(JdbcTemplate jdbc, RegistrySnapshot registry) {
        Instant bound = clock.instant().minus(Duration.ofDays(35));
        List<CanonicalSample> samples = new ArrayList<>();
        jdbc.query("""
                select s.point_id, s.ts, s.p, s.q, s.pf, s.ia, s.ib, s.ic, s.ua, s.ub, s.uc, s.e, s.extra::text,
                       s.invalid, s.received_at
                from monitoring_point mp
                cross join lateral (select * from point_sample ps where ps.point_id = mp.id and ps.ts >= ?
                                    order by ps.ts desc limit 2) s
                order by s.ts""", rs -> {
            CanonicalSample s = new CanonicalSample(rs.getLong(1), rs.getTimestamp(2).getTime());
            for (int i = 0; i < CanonicalSample.COLUMNS.size(); i++) {
                double v = rs.getDouble(3 + i);
                s.columns[i] = rs.wasNull() ? null : v;
            }
            String extra = rs.getString(13);
            if (extra != null) {
                try {
                    s.extra.putAll(JSON.readValue(extra, new TypeReference<Map<String, Object>>() { }));
                } catch (java.io.IOException ignored) {
                    // not ours to fix here
                }
            }
            s.flag = rs.getBoolean(14) ? "INVALID" : "N"; // the store keeps only whether the flag was normal
            s.receivedAtMillis = rs.getTimestamp(15).getTime();
            samples.add(s);
        }, java.sql.Timestamp.from(bound));
        synchronized (this) {
            onRegistry(registry);
            for (CanonicalSample s : samples) {
                apply(List.of(s), registry);
            }
            // no better information than the latest sample: that is when each object is known to be in its state
            for (RegistrySnapshot.Facility f : snapshot.facilities().values()) {
                long latest = 0;
                for (Long pid : f.pointIds()) {
                    PointLive p = points.get(pid);
                    if (p != null && p.state != Status.OFFLINE) {
                        p.since = p.dataTime;
                        latest = Math.max(latest, p.dataTime);
                    }
                }
                Live fl = facilities.get(f.id());
                if (fl != null && latest > 0) {
                    fl.since = latest;
                    Live el = enterprises.get(f.enterpriseId());
                    if (el != null && el.state != Status.OFFLINE) {
                        el.since = Math.max(el.since, latest);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- views

    public synchronized Map<String, Object> point(long id) {
        RegistrySnapshot.Point def = snapshot.points().get(id);
        PointLive p = points.get(id);
        return def == null || p == null ? null : pointView(id, def, p);
    }

    public synchronized Map<String, Object> facility(long id, boolean withPoints) {
        RegistrySnapshot.Facility f = snapshot.facilities().get(id);
        return f == null ? null : facilityView(f, withPoints);
    }

    public synchronized Map<String, Object> enterprise(long id) {
        RegistrySnapshot.Enterprise e = snapshot.enterprises().get(id);
        return e == null ? null : enterpriseView(e);
    }

    /** The enterprise with its facilities and their points, as the detail view shows it. */
    public synchronized Map<String, Object> enterpriseDetail(long id) {
        RegistrySnapshot.Enterprise e = snapshot.enterprises().get(id);
        if (e == null) {
            return null;
        }
        Map<String, Object> out = enterpriseView(e);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Long fid : e.facilityIds().stream().sorted().toList()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null) {
                list.add(facilityView(f, true));
            }
        }
        out.put("facilities", list);
        return out;
    }

    /**
     * An enterprise at a glance, for the map and the overview list: its state and reason; {@code production} = the state
     * of its production side (RUNNING if a production facility runs, else ABNORMAL if one has a meter fault, STOPPED,
     * OFFLINE when all are offline; the total meters stand in when it has no production facility; UNKNOWN without
     * either); {@code treatment} = its treatment side (ABNORMAL when the enterprise is abnormal for its treatment or a
     * treatment facility is, RUNNING when one runs, OFFLINE when all are offline, else STOPPED; null without treatment
     * facilities); points and data loggers (MN) with at least one point not offline, of how many.
     */
    public record Glance(Status state, String reason, Status production, Status treatment, int pointsOnline, int points,
                         int loggersOnline, int loggers) {
    }

    /** {@link Glance} of every enterprise known to the real-time state, by id: one pass under the lock. */
    public synchronized Map<Long, Glance> glances() {
        Map<Long, Glance> out = new HashMap<>(snapshot.enterprises().size() * 2);
        for (RegistrySnapshot.Enterprise e : snapshot.enterprises().values()) {
            Live l = enterprises.get(e.id());
            List<Status> production = new ArrayList<>();
            List<Status> total = new ArrayList<>();
            List<Status> treatment = new ArrayList<>();
            int pointsOnline = 0;
            int points = 0;
            Map<String, Boolean> loggers = new HashMap<>();
            for (Long fid : e.facilityIds()) {
                RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
                Live fl = facilities.get(fid);
                if (f == null) {
                    continue;
                }
                Status fs = fl == null || fl.state == null ? Status.UNKNOWN : fl.state;
                (f.production() ? production : f.treatment() ? treatment : total).add(fs);
                for (Long pid : f.pointIds()) {
                    PointLive p = this.points.get(pid);
                    RegistrySnapshot.Point def = snapshot.points().get(pid);
                    boolean online = p != null && p.state != Status.OFFLINE;
                    points++;
                    pointsOnline += online ? 1 : 0;
                    if (def != null) {
                        loggers.merge(def.mn(), online, Boolean::logicalOr);
                    }
                }
            }
            Status state = l == null || l.state == null ? Status.UNKNOWN : l.state;
            String reason = l == null ? null : l.reason;
            Status treatmentSide = null;
            if (!treatment.isEmpty()) {
                boolean forTreatment = state == Status.ABNORMAL && reason != null && reason.startsWith("TREATMENT_");
                treatmentSide = forTreatment || treatment.contains(Status.ABNORMAL) ? Status.ABNORMAL : side(treatment);
            }
            out.put(e.id(), new Glance(state, reason, side(production.isEmpty() ? total : production), treatmentSide,
                    pointsOnline, points, (int) loggers.values().stream().filter(b -> b).count(), loggers.size()));
        }
        return out;
    }

    /** One side's state from its facilities' states: running wins, then a fault, then stopped; offline when all are. */
    private static Status side(List<Status> states) {
        if (states.isEmpty() || states.stream().allMatch(s -> s == Status.UNKNOWN)) {
            return Status.UNKNOWN;
        }
        if (states.contains(Status.RUNNING)) {
            return Status.RUNNING;
        }
        if (states.contains(Status.ABNORMAL)) {
            return Status.ABNORMAL;
        }
        if (states.stream().allMatch(s -> s == Status.OFFLINE || s == Status.UNKNOWN)) {
            return Status.OFFLINE;
        }
        return Status.STOPPED;
    }

    /** China time with its offset, as the history API shows times. */
    private static java.time.OffsetDateTime instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).atZone(QnGenerator.CHINA).toOffsetDateTime();
    }

    private Map<String, Object> pointView(long id, RegistrySnapshot.Point def, PointLive p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", def.name());
        m.put("facilityId", def.facilityId());
        m.put("mn", def.mn());
        m.put("channel", def.channel());
        m.put("state", p.state);
        m.put("reason", p.reason);
        m.put("since", instant(p.since));
        m.put("dataTime", instant(p.dataTime));
        m.put("receivedAt", instant(p.receivedAt));
        m.put("intervalSeconds", p.interval == 0 ? null : p.interval / 1000);
        m.put("values", p.values);
        return m;
    }

    private Map<String, Object> facilityView(RegistrySnapshot.Facility f, boolean withPoints) {
        Live l = facilities.get(f.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("enterpriseId", f.enterpriseId());
        m.put("name", f.name());
        m.put("kind", f.kind());
        m.put("state", l == null ? Status.UNKNOWN : l.state);
        m.put("reason", l == null ? null : l.reason);
        m.put("since", l == null ? null : instant(l.since));
        m.put("thresholdQuantity", f.thresholdQuantity());
        m.put("value", l == null ? null : l.value);
        // the thresholds in force (registry, else rated-power defaults and k × normal running), as the engine's
        FacilityStateMachine.Thresholds t = FacilityThresholds.of(f, rules);
        m.put("stopBelow", t == null ? null : t.stopBelow());
        m.put("runAbove", t == null ? null : t.runAbove());
        m.put("abnormalBelow", t == null ? null : t.abnormalBelow());
        if (withPoints) {
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Long pid : f.pointIds()) {
                PointLive p = points.get(pid);
                if (p != null) {
                    ps.add(pointView(pid, snapshot.points().get(pid), p));
                }
            }
            m.put("points", ps);
        }
        return m;
    }

    private Map<String, Object> enterpriseView(RegistrySnapshot.Enterprise e) {
        Live l = enterprises.get(e.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("districtCode", e.districtCode());
        m.put("industryCode", e.industryCode());
        m.put("state", l == null ? Status.UNKNOWN : l.state);
        m.put("reason", l == null ? (e.facilityIds().isEmpty() ? "NO_POINTS" : null) : l.reason);
        m.put("since", l == null ? null : instant(l.since));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Status s : List.of(Status.RUNNING, Status.STOPPED, Status.ABNORMAL, Status.OFFLINE, Status.UNKNOWN)) {
            counts.put(s.name().toLowerCase(), 0);
        }
        for (Long fid : e.facilityIds()) {
            Live fl = facilities.get(fid);
            Status s = fl == null ? Status.UNKNOWN : fl.state;
            counts.merge(s.name().toLowerCase(), 1, Integer::sum);
        }
        m.put("facilityCounts", counts);
        return m;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
