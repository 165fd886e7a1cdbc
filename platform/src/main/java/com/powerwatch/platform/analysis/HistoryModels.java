package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static com.powerwatch.platform.analysis.AlarmEngine.DAY;
import static com.powerwatch.platform.analysis.AlarmEngine.HOUR;
import static com.powerwatch.platform.analysis.AlarmEngine.MINUTE;
import static com.powerwatch.platform.analysis.AlarmEngine.PATTERN;
import static com.powerwatch.platform.analysis.AlarmEngine.PRODUCTION_TYPES;
import static com.powerwatch.platform.analysis.AlarmEngine.RATIO_DROP;
import static com.powerwatch.platform.analysis.AlarmEngine.iso;
import static com.powerwatch.platform.analysis.AlarmEngine.round;

/**
 * The models over the pre-aggregates (point_agg, docs/telemetry.md; docs/analysis-models.md §6), evaluated once per
 * completed bucket and enterprise: TREATMENT_RATIO_DROP per China day, PATTERN_ANOMALY per hour. A bucket is complete
 * in data time: the enterprise's latest sample is at least {@link #SETTLE} after the bucket's end, and the telemetry
 * has stored and aggregated that far. The models are stateless apart from the last bucket evaluated, so after a
 * restart the latest completed bucket is evaluated again (the open alarms read at the engine's rebuild prevent a
 * second raise).
 *
 * <p>Set-based (issue 15): a round evaluates every enterprise that has a bucket due at once, with a fixed number of
 * statements whatever the number of enterprises — readiness of all their points, the order periods of all of them,
 * the hourly and the daily energies of all their groups of points, and the production alarms that may explain the
 * candidates of a PATTERN_ANOMALY raise. None of that holds the engine's lock: the engine hands over its enterprises'
 * data times ({@link #evaluate}), and only the verdicts are applied under its lock, one enterprise at a time (the
 * open alarms are the engine's). One round at a time (the engine serialises them); the cursors are this class's.
 */
final class HistoryModels {

    /** A bucket is evaluated once the engine has data this long after its end (the telemetry has refreshed it). */
    static final long SETTLE = 5 * MINUTE;

    /** Hours the history models go back to evaluate the ones they have not seen yet (after a lag or a restart). */
    static final int CATCH_UP_HOURS = 48;

    private static final Logger log = LoggerFactory.getLogger(HistoryModels.class);

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final EngineRules rules;
    private final OpenAlarms alarms;
    private final Map<Long, Cursor> cursors = new HashMap<>();
    /** Statements read by the rounds (a test asserts that a round's count does not grow with the enterprises). */
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private volatile long lastRoundMillis;
    private volatile int lastRoundEnterprises;
    /** The longest time the last round held the engine's lock at once (applying one enterprise's verdicts), µs. */
    private volatile long lastRoundMaxLockMicros;
    /** Where the last round's time went, ms per phase (for the bench and the logs). */
    private volatile String lastRoundPhases = "";

    /** Per enterprise: what has been evaluated, and when to ask again while the aggregates are not ready. */
    private static final class Cursor {
        long ratioDayEvaluated;    // start of the last day TREATMENT_RATIO_DROP evaluated
        long patternHourEvaluated; // start of the last hour PATTERN_ANOMALY evaluated
        long historyRetryAt;       // data time before which the models do not ask again (aggregates not ready)
        long historyRetryWall;     // … and the wall-clock time (the data may have stopped)
    }

