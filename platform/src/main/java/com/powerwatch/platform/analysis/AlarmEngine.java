package com.powerwatch.platform.analysis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.telemetry.CanonicalSample;
import com.powerwatch.platform.telemetry.FacilityStateMachine;
import com.powerwatch.platform.telemetry.FacilityThresholds;
import com.powerwatch.ingest.frame.DecodedFrames;
import com.powerwatch.platform.telemetry.FrameMapping;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 智能报警分析引擎: a journal consumer with its own offset that maps frames to canonical samples (the telemetry's
 * {@link FrameMapping}), runs the facility state machines and the analysis models on them in data-time order, and
 * raises / clears alarms through the {@link AlarmRecorder} with data times. Timers (offline) run between batches
 * once the engine has caught up. docs/analysis-models.md describes every model.
 *
 * <p>State and restarts: the journal offset is a file, so model state cannot be committed with it. Instead every
 * update is idempotent by data time (a point ignores samples not newer than its latest; the recorder ignores raises
 * not newer than an alarm's last_seen_at / ended_at), and at start the state is rebuilt by running the models over
 * the last {@code rebuildWindow} of point_sample, with the open alarms read from the alarm table. A replay of the
 * journal after that changes nothing.
 */
public final class AlarmEngine extends JournalConsumer {

    private static final Logger log = LoggerFactory.getLogger(AlarmEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MINUTE = 60_000L;

    static final String NOT_STARTED = "TREATMENT_NOT_STARTED";
    static final String STOPPED = "TREATMENT_STOPPED";
    static final String ABNORMAL = "TREATMENT_ABNORMAL";
    static final String ORDER = "START_STOP_ORDER";
    static final String DURING_STOP = "PRODUCTION_DURING_STOP";
    static final String LIMIT = "LIMIT_NOT_KEPT";
    static final String OVER = "OVER_CAPACITY";
    static final String LOGGER_OFFLINE = "LOGGER_OFFLINE";
    static final String METER_OFFLINE = "METER_OFFLINE";
    static final String POWER_LOSS = "METER_POWER_LOSS";
    static final String PHASE_LOSS = "PHASE_LOSS";
    static final String INVALID = "INVALID_DATA";
    static final String FROZEN = "FROZEN_VALUE";
    static final String IMPOSSIBLE = "IMPOSSIBLE_READING";
    static final String RATIO_DROP = "TREATMENT_RATIO_DROP";
    static final String PATTERN = "PATTERN_ANOMALY";
    static final List<String> TYPES = List.of(NOT_STARTED, STOPPED, ABNORMAL, ORDER, DURING_STOP, LIMIT, OVER,
            LOGGER_OFFLINE, METER_OFFLINE, POWER_LOSS, PHASE_LOSS, INVALID, FROZEN, IMPOSSIBLE, RATIO_DROP, PATTERN);
    /** Production alarms that explain an unusual load (PATTERN_ANOMALY stays quiet while one overlaps). */
    static final List<String> PRODUCTION_TYPES = List.of(DURING_STOP, LIMIT, OVER);
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;

    private final JournalReader reader;
    private final JdbcTemplate jdbc;
    private final TelemetryRegistry registry;
    private final EngineRules rules;
    private final OpenAlarms alarms;
    private final HistoryModels history;
    private final MeterModels meterModels;
    private final SilenceModels silence;
    private final AnalysisProperties props;

    private RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;
    /** Registry facts the snapshot does not carry: history reference, association tolerances. */
    private Map<Long, Double> historyPeak = Map.of(); // OVER_CAPACITY reference without rated_kw (FacilityHistoryPeak)
    private Map<Long, Map<Long, int[]>> tolerances = Map.of(); // treatment → production → {startLead, stopLag}

    private final Map<Long, PointTrack> points = new HashMap<>();
    private final Map<Long, FacilityTrack> facilities = new HashMap<>();
    private final Map<Long, EnterpriseTrack> enterprises = new HashMap<>();
    private long lastTimerNanos = System.nanoTime();
    /** The fleet's data clock (silence is measured on it; docs/analysis-models.md §4). */
    private final DataClock dataClock;
    private long lastDataTimer;
    private long lastDataHistory;
    /** Copies for {@link #stats()}, written at the end of each batch. */
    private volatile int openCount;
    private volatile int heldCount;
    private final AtomicLong samples = new AtomicLong();

    AlarmEngine(String name, JournalReader reader, JdbcTemplate jdbc, TelemetryRegistry registry, EngineRules rules,
                AlarmRecorder recorder, AnalysisProperties props) {
        super(name, reader, props.batchSize(), props.maxBackoff());
        this.reader = reader;
        this.jdbc = jdbc;
        this.registry = registry;
        this.rules = rules;
        this.alarms = new OpenAlarms(recorder);
        this.history = new HistoryModels(jdbc, rules, alarms);
        this.meterModels = new MeterModels(rules, alarms);
        this.silence = new SilenceModels(rules, alarms);
        this.dataClock = new DataClock(props.futureTolerance());
        this.props = props;
    }

    /** Stops the thread and closes the journal reader (the consumer's offset stays registered). */
    @Override
    public void close() throws InterruptedException {
        super.close();
        java.util.concurrent.ExecutorService h;
        synchronized (this) {
            h = historyExecutor;
        }
        if (h != null) {
            h.shutdownNow(); // a round in progress ends at its next statement or when it is done
            h.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        try {
            reader.close();
        } catch (java.io.IOException e) {
            log.warn("closing the journal reader: {}", e.toString());
        }
    }

    AlarmEngine start() {
        startThread();
        return this;
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state());
        m.put("lastError", lastError());
        m.put("samples", samples.get());
        m.put("raises", alarms.raises());
        m.put("clears", alarms.clears());
        m.put("batches", batches());
        m.put("lag", lag());
        // read without the engine's lock: a status request must not wait for a long round of the history models
        long clock = dataClock.now();
        m.put("dataClock", clock == 0 ? null : iso(clock));
        m.put("dataClockMillis", clock);
        m.put("openAlarms", openCount);
        m.put("heldSplitUploads", heldCount);
        m.put("historyRounds", history.rounds());
        m.put("historyLastRoundMillis", history.lastRoundMillis());
        m.put("historyLastRoundEnterprises", history.lastRoundEnterprises());
        m.put("historyStatements", history.statements());
        return m;
    }

    /** Forget cached rule parameters and orders (they are otherwise re-read every rules-cache-ttl). */
    public void refreshRules() {
        rules.invalidate();
    }

    /** The data time of the latest sample the engine took for a point (0: none). */
    synchronized long pointDataTime(long pointId) {
        PointTrack p = points.get(pointId);
        return p == null ? 0 : p.lastTs;
    }

    /** A facility's current state as the engine sees it. */
    synchronized FacilityStateMachine.State facilityState(long facilityId) {
        FacilityTrack f = facilities.get(facilityId);
        return f == null ? FacilityStateMachine.State.UNKNOWN : f.sm.state();
    }

    // ------------------------------------------------------------------------------------------ per-object state

    private static final class FacilityTrack {
        final FacilityStateMachine sm = new FacilityStateMachine();
        Double value;
        int invalidSamples;
        Long overSince;
        // treatment episode (relative to its associated production)
        boolean prodOn;
        long prodSince;
        boolean started;
        Long offSince;
        Long abnormalSince;
        int lastStopTolerance = 30;
    }

    private static final class EnterpriseTrack {
        Long stopSince;
        final ArrayDeque<double[]> limitWindow = new ArrayDeque<>(); // {ts, production kW}
        long limitOrderId = -1;
        long limitFrom;
    }

    // ------------------------------------------------------------------------------------------ journal

    @Override
    protected synchronized void process(List<JournalEntry> batch) {
        RegistrySnapshot snap = registry.snapshot();
        FrameMapping.Result mapped = FrameMapping.map(batch, snap, DecodedFrames.of(reader().journal()));
        costs.lap("decode + map");
        holdIncompleteUploads(mapped);
        apply(mapped.samples().values(), snap, true);
        costs.lap("models");
        if (dataClock.now() - lastDataHistory >= MINUTE) {
            lastDataHistory = dataClock.now();
            requestHistory();
        }
        openCount = alarms.size();
        heldCount = splitUploads.values().stream().mapToInt(Map::size).sum();
    }

    /** A split upload (PNUM &gt; 1) of one (MN, CN, DataTime) while not all its sub-packets have been read. */
    private static final class SplitUpload {
        final String key;
        final long ts;
        int pnum;
        final Set<Integer> pnos = new HashSet<>();
        final Set<Long> points = new HashSet<>();
        final Map<Long, CanonicalSample> held = new HashMap<>();
        long receivedAt;

        SplitUpload(String key, long ts) {
            this.key = key;
            this.ts = ts;
        }
    }

    /** How long (receive time) the rest of a split upload is waited for before its parts are judged as they are. */
    static final long SPLIT_WAIT = 2 * MINUTE;
    /** The latest receive time of a frame the engine has read (the journal's clock, also during a replay). */
    private long latestReceivedAt;

    /** Split uploads cut by a batch boundary: "MN|CN" → DataTime → upload. */
    private final Map<String, Map<Long, SplitUpload>> splitUploads = new HashMap<>();

    /**
     * A meter's items may be spread over the sub-packets of a split upload, and a batch may end between them. Judged
     * alone, the first part would be a sample with (say) one phase voltage only: a phase loss, or a value missing.
     * So the samples of an upload whose sub-packets have not all arrived are held back and merged with the rest
     * from the next batches. An upload is released incomplete when its logger has moved on to a later DataTime or
     * frames received {@link #SPLIT_WAIT} later have been read (a lost sub-packet): receive time, not data time, so a
     * logger whose data runs behind the fleet's (a back-fill) is waited for too. Held samples are not lost in a crash: the rebuild at
     * start reads them from point_sample, where the telemetry merged them.
     */
    private void holdIncompleteUploads(FrameMapping.Result mapped) {
        if (mapped.splitParts().isEmpty() && splitUploads.isEmpty()) {
            return;
        }
        Map<FrameMapping.SampleKey, CanonicalSample> samples = mapped.samples();
        for (CanonicalSample sample : samples.values()) {
            latestReceivedAt = Math.max(latestReceivedAt, sample.receivedAtMillis());
        }
        Map<String, Long> latest = new HashMap<>();
        for (FrameMapping.SplitPart part : mapped.splitParts()) {
            String key = part.mn() + "|" + part.cn();
            SplitUpload u = splitUploads.computeIfAbsent(key, k -> new HashMap<>())
                    .computeIfAbsent(part.tsMillis(), t -> new SplitUpload(key, t));
            u.pnum = part.pnum();
            u.pnos.add(part.pno());
            u.points.addAll(part.pointIds());
            latest.merge(key, part.tsMillis(), Math::max);
        }
        for (Iterator<Map<Long, SplitUpload>> byLogger = splitUploads.values().iterator(); byLogger.hasNext(); ) {
            Map<Long, SplitUpload> uploads = byLogger.next();
            for (Iterator<SplitUpload> it = uploads.values().iterator(); it.hasNext(); ) {
                SplitUpload u = it.next();
                boolean complete = u.pnos.size() >= u.pnum;
                boolean abandoned = latest.getOrDefault(u.key, Long.MIN_VALUE) > u.ts
                        || u.receivedAt > 0 && latestReceivedAt - u.receivedAt > SPLIT_WAIT;
                if (complete || abandoned) {
                    for (CanonicalSample held : u.held.values()) {
                        CanonicalSample rest = samples.get(new FrameMapping.SampleKey(held.pointId(), u.ts));
                        if (rest != null) {
                            held.merge(rest);
                        }
                        samples.put(new FrameMapping.SampleKey(held.pointId(), u.ts), held);
                    }
                    it.remove();
                } else {
                    for (Long pid : u.points) {
                        CanonicalSample part = samples.remove(new FrameMapping.SampleKey(pid, u.ts));
                        if (part != null) {
                            u.receivedAt = Math.max(u.receivedAt, part.receivedAtMillis());
                            CanonicalSample held = u.held.putIfAbsent(pid, part);
                            if (held != null) {
                                held.merge(part);
                            }
                        }
                    }
                }
            }
            if (uploads.isEmpty()) {
                byLogger.remove();
            }
        }
    }

    @Override
    protected void housekeeping(boolean caughtUp) {
        long now = System.nanoTime();
        if (caughtUp && now - lastTimerNanos >= props.timerInterval().toNanos()) {
            lastTimerNanos = now;
            checkTimers(System.currentTimeMillis());
            requestHistory();
        }
    }

    /** Runs the models over samples (any order: they are sorted by data time and grouped per DataTime). */
    synchronized void apply(Collection<CanonicalSample> batch, RegistrySnapshot snap) {
        apply(batch, snap, false);
    }

    /**
     * As {@link #apply(Collection, RegistrySnapshot)}; with {@code dataTimers} the offline timers also run on data
     * time, every data minute within the batch: a silence is found while the journal is replayed or a simulation
     * runs faster than real time (the wall-clock timers only run once the engine has caught up), and a gap shorter
     * than a batch (a meter silent 25 min that reports again in the same batch) is not stepped over.
     */
    void apply(Collection<CanonicalSample> batch, RegistrySnapshot snap, boolean dataTimers) {
        useRegistry(snap);
        DataClock.Receipts receipts = dataClock.receipts(batch);
        List<CanonicalSample> list = new ArrayList<>(batch);
        list.sort(Comparator.comparingLong(CanonicalSample::tsMillis));
        int i = 0;
        while (i < list.size()) {
            long ts = list.get(i).tsMillis();
            int end = i;
            for (; end < list.size() && list.get(end).tsMillis() == ts; end++) {
                dataClock.advance(dataClock.bound(list.get(end)));
            }
            // what had been received by the time the fleet's data reached this DataTime is heard; then the timers
            receipts.upTo(dataClock.now(), this::heard);
            if (dataTimers && dataClock.now() - lastDataTimer >= MINUTE) {
                lastDataTimer = dataClock.now();
                checkTimers(0);
            }
            Set<Long> touched = new LinkedHashSet<>();
            for (; i < end; i++) {
                CanonicalSample s = list.get(i);
                PointTrack p = points.get(s.pointId());
                if (p != null && onPoint(p, s)) {
                    touched.add(p.def.facilityId());
                }
            }
            Set<Long> enterpriseIds = new LinkedHashSet<>();
            for (Long fid : touched) {
                RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
                if (f != null) {
                    evaluateFacility(f, ts);
                    enterpriseIds.add(f.enterpriseId());
                }
            }
            for (Long eid : enterpriseIds) {
                RegistrySnapshot.Enterprise e = snapshot.enterprises().get(eid);
                if (e != null) {
                    evaluateEnterprise(e, ts);
                }
            }
        }
        receipts.upTo(Long.MAX_VALUE, this::heard);
    }

    /** A frame of a point was received when the data clock stood at {@code clock}. */
    private void heard(CanonicalSample s, long clock) {
        PointTrack p = points.get(s.pointId());
        if (p != null) {
            p.heardClock = Math.max(p.heardClock, clock);
            p.heardTs = Math.max(p.heardTs, s.tsMillis());
            p.receivedAt = Math.max(p.receivedAt, s.receivedAtMillis());
        }
    }

    private void useRegistry(RegistrySnapshot snap) {
        if (snap == snapshot) {
            return;
        }
        snapshot = snap;
        Map<Long, Double> hp = new HashMap<>();
        jdbc.query("select id, history_peak_kw from facility where history_peak_kw is not null",
                rs -> { hp.put(rs.getLong(1), rs.getDouble(2)); });
        Map<Long, Map<Long, int[]>> t = new HashMap<>();
        jdbc.query("select treatment_facility_id, production_facility_id, start_lead_minutes, stop_lag_minutes from facility_association",
                rs -> {
                    t.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getLong(2), new int[]{rs.getInt(3), rs.getInt(4)});
                });
        historyPeak = hp;
        tolerances = t;
        points.keySet().retainAll(snap.points().keySet());
        for (RegistrySnapshot.Point p : snap.points().values()) {
            PointTrack old = points.get(p.id());
            if (old == null || !old.def.equals(p)) {
                PointTrack n = new PointTrack(p);
                if (old != null) {
                    n.lastTs = old.lastTs;
                    n.receivedAt = old.receivedAt;
                    n.heardClock = old.heardClock;
                    n.heardTs = old.heardTs;
                    n.offline = old.offline;
                    n.offlineAt = old.offlineAt;
                    n.interval = old.interval;
                    n.values = old.values;
                }
                points.put(p.id(), n);
            }
        }
        facilities.keySet().retainAll(snap.facilities().keySet());
        for (Long id : snap.facilities().keySet()) {
            facilities.computeIfAbsent(id, k -> new FacilityTrack());
        }
        enterprises.keySet().retainAll(snap.enterprises().keySet());
        rules.invalidate();
    }

    // ------------------------------------------------------------------------------------------ points

    /** A new sample of a point: point-level models. False when it is not newer than the point's latest. */
    private boolean onPoint(PointTrack p, CanonicalSample s) {
        long ts = s.tsMillis();
        if (ts <= p.lastTs) {
            return false;
        }
        samples.incrementAndGet();
        if (p.lastTs > 0 && ts - p.lastTs <= 86_400_000L) {
            p.interval = ts - p.lastTs;
        }
        p.prevTs = p.lastTs;
        p.prevP = num(p.values, "P");
        p.prevE = num(p.values, "E");
        p.lastTs = ts;
        p.values = s.values();
        p.invalid = s.invalid();
        long fid = p.def.facilityId();
        RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
        if (f == null) {
            return false;
        }
        silence.taken(p, ts);
        meterModels.evaluate(p, f, "point:" + p.def.id(), ts);
        return true;
    }

    // ------------------------------------------------------------------------------------------ facilities

    /**
     * Thresholds of a facility: the registry's, else defaults from its rated power (domain notes §1.2) — the same
     * resolution as the real-time state's ({@link FacilityThresholds}).
     */
    FacilityStateMachine.Thresholds thresholds(RegistrySnapshot.Facility f) {
        return FacilityThresholds.of(f, rules);
    }

    private void evaluateFacility(RegistrySnapshot.Facility f, long ts) {
        FacilityTrack ft = facilities.computeIfAbsent(f.id(), k -> new FacilityTrack());
        Double value = null;
        String fault = null;
        boolean anyValid = false;
        long interval = 0;
        for (Long pid : f.pointIds()) {
            PointTrack p = points.get(pid);
            if (p == null || p.offline || p.lastTs == 0) {
                continue;
            }
            interval = Math.max(interval, p.interval);
            if (p.invalid) {
                continue;
            }
            anyValid = true;
            if (p.fault != null && fault == null) {
                fault = p.fault;
            }
            Double v;
            if ("I".equals(f.thresholdQuantity())) {
                double total = 0;
                int n = 0;
                for (String q : new String[]{"IA", "IB", "IC"}) {
                    Double i = num(p.values, q);
                    if (i != null) {
                        total += i;
                        n++;
                    }
                }
                v = n == 0 ? null : total / n;
            } else {
                v = num(p.values, "P");
            }
            if (v != null) {
                value = value == null ? v : value + v;
            }
        }
        if (!anyValid) {
            // flagged data only (Flag D/F…): one such sample keeps the state; from the second the facility's state
            // cannot be told (FAULT "INVALID_FLAG"), so a facility that stops meanwhile is not taken as still
            // running by the association and order models. INVALID_DATA reports the meter.
            if (++ft.invalidSamples >= 2) {
                ft.sm.update(ts, null, "INVALID_FLAG", thresholds(f), 1);
            }
            return;
        }
        ft.invalidSamples = 0;
        ft.value = value;
        ft.sm.update(ts, value, fault, thresholds(f), interval < 10 * MINUTE ? debounceSamples(f) : 1);
        if (f.production()) {
            overCapacity(f, ft, ts);
        }
    }

    /**
     * The samples that must agree before the facility's state changes: the largest debounceSamples of the rules that
     * judge its state — the three treatment models for a treatment facility, PRODUCTION_DURING_STOP for production.
     */
    private int debounceSamples(RegistrySnapshot.Facility f) {
        int debounce = 1;
        for (String type : f.treatment() ? List.of(NOT_STARTED, STOPPED, ABNORMAL) : f.production() ? List.of(DURING_STOP) : List.<String>of()) {
            AlarmRules.EffectiveRule r = rules.facility(type, f.id());
            if (r != null) {
                debounce = Math.max(debounce, r.integer("debounceSamples"));
            }
        }
        return debounce;
    }

    /** Over the rated power × ratedFactor; without rated_kw, over the facility's history reference × historyFactor. */
    private void overCapacity(RegistrySnapshot.Facility f, FacilityTrack ft, long ts) {
        Double kw = f.ratedKw();
        Double peak = kw == null ? historyPeak.get(f.id()) : null;
        String subject = "facility:" + f.id();
        AlarmRules.EffectiveRule r = rules.facility(OVER, f.id());
        if ((kw == null && peak == null) || r == null || !r.enabled() || ft.value == null || "I".equals(f.thresholdQuantity())
                || ft.sm.state() == FacilityStateMachine.State.FAULT) {
            return;
        }
        double factor = kw != null ? r.number("ratedFactor") : r.number("historyFactor");
        double limit = factor * (kw != null ? kw : peak);
        if (ft.value > limit) {
            if (ft.overSince == null) {
                ft.overSince = ts;
            }
            if (ts - ft.overSince >= r.integer("persistMinutes") * MINUTE && !alarms.isOpen(OVER, subject)) {
                Map<String, Object> ev = facilityEvidence(f, ft);
                ev.put("basis", kw != null ? "RATED" : "HISTORY");
                ev.put(kw != null ? "ratedKw" : "historyPeakKw", kw != null ? kw : peak);
                ev.put("factor", factor);
                ev.put("limitKw", round(limit));
                ev.put("firstAbnormalAt", iso(ft.overSince));
                ev.put("message", "[" + f.name() + "]实时功率为" + round(ft.value) + "kW，超过" + (kw != null ? "额定功率" + round(kw)
                        : "近期运行历史参照功率" + round(peak)) + "kW的"
                        + factor + "倍，疑似超负荷生产，首次异常时间：" + iso(ft.overSince));
                raise(OVER, subject, f, null, null, ts, ev);
            }
        } else {
            ft.overSince = null;
            alarms.clearIfOpen(OVER, subject, ts, facilityEvidence(f, ft));
        }
    }

    // ------------------------------------------------------------------------------------------ enterprises

    private void evaluateEnterprise(RegistrySnapshot.Enterprise e, long ts) {
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null && f.treatment() && !f.productionIds().isEmpty()) {
                evaluateTreatment(f, ts);
            }
        }
        evaluateOrders(e, ts);
    }

    /** 产治关联: the treatment facility against its associated production facilities (domain notes §1.3). */
    private void evaluateTreatment(RegistrySnapshot.Facility t, long ts) {
        FacilityTrack tt = facilities.get(t.id());
        if (tt == null) {
            return;
        }
        boolean running = false;
        boolean unknown = false;
        long firstOn = Long.MAX_VALUE;
        int startTolerance = 0;
        int stopTolerance = 0;
        Map<Long, int[]> tol = tolerances.getOrDefault(t.id(), Map.of());
        for (Long pid : t.productionIds()) {
            FacilityTrack pt = facilities.get(pid);
            if (pt == null) {
                continue;
            }
            FacilityStateMachine.State s = pt.sm.state();
            if (s.on()) {
                running = true;
                firstOn = Math.min(firstOn, pt.sm.since());
                int[] lt = tol.getOrDefault(pid, new int[]{10, 30});
                startTolerance = Math.max(startTolerance, lt[0]);
                stopTolerance = Math.max(stopTolerance, lt[1]);
            } else if (!s.known()) {
                unknown = true;
            }
        }
        FacilityStateMachine.State ts0 = tt.sm.state();
        String subject = "facility:" + t.id();
        if (!running && unknown) {
            return; // no verdict while the production's meters cannot tell
        }
        if (!running) {
            if (tt.prodOn) {
                tt.prodOn = false;
                // 先停: the treatment went off while production ran, longer than the tolerance before production stopped
                AlarmRules.EffectiveRule r = rules.facility(ORDER, t.id());
                int stopTol = tolerance(r, "stopLeadMinutes", tt.lastStopTolerance);
                if (r != null && r.enabled() && tt.started && tt.offSince != null && ts - tt.offSince > stopTol * MINUTE) {
                    Map<String, Object> ev = treatmentEvidence(t, tt, ts, tt.offSince);
                    ev.put("variant", "EARLY_STOP");
                    ev.put("stopToleranceMinutes", stopTol);
                    ev.put("productionStoppedAt", iso(ts));
                    ev.put("message", "[" + t.name() + "]于" + iso(tt.offSince) + "先于关联生产设施停运，生产设施至" + iso(ts)
                            + "才停止，超过允许的" + stopTol + "分钟（先停后启顺序异常）");
                    raise(ORDER, subject, t, null, null, tt.offSince, ev);
                    alarms.clearIfOpen(ORDER, subject, ts, Map.of("message", "生产设施已停止", "dataTime", iso(ts)));
                }
            }
            Map<String, Object> ev = treatmentEvidence(t, tt, ts, null);
            ev.put("message", "关联生产设施已停止");
            for (String type : List.of(NOT_STARTED, STOPPED, ABNORMAL, ORDER)) {
                alarms.clearIfOpen(type, subject, ts, ev);
            }
            tt.offSince = null;
            tt.abnormalSince = null;
            return;
        }
        tt.lastStopTolerance = stopTolerance;
        if (!tt.prodOn) {
            tt.prodOn = true;
            tt.prodSince = firstOn;
            tt.started = ts0.on() && tt.sm.since() <= firstOn;
            tt.offSince = null;
            tt.abnormalSince = null;
        }
        if (!ts0.known()) {
            return; // the treatment's own meter is faulty, offline or has no thresholds: reported by other models
        }
        if (ts0.on()) {
            tt.started = true;
            tt.offSince = null;
            Map<String, Object> ok = treatmentEvidence(t, tt, ts, null);
            ok.put("message", "治污设施已运行");
            alarms.clearIfOpen(NOT_STARTED, subject, ts, ok);
            alarms.clearIfOpen(STOPPED, subject, ts, ok);
            alarms.clearIfOpen(ORDER, subject, ts, ok);
            if (ts0 == FacilityStateMachine.State.LOW || ts0 == FacilityStateMachine.State.ABNORMAL) {
                if (tt.abnormalSince == null) {
                    tt.abnormalSince = Math.max(tt.sm.since(), tt.prodSince);
                }
                AlarmRules.EffectiveRule r = rules.facility(ABNORMAL, t.id());
                if (r != null && r.enabled() && ts - tt.abnormalSince >= r.integer("persistMinutes") * MINUTE
                        && !alarms.isOpen(ABNORMAL, subject)) {
                    Map<String, Object> ev = treatmentEvidence(t, tt, ts, tt.abnormalSince);
                    ev.put("message", vendorText(t, tt, ts, ts0 == FacilityStateMachine.State.LOW ? "低负荷/空转运行" : "运行功率低于正常值(降频/空转)",
                            tt.abnormalSince));
                    raise(ABNORMAL, subject, t, null, null, ts, ev);
                }
            } else {
                tt.abnormalSince = null;
                alarms.clearIfOpen(ABNORMAL, subject, ts, ok);
            }
            return;
        }
        // the treatment is STOPPED while production runs
        tt.abnormalSince = null;
        alarms.clearIfOpen(ABNORMAL, subject, ts, treatmentEvidence(t, tt, ts, null));
        if (!tt.started) {
            long d = ts - tt.prodSince;
            AlarmRules.EffectiveRule r = rules.facility(NOT_STARTED, t.id());
            AlarmRules.EffectiveRule o = rules.facility(ORDER, t.id());
            int notStartedTol = tolerance(r, "startLagMinutes", startTolerance);
            int startTol = tolerance(o, "startLagMinutes", startTolerance);
            if (r != null && r.enabled() && d >= Math.max(r.integer("persistMinutes"), notStartedTol) * MINUTE) {
                boolean level1 = d >= r.integer("level1AfterMinutes") * MINUTE;
                AlarmLevel want = level1 ? AlarmLevel.LEVEL_1 : null;
                AlarmLevel now = alarms.level(NOT_STARTED, subject);
                if (now == null || (level1 && now != AlarmLevel.LEVEL_1)) {
                    Map<String, Object> ev = treatmentEvidence(t, tt, ts, tt.prodSince);
                    ev.put("startToleranceMinutes", notStartedTol);
                    ev.put("message", vendorText(t, tt, ts, "未开启", tt.prodSince));
                    raise(NOT_STARTED, subject, t, null, want, ts, ev);
                }
            }
            if (o != null && o.enabled() && d > startTol * MINUTE && !alarms.isOpen(ORDER, subject)) {
                Map<String, Object> ev = treatmentEvidence(t, tt, ts, tt.prodSince);
                ev.put("variant", "LATE_START");
                ev.put("startToleranceMinutes", startTol);
                ev.put("message", "[" + t.name() + "]在关联生产设施开启(" + iso(tt.prodSince) + ")后超过" + startTol
                        + "分钟仍未开启（后启，启停顺序异常）");
                raise(ORDER, subject, t, null, null, ts, ev);
            }
        } else {
            if (tt.offSince == null) {
                tt.offSince = Math.max(tt.sm.since(), tt.prodSince);
            }
            // within the stop tolerance the treatment may be stopping ahead of production (先停, allowed): wait it out
            AlarmRules.EffectiveRule r = rules.facility(STOPPED, t.id());
            int stopTol = tolerance(r, "stopLeadMinutes", stopTolerance);
            if (r != null && r.enabled() && ts - tt.offSince >= Math.max(r.integer("persistMinutes"), stopTol) * MINUTE
                    && !alarms.isOpen(STOPPED, subject)) {
                Map<String, Object> ev = treatmentEvidence(t, tt, ts, tt.offSince);
                ev.put("stopToleranceMinutes", stopTol);
                ev.put("message", vendorText(t, tt, ts, "运行中停运", tt.offSince));
                raise(STOPPED, subject, t, null, null, ts, ev);
            }
        }
    }

    /**
     * A tolerance of the association: the model's own rule parameter when an operator set it explicitly, else the
     * registered one (facility_association; the largest of the running productions').
     */
    private static int tolerance(AlarmRules.EffectiveRule r, String name, int association) {
        if (r == null || "DEFAULT".equals(r.sources().get(name))) {
            return association;
        }
        return r.integer(name);
    }

    /** 停产 / 限产 orders (domain notes §1.4–1.5). */
    private void evaluateOrders(RegistrySnapshot.Enterprise e, long ts) {
        EnterpriseTrack et = enterprises.computeIfAbsent(e.id(), k -> new EnterpriseTrack());
        List<ProductionOrders.ProductionOrder> orders = rules.ordersAt(e.id(), ts);
        String subject = "enterprise:" + e.id();
        ProductionOrders.ProductionOrder stop = null;
        ProductionOrders.ProductionOrder limit = null;
        for (ProductionOrders.ProductionOrder o : orders) {
            if (o.kind() == ProductionOrders.Kind.STOP && stop == null) {
                stop = o;
            } else if (o.kind() == ProductionOrders.Kind.LIMIT && (limit == null || o.limitPercent() > limit.limitPercent())) {
                limit = o;
            }
        }
        // 停产期间生产
        AlarmRules.EffectiveRule sr = rules.enterprise(DURING_STOP, e.id());
        if (stop != null && sr != null && sr.enabled()
                && ts >= stop.validFrom().toEpochMilli() + sr.integer("runDownMinutes") * MINUTE) {
            List<Map<String, Object>> runningNow = new ArrayList<>();
            for (Long fid : orderFacilities(e, stop)) {
                FacilityTrack ft = facilities.get(fid);
                if (ft != null && (ft.sm.state() == FacilityStateMachine.State.RUNNING || ft.sm.state() == FacilityStateMachine.State.ABNORMAL)) {
                    runningNow.add(facilityEvidence(snapshot.facilities().get(fid), ft));
                }
            }
            // the total meter less the treatment: treatment may run during a stop (domain notes §1.5), and the
            // baseline is production power
            Double total = totalKw(e);
            if (total != null) {
                total = Math.max(0, total - treatmentKw(e));
            }
            // the total meter tells only of a whole-enterprise stop: under a stop of some lines the others run lawfully
            boolean overBaseline = stop.facilityIds().isEmpty() && stop.baselineKw() != null && total != null
                    && total > sr.number("baselineShareMax") * stop.baselineKw();
            if (!runningNow.isEmpty() || overBaseline) {
                if (et.stopSince == null) {
                    et.stopSince = ts;
                }
                if (ts - et.stopSince >= sr.integer("persistMinutes") * MINUTE && !alarms.isOpen(DURING_STOP, subject)) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("orderId", stop.id());
                    ev.put("orderFrom", iso(stop.validFrom().toEpochMilli()));
                    ev.put("orderTo", iso(stop.validTo().toEpochMilli()));
                    ev.put("runningFacilities", runningNow);
                    ev.put("totalKw", total == null ? null : round(total));
                    ev.put("baselineKw", stop.baselineKw());
                    ev.put("baselineMethod", stop.baselineMethod());
                    ev.put("baselineDays", stop.baselineDays());
                    ev.put("baselineShareMax", sr.number("baselineShareMax"));
                    ev.put("firstAbnormalAt", iso(et.stopSince));
                    ev.put("message", "[" + e.name() + "]停产令期间(" + iso(stop.validFrom().toEpochMilli()) + "起)仍有"
                            + runningNow.size() + "台生产设施运行" + (overBaseline ? "，总用电" + round(total) + "kW超过基线的"
                            + Math.round(sr.number("baselineShareMax") * 100) + "%" : "") + "，首次异常时间：" + iso(et.stopSince));
                    alarms.raise(DURING_STOP, subject, e.id(), null, null, null, null, ts, ev);
                }
            } else {
                et.stopSince = null;
                alarms.clearIfOpen(DURING_STOP, subject, ts, Map.of("message", "生产设施已停止", "dataTime", iso(ts)));
            }
        } else if (stop == null) {
            et.stopSince = null;
            alarms.clearIfOpen(DURING_STOP, subject, ts, Map.of("message", "停产令已结束", "dataTime", iso(ts)));
        }
        // 限产不达标: rolling mean production power over earlyWarningHours against baseline × (1 − required)
        AlarmRules.EffectiveRule lr = rules.enterprise(LIMIT, e.id());
        if (limit == null || limit.baselineKw() == null || lr == null || !lr.enabled()) {
            et.limitWindow.clear();
            et.limitOrderId = -1;
            if (limit == null) {
                alarms.clearIfOpen(LIMIT, subject, ts, Map.of("message", "限产令已结束", "dataTime", iso(ts)));
            }
            return;
        }
        if (et.limitOrderId != limit.id()) {
            et.limitOrderId = limit.id();
            et.limitWindow.clear();
            et.limitFrom = ts;
        }
        double kw = 0;
        for (Long fid : orderFacilities(e, limit)) {
            FacilityTrack ft = facilities.get(fid);
            if (ft != null && ft.value != null && ft.sm.state() != FacilityStateMachine.State.FAULT) {
                kw += ft.value;
            }
        }
        et.limitWindow.addLast(new double[]{ts, kw});
        long window = lr.integer("earlyWarningHours") * 3_600_000L;
        while (!et.limitWindow.isEmpty() && et.limitWindow.peekFirst()[0] <= ts - window) {
            et.limitWindow.removeFirst();
        }
        if (ts - et.limitFrom + intervalGuess(et) < window) {
            return; // not a full window yet
        }
        double mean = et.limitWindow.stream().mapToDouble(x -> x[1]).average().orElse(0);
        double reduction = 100 * (1 - mean / limit.baselineKw());
        double required = limit.limitPercent();
        double tol = lr.number("tolerancePoints");
        if (reduction < required - tol) {
            AlarmLevel level = reduction < required - lr.number("level2BelowPoints") ? AlarmLevel.LEVEL_2 : AlarmLevel.LEVEL_3;
            AlarmLevel now = alarms.level(LIMIT, subject);
            if (now == null || level.moreSevereThan(now)) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("orderId", limit.id());
                ev.put("limitPercent", required);
                ev.put("baselineKw", limit.baselineKw());
                ev.put("baselineMethod", limit.baselineMethod());
                ev.put("baselineDays", limit.baselineDays());
                ev.put("allowedKw", round(limit.baselineKw() * (1 - required / 100)));
                ev.put("meanProductionKw", round(mean));
                ev.put("reductionPercent", round(reduction));
                ev.put("windowHours", lr.integer("earlyWarningHours"));
                ev.put("message", "[" + e.name() + "]限产令要求削减" + required + "%，近" + lr.integer("earlyWarningHours")
                        + "小时生产平均功率" + round(mean) + "kW，仅削减" + round(reduction) + "%（基线" + limit.baselineKw() + "kW）");
                alarms.raise(LIMIT, subject, e.id(), null, null, null, level, ts, ev);
            }
        } else if (reduction >= required) {
            // hysteresis: raised below (required − tolerance), cleared only at the full reduction, so a lunch break
            // inside the rolling window does not clear and re-raise the same violation
            alarms.clearIfOpen(LIMIT, subject, ts, Map.of("message", "限产达标", "reductionPercent", round(reduction), "dataTime", iso(ts)));
        }
    }

    private static long intervalGuess(EnterpriseTrack et) {
        if (et.limitWindow.size() < 2) {
            return 0;
        }
        double[] last = et.limitWindow.peekLast();
        double[] first = et.limitWindow.peekFirst();
        return (long) ((last[0] - first[0]) / (et.limitWindow.size() - 1));
    }

    private List<Long> orderFacilities(RegistrySnapshot.Enterprise e, ProductionOrders.ProductionOrder o) {
        if (o.facilityIds() != null && !o.facilityIds().isEmpty()) {
            return o.facilityIds();
        }
        List<Long> out = new ArrayList<>();
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null && f.production()) {
                out.add(fid);
            }
        }
        return out;
    }

    /** Σ current kW of the enterprise's treatment facilities (0 when none reports power). */
    private double treatmentKw(RegistrySnapshot.Enterprise e) {
        double kw = 0;
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            FacilityTrack ft = facilities.get(fid);
            if (f != null && f.treatment() && ft != null && ft.value != null && !"I".equals(f.thresholdQuantity())) {
                kw += ft.value;
            }
        }
        return kw;
    }

    private Double totalKw(RegistrySnapshot.Enterprise e) {
        Double total = null;
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            FacilityTrack ft = facilities.get(fid);
            if (f != null && "TOTAL".equals(f.kind()) && ft != null && ft.value != null && !"I".equals(f.thresholdQuantity())) {
                total = total == null ? ft.value : total + ft.value;
            }
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------ timers

    /** The offline timers ({@link SilenceModels}) on the data clock, and on the wall clock {@code nowMillis} when &gt; 0. */
    public synchronized void checkTimers(long nowMillis) {
        silence.check(snapshot, points, dataClock.now(), nowMillis,
                (facilityId, at) -> facilities.computeIfAbsent(facilityId, k -> new FacilityTrack()).sm.offline(at));
    }

    // ------------------------------------------------------------------------------------------ history models

    /** One round of the history models at a time (the test's call and the engine's own). */
    private final Object historyRound = new Object();
    /** The engine's history rounds run here, off the journal thread; created on the first request. */
    private java.util.concurrent.ExecutorService historyExecutor;
    private final java.util.concurrent.atomic.AtomicBoolean historyRequested = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Asks for a round of the history models on the engine's history thread and returns at once: requests while one
     * is waiting are one round (coalesced). The journal thread must not wait for the database reads of 5,000
     * enterprises (issue 15: tens of seconds at every hour boundary, no frame processed meanwhile).
     */
    private synchronized void requestHistory() {
        if (historyExecutor == null) {
            historyExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name() + "-history");
                t.setDaemon(true);
                return t;
            });
        }
        if (historyRequested.compareAndSet(false, true)) {
            historyExecutor.execute(() -> {
                historyRequested.set(false);
                try {
                    checkHistory();
                } catch (RuntimeException e) {
                    log.warn("history models: {}", e.toString());
                }
            });
        }
    }

    /**
     * The models over history ({@link HistoryModels}) for every enterprise, each up to its latest sample's data time
     * (at most the data clock's future tolerance after that sample's point was last received). Runs on the engine's
     * history thread after a batch that moved the data clock by a minute and with the wall-clock timers once caught
     * up; callable directly (tests), then it returns when the round is done. Holds the engine's lock only to take the
     * data times (in memory) and to apply the verdicts, one enterprise at a time — never while reading the database.
     */
    public void checkHistory() {
        synchronized (historyRound) {
            RegistrySnapshot snap;
            Map<Long, Long> dataNow = new HashMap<>();
            synchronized (this) {
                long t0 = System.nanoTime();
                snap = snapshot;
                for (RegistrySnapshot.Enterprise e : snap.enterprises().values()) {
                    long now = 0;
                    for (Long fid : e.facilityIds()) {
                        RegistrySnapshot.Facility f = snap.facilities().get(fid);
                        if (f == null) {
                            continue;
                        }
                        for (Long pid : f.pointIds()) {
                            PointTrack p = points.get(pid);
                            if (p != null && p.lastTs > 0) {
                                // a logger whose clock runs ahead must not make the real buckets up to its DataTime be skipped
                                now = Math.max(now, dataClock.bound(p.lastTs, p.receivedAt));
                            }
                        }
                    }
                    if (now > 0) {
                        dataNow.put(e.id(), now);
                    }
                }
                historySnapshotMicros = (System.nanoTime() - t0) / 1000;
            }
            history.evaluate(snap, dataNow, this);
        }
    }

    /** How long the last round's data times took under the engine's lock (µs). */
    private volatile long historySnapshotMicros;

    /** The lock times of the last round, µs: taking the data times; the longest application of one enterprise. */
    String historyPhases() {
        return history.lastRoundPhases();
    }

    long[] historyLockMicros() {
        return new long[]{historySnapshotMicros, history.lastRoundMaxLockMicros()};
    }

    /** Statements the history models have read (package-private for the test that counts them per round). */
    long historyStatements() {
        return history.statements();
    }

    // ------------------------------------------------------------------------------------------ restart

    /**
     * Rebuilds the state after a start: the open alarms from the alarm table, then the models run over the last
     * {@code rebuildWindow} of point_sample (raises and clears carry data times, so what was already recorded is
     * not recorded again). Journal records older than what this saw are then ignored per point.
     */
    public synchronized void rebuild() {
        alarms.load(jdbc, TYPES);
        RegistrySnapshot snap = registry.snapshot();
        useRegistry(snap);
        silence.resume(points);
        List<CanonicalSample> rows = new ArrayList<>();
        jdbc.query("""
                select point_id, ts, p, q, pf, ia, ib, ic, ua, ub, uc, e, extra::text, invalid, received_at
                from point_sample where ts >= ? order by ts""", rs -> {
            Double[] cols = new Double[CanonicalSample.COLUMNS.size()];
            for (int i = 0; i < cols.length; i++) {
                double v = rs.getDouble(3 + i);
                cols[i] = rs.wasNull() ? null : v;
            }
            Map<String, Object> extra = null;
            String x = rs.getString(13);
            if (x != null) {
                try {
                    extra = JSON.readValue(x, new TypeReference<Map<String, Object>>() { });
                } catch (java.io.IOException ignored) {
                    // not ours to fix
                }
            }
            rows.add(CanonicalSample.stored(rs.getLong(1), rs.getTimestamp(2).getTime(), cols, extra, rs.getBoolean(14),
                    rs.getTimestamp(15).getTime()));
        }, Timestamp.from(Instant.now().minus(props.rebuildWindow())));
        apply(rows, snap);
        log.info("alarm engine rebuilt from {} samples, {} open alarms", rows.size(), alarms.size());
    }

    // ------------------------------------------------------------------------------------------ recorder

    /** Raises an alarm of a facility, or of one of its meters when {@code p} is given. */
    private void raise(String type, String subject, RegistrySnapshot.Facility f, PointTrack p, AlarmLevel level, long at,
                       Map<String, Object> evidence) {
        alarms.raise(type, subject, f, p == null ? null : p.def, level, at, evidence);
    }

    // ------------------------------------------------------------------------------------------ evidence

    private Map<String, Object> facilityEvidence(RegistrySnapshot.Facility f, FacilityTrack ft) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("facilityId", f.id());
        ev.put("facility", f.name());
        ev.put("quantity", f.thresholdQuantity());
        ev.put("value", ft.value == null ? null : round(ft.value));
        ev.put("state", ft.sm.state().name());
        ev.put("since", iso(ft.sm.since()));
        FacilityStateMachine.Thresholds th = thresholds(f);
        if (th != null) {
            ev.put("stopBelow", th.stopBelow());
            ev.put("runAbove", th.runAbove());
            if (th.abnormalBelow() != null) {
                ev.put("abnormalBelow", th.abnormalBelow());
            }
        }
        return ev;
    }

    private Map<String, Object> treatmentEvidence(RegistrySnapshot.Facility t, FacilityTrack tt, long ts, Long firstAbnormal) {
        Map<String, Object> ev = facilityEvidence(t, tt);
        ev.put("dataTime", iso(ts));
        if (firstAbnormal != null) {
            ev.put("firstAbnormalAt", iso(firstAbnormal));
        }
        ev.put("productionSince", tt.prodOn ? iso(tt.prodSince) : null);
        List<Map<String, Object>> prods = new ArrayList<>();
        for (Long pid : t.productionIds()) {
            RegistrySnapshot.Facility p = snapshot.facilities().get(pid);
            FacilityTrack pt = facilities.get(pid);
            if (p != null && pt != null) {
                prods.add(facilityEvidence(p, pt));
            }
        }
        ev.put("production", prods);
        return ev;
    }

    /** The vendors' alarm text: production value and threshold, the treatment's value and threshold, first time. */
    private String vendorText(RegistrySnapshot.Facility t, FacilityTrack tt, long ts, String what, long first) {
        StringBuilder b = new StringBuilder();
        for (Long pid : t.productionIds()) {
            RegistrySnapshot.Facility p = snapshot.facilities().get(pid);
            FacilityTrack pt = facilities.get(pid);
            if (p == null || pt == null || !pt.sm.state().on()) {
                continue;
            }
            FacilityStateMachine.Thresholds th = thresholds(p);
            b.append('[').append(p.name()).append("]实时").append("I".equals(p.thresholdQuantity()) ? "电流为" : "功率为")
                    .append(pt.value == null ? "-" : round(pt.value)).append(unit(p)).append("，启停阈值为")
                    .append(th == null ? "-" : th.runAbove()).append(unit(p)).append("，属于正常生产状态，");
            break;
        }
        FacilityStateMachine.Thresholds th = thresholds(t);
        b.append("关联的治污设施[").append(t.name()).append("]实时").append("I".equals(t.thresholdQuantity()) ? "电流为" : "功率为")
                .append(tt.value == null ? "-" : round(tt.value)).append(unit(t)).append("，启停阈值为")
                .append(th == null ? "-" : th.runAbove()).append(unit(t));
        if (th != null && th.abnormalBelow() != null) {
            b.append("，异常阈值为").append(th.abnormalBelow()).append(unit(t));
        }
        b.append("，治污设施").append(what).append("，首次异常时间：").append(iso(first));
        return b.toString();
    }

    private static String unit(RegistrySnapshot.Facility f) {
        return "I".equals(f.thresholdQuantity()) ? "A" : "kW";
    }

    static Double num(Map<String, Object> values, String q) {
        return values.get(q) instanceof Number n ? n.doubleValue() : null;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String iso(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).atZone(QnGenerator.CHINA).toOffsetDateTime().toString();
    }
}