    HistoryModels(JdbcTemplate jdbc, EngineRules rules, OpenAlarms alarms) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.rules = rules;
        this.alarms = alarms;
    }

    long statements() {
        return statements.get();
    }

    long rounds() {
        return rounds.get();
    }

    long lastRoundMillis() {
        return lastRoundMillis;
    }

    int lastRoundEnterprises() {
        return lastRoundEnterprises;
    }

    String lastRoundPhases() {
        return lastRoundPhases;
    }

    long lastRoundMaxLockMicros() {
        return lastRoundMaxLockMicros;
    }

    // ------------------------------------------------------------------------------------------ one round

    /** What a model concluded about a bucket; applied under the engine's lock, where the open alarms are known. */
    private static final class Verdict {
        final String type;
        final String subject;
        final boolean raise;
        final long at;
        final Map<String, Object> evidence;
        /** Added to the evidence when an alarm is raised (not repeated): first abnormal time, message. */
        final Map<String, Object> onRaise;
        final RegistrySnapshot.Facility facility; // a facility's alarm, else the enterprise's
        final long enterpriseId;
        /** PATTERN_ANOMALY: a production alarm overlapping [explainFrom, at) explains it (read for candidates only). */
        final long explainFrom;
        boolean explained;

        Verdict(String type, String subject, boolean raise, long at, Map<String, Object> evidence, Map<String, Object> onRaise,
                RegistrySnapshot.Facility facility, long enterpriseId, long explainFrom) {
            this.type = type;
            this.subject = subject;
            this.raise = raise;
            this.at = at;
            this.evidence = evidence;
            this.onRaise = onRaise;
            this.facility = facility;
            this.enterpriseId = enterpriseId;
            this.explainFrom = explainFrom;
        }
    }

    /** A bucket to evaluate: a China day (TREATMENT_RATIO_DROP) or an hour (PATTERN_ANOMALY), and what it concluded. */
    private static final class Step {
        final boolean day;
        final long bucket;
        final List<Verdict> verdicts = new ArrayList<>();

        Step(boolean day, long bucket) {
            this.day = day;
            this.bucket = bucket;
        }
    }

    /** An enterprise's buckets due in this round, in order, and its groups of points. */
    private static final class Task {
        final RegistrySnapshot.Enterprise e;
        final Cursor cursor;
        final long dataNow;
        final List<Long> points;
        final List<Step> steps = new ArrayList<>();
        // PATTERN_ANOMALY: the rule, the scope's points and their hourly energies
        AlarmRules.EffectiveRule pattern;
        String scope;
        List<Long> scopePoints = List.of();
        Series hourly;
        // TREATMENT_RATIO_DROP: per treatment facility with productions, its rule and day energies
        final List<Treatment> treatments = new ArrayList<>();

        Task(RegistrySnapshot.Enterprise e, Cursor cursor, long dataNow, List<Long> points) {
            this.e = e;
            this.cursor = cursor;
            this.dataNow = dataNow;
            this.points = points;
        }
    }

    private record Treatment(RegistrySnapshot.Facility facility, AlarmRules.EffectiveRule rule, List<Long> productionPoints,
                             Series treat, Series prod) {
    }

    /**
     * Energies of a group of points per bucket over [from, from + values.length × step): NaN = no row. Compact (a
     * round over 5,000 enterprises keeps 29 days of hours for each).
     */
    private static final class Series {
        final long from;
        final long step;
        final double[] values;

        Series(long from, long to, long step) {
            this.from = from;
            this.step = step;
            this.values = new double[(int) Math.max(0, (to - from) / step)];
            Arrays.fill(values, Double.NaN);
        }

        long to() {
            return from + values.length * step;
        }

        /** The buckets of [from, to) with data, as the models read them. */
        Map<Long, Double> map(long fromMillis, long toMillis) {
            Map<Long, Double> out = new HashMap<>();
            for (int i = 0; i < values.length; i++) {
                long b = from + i * step;
                if (b >= fromMillis && b < toMillis && !Double.isNaN(values[i])) {
                    out.put(b, values[i]);
                }
            }
            return out;
        }
    }

    /**
     * Evaluates the completed buckets of every enterprise up to its data time ({@code dataNow}: enterprise id → its
     * latest sample's data time, taken under the engine's lock), reading without the lock; raises and clears are
     * applied under {@code engineLock}. Called by one thread at a time.
     */
    void evaluate(RegistrySnapshot snap, Map<Long, Long> dataNow, Object engineLock) {
        long started = System.nanoTime();
        cursors.keySet().retainAll(snap.enterprises().keySet()); // forget the enterprises no longer in the registry
        long wall = System.currentTimeMillis();
        List<Task> due = new ArrayList<>();
        for (Map.Entry<Long, Long> en : dataNow.entrySet()) {
            RegistrySnapshot.Enterprise e = snap.enterprises().get(en.getKey());
            if (e == null) {
                continue;
            }
            Cursor c = cursors.computeIfAbsent(e.id(), k -> new Cursor());
            long now = en.getValue();
            long day = dayStart(now - SETTLE) - DAY; // the last completed China day
            long hour = Math.floorDiv(now - SETTLE, HOUR) * HOUR - HOUR; // the last completed hour
            if (day <= c.ratioDayEvaluated && hour <= c.patternHourEvaluated
                    || now < c.historyRetryAt && wall < c.historyRetryWall) {
                continue;
            }
            due.add(new Task(e, c, now, enterprisePoints(snap, e)));
        }
        if (due.isEmpty()) {
            return;
        }
        long[] phase = {System.nanoTime()};
        List<String> names = List.of("readiness", "energies", "orders", "models", "explained", "apply");
        StringBuilder phases = new StringBuilder();
        Runnable lap = () -> {
            long now = System.nanoTime();
            int i = phases.length() == 0 ? 0 : phases.toString().split(", ").length;
            phases.append(i == 0 ? "" : ", ").append(names.get(Math.min(i, names.size() - 1))).append(' ')
                    .append((now - phase[0]) / 1_000_000).append(" ms");
            phase[0] = now;
        };
        try {
            plan(due);
            lap.run();
            due.removeIf(t -> t.steps.isEmpty());
            if (due.isEmpty()) {
                return;
            }
            read(snap, due);
            lap.run();
            Map<Long, List<ProductionBaseline.Excluded>> orders = orders(due);
            lap.run();
            List<Verdict> candidates = new ArrayList<>();
            for (Task t : due) {
                List<ProductionBaseline.Excluded> o = orders.getOrDefault(t.e.id(), List.of());
                for (Step s : t.steps) {
                    if (s.day) {
                        for (Treatment tr : t.treatments) {
                            Verdict v = ratioDrop(tr, s.bucket, o);
                            if (v != null) {
                                s.verdicts.add(v);
                            }
                        }
                    } else if (t.pattern != null) {
                        Verdict v = patternAnomaly(t, s.bucket, o);
                        if (v != null) {
                            s.verdicts.add(v);
                            if (v.raise) {
                                candidates.add(v);
                            }
                        }
                    }
                }
            }
            lap.run();
            explained(candidates);
            lap.run();
            long maxLock = 0;
            for (Task t : due) {
                synchronized (engineLock) { // one enterprise at a time: frames are processed between them
                    long t0 = System.nanoTime();
                    apply(t);
                    maxLock = Math.max(maxLock, System.nanoTime() - t0);
                }
            }
            lastRoundMaxLockMicros = maxLock / 1000;
            lap.run();
            lastRoundPhases = phases.toString();
        } catch (RuntimeException ex) {
            log.warn("history models of {} enterprises: {}", due.size(), ex.toString()); // retried at the next round
        } finally {
            rounds.incrementAndGet();
            lastRoundEnterprises = due.size();
            lastRoundMillis = (System.nanoTime() - started) / 1_000_000;
        }
    }

    /**
     * Which buckets each enterprise evaluates: every completed hour since the last one evaluated, in order (at most
     * CATCH_UP_HOURS back), so that a telemetry running behind or a restart does not skip an hour or a day; the first
     * round starts at the latest completed hour. It stops at the first bucket the telemetry has not made ready.
     */
    private void plan(List<Task> due) {
        Set<Long> all = new LinkedHashSet<>();
        long earliest = Long.MAX_VALUE;
        for (Task t : due) {
            all.addAll(t.points);
            Cursor et = t.cursor;
            long hour = Math.floorDiv(t.dataNow - SETTLE, HOUR) * HOUR - HOUR;
            long first = et.patternHourEvaluated == 0 ? hour
                    : Math.max(et.patternHourEvaluated + HOUR, hour - CATCH_UP_HOURS * HOUR);
            earliest = Math.min(earliest, Math.min(first + HOUR, dayStart(t.dataNow - SETTLE)));
        }
        Map<Long, long[]> stored = stored(all, earliest);
        for (Task t : due) {
            Cursor et = t.cursor;
            long day = dayStart(t.dataNow - SETTLE) - DAY;
            long hour = Math.floorDiv(t.dataNow - SETTLE, HOUR) * HOUR - HOUR;
            long first = et.patternHourEvaluated == 0 ? hour
                    : Math.max(et.patternHourEvaluated + HOUR, hour - CATCH_UP_HOURS * HOUR);
            long ratioDay = et.ratioDayEvaluated;
            for (long h = first; h <= hour; h += HOUR) {
                if (!ready(stored, t.points, h + HOUR)) {
                    // the telemetry has not stored or aggregated that far yet (or the logger is silent): ask
                    // again in a few minutes of data time, not at every timer
                    et.historyRetryAt = t.dataNow + 5 * MINUTE;
                    et.historyRetryWall = System.currentTimeMillis() + 10_000; // when no more data comes
                    break;
                }
                long d = dayStart(h);
                if (h + HOUR == d + DAY && d > ratioDay) { // the day ends with this hour
                    t.steps.add(new Step(true, d));
                    ratioDay = d;
                }
                t.steps.add(new Step(false, h));
            }
            if (ratioDay == 0 && day > 0 && ready(stored, t.points, day + DAY)) {
                t.steps.add(new Step(true, day)); // the first round: the latest completed day
            }
        }
    }

    /** Applies an enterprise's verdicts in bucket order and moves its cursor past each bucket applied. */
    private void apply(Task t) {
        try {
            for (Step s : t.steps) {
                for (Verdict v : s.verdicts) {
                    if (!v.raise) {
                        alarms.clearIfOpen(v.type, v.subject, v.at, v.evidence);
                    } else if (!alarms.isOpen(v.type, v.subject) && !v.explained) {
                        v.evidence.putAll(v.onRaise);
                        if (v.facility != null) {
                            alarms.raise(v.type, v.subject, v.facility, null, v.at, v.evidence);
                        } else {
                            alarms.raise(v.type, v.subject, v.enterpriseId, null, null, null, null, v.at, v.evidence);
                        }
                    }
                }
                if (s.day) {
                    t.cursor.ratioDayEvaluated = s.bucket;
                } else {
                    t.cursor.patternHourEvaluated = s.bucket;
                }
            }
        } catch (RuntimeException ex) {
            log.warn("history models of enterprise {}: {}", t.e.id(), ex.toString()); // retried at the next round
        }
    }

    private static List<Long> enterprisePoints(RegistrySnapshot snap, RegistrySnapshot.Enterprise e) {
        List<Long> out = new ArrayList<>();
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snap.facilities().get(fid);
            if (f != null) {
                out.addAll(f.pointIds());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ reading, set-based

    /**
     * The engine reads frames from the journal on its own and may be ahead of the telemetry consumer, which stores
     * the samples and refreshes the aggregates the history models read. A bucket ending at {@code end} is ready when
     * the telemetry has stored a sample of these points at or after {@code end} (a logger's frames are journaled in
     * order, so everything before it is stored) and no bucket before {@code end} waits for its refresh. Per point, in
     * one statement: its latest stored data time at or after {@code earliest} (every end asked about is), and its
     * earliest bucket waiting in telemetry_dirty. No latest-sample table exists, and the telemetry's in-memory
     * real-time state tells what was received, not what is stored and aggregated: point_sample is asked (an index
     * probe per point).
     */
    private Map<Long, long[]> stored(Collection<Long> pointIds, long earliest) {
        Map<Long, long[]> out = new HashMap<>();
        if (pointIds.isEmpty()) {
            return out;
        }
        Long[] ids = pointIds.toArray(Long[]::new);
        statements.incrementAndGet();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select u.p, (select max(s.ts) from point_sample s where s.point_id = u.p and s.ts >= ?),
                                (select min(d.bucket) from telemetry_dirty d where d.point_id = u.p)
                    from unnest(?::bigint[]) u(p)""");
            ps.setTimestamp(1, new Timestamp(earliest));
            ps.setArray(2, con.createArrayOf("bigint", ids));
            return ps;
        }, rs -> {
            Timestamp latest = rs.getTimestamp(2);
            Timestamp dirty = rs.getTimestamp(3);
            out.put(rs.getLong(1), new long[]{latest == null ? Long.MIN_VALUE : latest.getTime(),
                    dirty == null ? Long.MAX_VALUE : dirty.getTime()});
        });
        return out;
    }

    private static boolean ready(Map<Long, long[]> stored, List<Long> pointIds, long end) {
        boolean sample = false;
        for (Long p : pointIds) {
            long[] s = stored.get(p);
            if (s == null) {
                continue;
            }
            if (s[1] < end) {
                return false;
            }
            sample |= s[0] >= end;
        }
        return sample;
    }

    /** The rules, the groups of points and their energies (one statement per grain) of every due enterprise. */
    private void read(RegistrySnapshot snap, List<Task> due) {
        List<Series> hourly = new ArrayList<>();
        List<Collection<Long>> hourlyPoints = new ArrayList<>();
        List<Series> daily = new ArrayList<>();
        List<Collection<Long>> dailyPoints = new ArrayList<>();
        for (Task t : due) {
            long firstHour = Long.MAX_VALUE;
            long lastHour = Long.MIN_VALUE;
            long firstDay = Long.MAX_VALUE;
            long lastDay = Long.MIN_VALUE;
            for (Step s : t.steps) {
                if (s.day) {
                    firstDay = Math.min(firstDay, s.bucket);
                    lastDay = Math.max(lastDay, s.bucket);
                } else {
                    firstHour = Math.min(firstHour, s.bucket);
                    lastHour = Math.max(lastHour, s.bucket);
                }
            }
            if (firstHour <= lastHour) {
                patternScope(snap, t);
                if (t.pattern != null) {
                    int window = t.pattern.integer("windowDays");
                    int persist = t.pattern.integer("persistHours");
                    t.hourly = new Series(firstHour - (persist - 1) * HOUR - window * DAY, lastHour + HOUR, HOUR);
                    hourly.add(t.hourly);
                    hourlyPoints.add(t.scopePoints);
                }
            }
            if (firstDay <= lastDay) {
                for (Long fid : t.e.facilityIds()) {
                    RegistrySnapshot.Facility f = snap.facilities().get(fid);
                    if (f == null || !f.treatment() || f.productionIds().isEmpty()) {
                        continue;
                    }
                    AlarmRules.EffectiveRule r = rules.facility(RATIO_DROP, f.id());
                    if (r == null || !r.enabled()) {
                        continue;
                    }
                    List<Long> prodPoints = new ArrayList<>();
                    for (Long pid : f.productionIds()) {
                        RegistrySnapshot.Facility p = snap.facilities().get(pid);
                        if (p != null) {
                            prodPoints.addAll(p.pointIds());
                        }
                    }
                    long from = firstDay - r.integer("windowDays") * DAY;
                    Treatment tr = new Treatment(f, r, prodPoints, new Series(from, lastDay + DAY, DAY),
                            new Series(from, lastDay + DAY, DAY));
                    t.treatments.add(tr);
                    daily.add(tr.treat());
                    dailyPoints.add(f.pointIds());
                    daily.add(tr.prod());
                    dailyPoints.add(prodPoints);
                }
            }
        }
        energies(hourly, hourlyPoints, "1h");
        energies(daily, dailyPoints, "1d");
    }

    /** PATTERN_ANOMALY's points: the enterprise's TOTAL meters; without one, its production meters. */
    private void patternScope(RegistrySnapshot snap, Task t) {
        AlarmRules.EffectiveRule r = rules.enterprise(PATTERN, t.e.id());
        if (r == null || !r.enabled()) {
            return;
        }
        List<Long> pts = new ArrayList<>();
        String scope = "TOTAL";
        for (String kind : List.of("TOTAL", "PRODUCTION")) {
            for (Long fid : t.e.facilityIds()) {
                RegistrySnapshot.Facility f = snap.facilities().get(fid);
                if (f != null && kind.equals(f.kind())) {
                    pts.addAll(f.pointIds());
                }
            }
            if (!pts.isEmpty()) {
                scope = kind;
                break;
            }
        }
        if (pts.isEmpty()) {
            return;
        }
        t.pattern = r;
        t.scope = scope;
        t.scopePoints = pts;
    }

    /**
     * The register's energy of a point in a bucket unless it is implausible ({@code pw}: its mean power × the bucket's
     * hours, the first parameter). After a reset, a rollover or a backward jump in the bucket: the mean power × the
     * bucket's hours. When the two differ by more than 50 %: the smaller — the faults that part them inflate one side
     * (a register running away; power in W instead of kW, or P ≠ 3·U·I·PF). One bad day must not become the baseline
     * the other days are compared with.
     */
    private static final String PLAUSIBLE_ENERGY = """
            case when energy is null or resets > 0 or rollovers > 0 or negative_jumps > 0 then pw
                 when abs(energy - pw) > 0.5 * greatest(pw, 1) then least(energy, pw)
                 else energy end""";

    /**
     * Σ energy (kWh) per bucket of each group of points ({@link #PLAUSIBLE_ENERGY} per point), from point_agg, over
     * each series' own window, for all groups in one statement; a bucket where no point has a value stays NaN ("no
     * data"). Read as a stream: 5,000 enterprises × 29 days of hours are millions of rows.
     */
    private void energies(List<Series> series, List<Collection<Long>> points, String grain) {
        if (series.isEmpty()) {
            return;
        }
        List<Integer> g = new ArrayList<>();
        List<Long> p = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        List<Long> to = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            for (Long pid : points.get(i)) {
                g.add(i);
                p.add(pid);
                from.add(series.get(i).from);
                to.add(series.get(i).to());
            }
        }
        if (g.isEmpty()) {
            return;
        }
        double hours = "1d".equals(grain) ? 24 : "1h".equals(grain) ? 1 : 0.25;
        statements.incrementAndGet();
        jdbc.execute((ConnectionCallback<Void>) con -> {
            boolean auto = con.getAutoCommit();
            con.setAutoCommit(false); // a cursor: rows are fetched in chunks instead of all at once
            // per (group, point) an index range scan of its own window (the grain a literal: one partition), summed per
            // group and bucket here — a hash aggregate over millions of groups would spill to disk
            try (PreparedStatement ps = con.prepareStatement("""
                    select g.grp, (extract(epoch from a.bucket) * 1000)::bigint, """ + PLAUSIBLE_ENERGY + """

                    from unnest(?::int[], ?::bigint[], ?::bigint[], ?::bigint[]) g(grp, point_id, f, t)
                    cross join lateral (
                        select bucket, energy, resets, rollovers, negative_jumps, p_sum / nullif(n, 0) * ? as pw
                        from point_agg where grain = '""" + grain + """
                    ' and point_id = g.point_id
                          and bucket >= to_timestamp(g.f / 1000.0) and bucket < to_timestamp(g.t / 1000.0)) a""")) {
                ps.setFetchSize(50_000);
                ps.setArray(1, con.createArrayOf("integer", g.toArray()));
                ps.setArray(2, con.createArrayOf("bigint", p.toArray()));
                ps.setArray(3, con.createArrayOf("bigint", from.toArray()));
                ps.setArray(4, con.createArrayOf("bigint", to.toArray()));
                ps.setDouble(5, hours);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getDouble(3);
                        if (!rs.wasNull()) {
                            Series s = series.get(rs.getInt(1));
                            int i = (int) ((rs.getLong(2) - s.from) / s.step);
                            s.values[i] = Double.isNaN(s.values[i]) ? v : s.values[i] + v;
                        }
                    }
                }
                con.commit();
            } catch (java.sql.SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            } finally {
                con.setAutoCommit(auto);
            }
            return null;
        });
    }

    /** The stop and limit order periods of the due enterprises over all their windows (one statement). */
    private Map<Long, List<ProductionBaseline.Excluded>> orders(List<Task> due) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        Set<Long> ids = new LinkedHashSet<>();
        for (Task t : due) {
            if (t.hourly != null) {
                from = Math.min(from, t.hourly.from);
                to = Math.max(to, t.hourly.to());
            }
            for (Treatment tr : t.treatments) {
                from = Math.min(from, tr.treat().from);
                to = Math.max(to, tr.treat().to());
            }
            if (t.hourly != null || !t.treatments.isEmpty()) {
                ids.add(t.e.id());
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        statements.incrementAndGet();
        // a wider window than one bucket's changes nothing: the models only ask about periods overlapping their own
        return ProductionBaseline.orderPeriods(named, ids, null, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
    }

    /** Marks the PATTERN_ANOMALY candidates a production alarm of their enterprise explains (one statement). */
    private void explained(List<Verdict> candidates) {
        if (candidates.isEmpty()) {
            return;
        }
        Long[] e = new Long[candidates.size()];
        Long[] f = new Long[candidates.size()];
        Long[] t = new Long[candidates.size()];
        for (int i = 0; i < e.length; i++) {
            Verdict v = candidates.get(i);
            e[i] = v.enterpriseId;
            f[i] = v.explainFrom;
            t[i] = v.at;
        }
        statements.incrementAndGet();
        // a production alarm of the enterprise overlapping [from, to) explains an unusual load
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select c.i from unnest(?::bigint[], ?::bigint[], ?::bigint[]) with ordinality c(e, f, t, i)
                    where exists (select 1 from alarm where enterprise_id = c.e and type in ("""
                    + String.join(",", PRODUCTION_TYPES.stream().map(x -> "'" + x + "'").toList()) + """
                    ) and started_at < to_timestamp(c.t / 1000.0) and (ended_at is null or ended_at > to_timestamp(c.f / 1000.0)))""");
            ps.setArray(1, con.createArrayOf("bigint", e));
            ps.setArray(2, con.createArrayOf("bigint", f));
            ps.setArray(3, con.createArrayOf("bigint", t));
            return ps;
        }, rs -> {
            candidates.get((int) rs.getLong(1) - 1).explained = true;
        });
    }

    // ------------------------------------------------------------------------------------------ the models

    /** Start (epoch ms) of the China day containing {@code t}. */
    static long dayStart(long t) {
        return Math.floorDiv(t + 8 * HOUR, DAY) * DAY - 8 * HOUR;
    }

    static boolean weekend(long t) {
        java.time.DayOfWeek d = Instant.ofEpochMilli(t).atZone(QnGenerator.CHINA).getDayOfWeek();
        return d == java.time.DayOfWeek.SATURDAY || d == java.time.DayOfWeek.SUNDAY;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * 产治电量比异常: the treatment's day energy over its associated production's, against the median of the same
     * ratio over the previous {@code windowDays} production days (domain notes §1.3 item 5). Raised at the day's
     * end when the ratio is below {@code ratioOfMedian} × that median on a production day; cleared at the end of a
     * production day at or above it. No verdict on a day without production, without data, or without
     * {@code minHistoryDays} production days of history.
     */
    private Verdict ratioDrop(Treatment tr, long day, List<ProductionBaseline.Excluded> orders) {
        RegistrySnapshot.Facility t = tr.facility();
        AlarmRules.EffectiveRule r = tr.rule();
        int window = r.integer("windowDays");
        long from = day - window * DAY;
        Map<Long, Double> treat = tr.treat().map(from, day + DAY);
        Map<Long, Double> prod = tr.productionPoints().isEmpty() ? new HashMap<>() : tr.prod().map(from, day + DAY);
        Double ep = prod.get(day);
        Double et = treat.get(day);
        if (ep == null || et == null) {
            return null; // no data that day
        }
        double minKwh = r.number("minProductionKwh");
        double share = r.number("minProductionShare");
        // the history: production days outside stop and limit orders (a limit day's ratio is not the usual one)
        List<Long> candidates = new ArrayList<>();
        for (long d = from; d < day; d += DAY) {
            Double hp = prod.get(d);
            if (hp != null && treat.get(d) != null && hp > 0 && hp >= minKwh
                    && !ProductionBaseline.Excluded.any(orders, d, d + DAY)) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        // a day of little production (a half-day stop) is not a production day either: its ratio is far from the usual
        double typicalProd = median(candidates.stream().map(prod::get).toList());
        List<Double> ratios = new ArrayList<>();
        List<Double> prodDays = new ArrayList<>();
        for (long d : candidates) {
            double hp = prod.get(d);
            if (hp >= share * typicalProd) {
                ratios.add(treat.get(d) / hp);
                prodDays.add(hp);
            }
        }
        if (ratios.size() < r.integer("minHistoryDays")) {
            return null; // not enough history
        }
        double medianProd = median(prodDays);
        if (ep <= 0 || ep < minKwh || ep < share * medianProd) {
            return null; // not a production day: nothing to compare
        }
        double medianRatio = median(ratios);
        double ratio = et / ep;
        double limit = r.number("ratioOfMedian") * medianRatio;
        String subject = "facility:" + t.id();
        long at = day + DAY;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("facilityId", t.id());
        ev.put("facility", t.name());
        ev.put("day", iso(day));
        ev.put("treatmentKwh", round(et));
        ev.put("productionKwh", round(ep));
        ev.put("ratio", round(ratio));
        ev.put("medianRatio", round(medianRatio));
        ev.put("limitRatio", round(limit));
        ev.put("historyDays", ratios.size());
        ev.put("medianProductionKwh", round(medianProd));
        ev.put("dataTime", iso(at));
        if (ratio < limit) {
            Map<String, Object> raise = new LinkedHashMap<>();
            raise.put("firstAbnormalAt", iso(day));
            raise.put("message", "[" + t.name() + "]" + Instant.ofEpochMilli(day).atZone(QnGenerator.CHINA).toLocalDate()
                    + "治污用电量" + round(et) + "kWh，关联生产用电量" + round(ep) + "kWh，电量比" + round(ratio)
                    + "，低于近" + ratios.size() + "个生产日中位数" + round(medianRatio) + "的" + r.number("ratioOfMedian")
                    + "倍（" + round(limit) + "），治污设施疑似未正常运行");
            return new Verdict(RATIO_DROP, subject, true, at, ev, raise, t, t.enterpriseId(), -1);
        }
        ev.put("message", "治污/生产电量比" + round(ratio) + "恢复至历史水平");
        return new Verdict(RATIO_DROP, subject, false, at, ev, Map.of(), t, t.enterpriseId(), -1);
    }

    /**
     * 用电模式异常: the enterprise's energy in an hour (its TOTAL meters; without one, its production meters)
     * against the same hour of the same day type (weekday / weekend) over the previous {@code windowDays}: an hour
     * is out when E &gt; max(k × median, median + m × MAD) and E − median ≥ {@code minExcessKw}. Raised (NOTICE) at
     * the end of the {@code persistHours}-th consecutive hour out, unless a production alarm of the enterprise
     * (stop order, limit, over-capacity) overlaps those hours; cleared at the end of an hour back inside. Only
     * upward deviations count (a stop is not an anomaly here). No verdict on an hour without data or with fewer
     * than {@code minHistoryDays} comparable days.
     */
    private Verdict patternAnomaly(Task t, long hour, List<ProductionBaseline.Excluded> orders) {
        RegistrySnapshot.Enterprise e = t.e;
        AlarmRules.EffectiveRule r = t.pattern;
        String scope = t.scope;
        int window = r.integer("windowDays");
        int persist = r.integer("persistHours");
        long first = hour - (persist - 1) * HOUR;
        Map<Long, Double> energy = t.hourly.map(first - window * DAY, hour + HOUR);
        // hours under a stop or limit order are not the enterprise's usual pattern
        energy.keySet().removeIf(h -> h < first && ProductionBaseline.Excluded.any(orders, h, h + HOUR));
        // the excess that counts: minExcessKw, or less for a small plant — a share of its usual peak hour (a night run
        // of a 15 kW plant at its daytime level is what this model is for), never below minExcessFloorKw (noise)
        double usualPeak = usualPeakHour(energy, first - window * DAY, first);
        double minExcess = Math.min(r.number("minExcessKw"),
                Math.max(r.number("minExcessFloorKw"), r.number("minExcessShare") * usualPeak));
        List<Map<String, Object>> hours = new ArrayList<>();
        boolean all = true;
        boolean last = false;
        for (long h = first; h <= hour; h += HOUR) {
            Double x = energy.get(h);
            if (x == null) {
                return null; // an hour without data: no verdict
            }
            boolean we = weekend(h);
            List<Double> hist = new ArrayList<>();
            for (long d = h - DAY; d >= h - window * DAY; d -= DAY) {
                Double v = energy.get(d);
                if (v != null && weekend(d) == we) {
                    hist.add(v);
                }
            }
            if (hist.size() < r.integer("minHistoryDays")) {
                // too few days of the same type yet (a new plant's first weekend): the same hour of every day; a plant
                // that works less at weekends is then compared with busier days, which only makes an alarm rarer
                hist.clear();
                for (long d = h - DAY; d >= h - window * DAY; d -= DAY) {
                    Double v = energy.get(d);
                    if (v != null) {
                        hist.add(v);
                    }
                }
            }
            if (hist.size() < r.integer("minHistoryDays")) {
                return null; // not enough history
            }
            double med = median(hist);
            double mad = median(hist.stream().map(v -> Math.abs(v - med)).toList());
            double upper = Math.max(r.number("medianFactor") * med, med + r.number("madFactor") * mad);
            last = x > upper && x - med >= minExcess;
            all &= last;
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("hour", iso(h));
            hm.put("kwh", round(x));
            hm.put("median", round(med));
            hm.put("mad", round(mad));
            hm.put("upper", round(upper));
            hm.put("weekend", we);
            hm.put("historyDays", hist.size());
            hm.put("out", last);
            hours.add(hm);
        }
        String subject = "enterprise:" + e.id();
        long at = hour + HOUR;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("scope", scope);
        ev.put("usualPeakKwh", round(usualPeak));
        ev.put("minExcessKwh", round(minExcess));
        ev.put("hours", hours);
        ev.put("dataTime", iso(at));
        if (!last) {
            ev.put("message", "用电恢复至同时段历史水平");
            return new Verdict(PATTERN, subject, false, at, ev, Map.of(), null, e.id(), -1);
        }
        if (!all) {
            return null;
        }
        // raised unless open already or explained by a production alarm (both known only when applied)
        Map<String, Object> h0 = hours.get(hours.size() - 1);
        Map<String, Object> raise = new LinkedHashMap<>();
        raise.put("firstAbnormalAt", iso(first));
        raise.put("message", "[" + e.name() + "]" + ("TOTAL".equals(scope) ? "总用电" : "生产用电") + "自" + iso(first) + "起连续"
                + persist + "小时远高于同时段历史水平（" + (weekend(hour) ? "周末" : "工作日") + "，最近一小时" + h0.get("kwh")
                + "kWh，历史中位数" + h0.get("median") + "kWh），疑似异常生产，请关注");
        return new Verdict(PATTERN, subject, true, at, ev, raise, null, e.id(), first);
    }

    /** The median over the days in [from, to) of each day's largest hourly energy (the hours left in the map). */
    static double usualPeakHour(Map<Long, Double> hourly, long from, long to) {
        Map<Long, Double> dayPeak = new HashMap<>();
        hourly.forEach((h, v) -> {
            if (h >= from && h < to) {
                dayPeak.merge(dayStart(h), v, Math::max);
            }
        });
        return dayPeak.isEmpty() ? 0 : median(new ArrayList<>(dayPeak.values()));
    }
}
