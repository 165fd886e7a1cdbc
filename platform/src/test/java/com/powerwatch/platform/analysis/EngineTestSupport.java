package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.telemetry.CanonicalSample;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;


/**
 * Fixtures for the engine tests: registry rows in SQL, frames through the real gateway (the engine reads them from
 * the journal) or samples handed to {@link AlarmEngine#apply} directly when the receive time must be controlled.
 */
abstract class EngineTestSupport extends PlatformIntegrationTest {

    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    static final long M = 60_000L;
    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static Socket socket;

    @Autowired
    TcpGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TelemetryRegistry registry;
    @Autowired
    AlarmEngine engine;
    @Autowired
    Journal journal;
    @Autowired
    AlarmRules alarmRules;
    @Autowired
    ProductionOrders productionOrders;
    @Autowired
    AlarmRecorder recorder;

    /** Data times of a test start six hours ago, on a whole minute. */
    final LocalDateTime base = LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES).minusHours(6);

    @BeforeEach
    void regions() {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values ('610000', '陕西省', 1, null),
                  ('610100', '西安市', 2, '610000'), ('610113', '雁塔区', 3, '610100') on conflict do nothing""");
        jdbc.update("insert into industry (code, name, level, parent_code) values ('C', '制造业', 1, null), "
                + "('33', '金属制品业', 2, 'C') on conflict do nothing");
    }

    @AfterAll
    static void closeSocket() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** What a test does with an engine of its own; the engine is closed and its consumer removed afterwards. */
    interface WithEngine {
        void run(AlarmEngine engine) throws Exception;
    }

    /**
     * A second engine beside the application's, under its own consumer name (its own journal offset, its own data
     * clock), not started: the test hands it samples or starts it. Wall-clock timers every day (i.e. not during a test).
     */
    void withFreshEngine(String name, Duration rebuildWindow, WithEngine body) throws Exception {
        AnalysisProperties props = new AnalysisProperties(true, name, 500, Duration.ofSeconds(1), Duration.ofDays(1),
                rebuildWindow, Duration.ofMinutes(1), Duration.ofMinutes(2));
        AlarmEngine fresh = new AlarmEngine(name, journal.reader(name), jdbc, registry,
                new EngineRules(alarmRules, productionOrders, props.rulesCacheTtl()), recorder, props);
        try {
            body.run(fresh);
        } finally {
            fresh.close();
            journal.removeConsumer(name);
        }
    }

    static String uniqueMn() {
        return "ENGINE" + String.format("%08d", SERIAL.incrementAndGet());
    }

    long enterprise() {
        return jdbc.queryForObject("insert into enterprise (name, district_code, industry_code) values (?, '610113', '33') returning id",
                Long.class, "引擎测试企业" + SERIAL.incrementAndGet());
    }

    long facility(long enterprise, String kind, Double stop, Double run, Double abnormal, Double ratedKw) {
        return jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, stop_below, run_above, abnormal_below, rated_kw)
                values (?, ?, ?, ?, ?, ?, ?) returning id""", Long.class, enterprise, kind + SERIAL.incrementAndGet(), kind,
                stop, run, abnormal, ratedKw);
    }

    void logger(String mn, long enterprise) {
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?) on conflict do nothing", mn, enterprise);
    }

    long point(long facility, String mn, String channel) {
        return jdbc.queryForObject("""
                insert into monitoring_point (facility_id, name, mn, channel, profile, ct_ratio, pt_ratio)
                values (?, ?, ?, ?, 'elec-a', 1, 1) returning id""", Long.class, facility, "点位" + channel, mn, channel);
    }

    /** A data logger of its own enterprise with {@code n} meters (channels 100001…) on one production facility. */
    record Meters(String mn, long enterprise, long facility, List<Long> points) {
        String subject() {
            return "logger:" + mn;
        }
    }

    Meters meters(int n) {
        return meters(n, null);
    }

    /** As {@link #meters(int)}, the facility (thresholds 5 / 10 kW) with a rated power. */
    Meters meters(int n, Double ratedKw) {
        long e = enterprise();
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null, ratedKw);
        String mn = uniqueMn();
        logger(mn, e);
        List<Long> points = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            points.add(point(f, mn, String.valueOf(100000 + i)));
        }
        registry.refresh();
        return new Meters(mn, e, f, points);
    }

    void associate(long production, long treatment, int startLead, int stopLag) {
        jdbc.update("""
                insert into facility_association (production_facility_id, treatment_facility_id, start_lead_minutes, stop_lag_minutes)
                values (?, ?, ?, ?)""", production, treatment, startLead, stopLag);
    }

    /** Epoch milliseconds of a China local time. */
    static long at(LocalDateTime t) {
        return t.toInstant(CHINA).toEpochMilli();
    }

    /** 15-minute samples of [from, to) with power kw(t) and a register that integrates it; then telemetry_refresh. */
    void history(long pointId, LocalDate from, LocalDate to, Function<LocalDateTime, Double> kw) {
        history(pointId, from, to, kw, t -> 1.0, t -> 1.0);
    }

    /**
     * As {@link #history(long, LocalDate, LocalDate, Function)}, with what the meter reports bent: its register counts
     * {@code registerFactor} × the energy, it sends {@code powerFactor} × the power (a wrong multiplier, W for kW).
     */
    void history(long pointId, LocalDate from, LocalDate to, Function<LocalDateTime, Double> kw,
                 Function<LocalDateTime, Double> registerFactor, Function<LocalDateTime, Double> powerFactor) {
        List<Object[]> rows = new ArrayList<>();
        double e = 1000;
        for (LocalDateTime t = from.atStartOfDay(); t.isBefore(to.atStartOfDay()); t = t.plusMinutes(15)) {
            double p = kw.apply(t);
            e += p * 0.25 * registerFactor.apply(t);
            rows.add(new Object[]{pointId, new Timestamp(at(t)), p * powerFactor.apply(t), e});
        }
        jdbc.batchUpdate("insert into point_sample (point_id, ts, p, e, received_at) values (?, ?, ?, ?, now())", rows);
        jdbc.queryForObject("select telemetry_refresh(array_agg(point_id), array_agg(ts)) from point_sample where point_id = ?",
                Integer.class, pointId);
    }

    long ms(int minute) {
        return base.plusMinutes(minute).toInstant(CHINA).toEpochMilli();
    }

    /** A family-A meter's values: Pt, phase currents and voltages, Flag. */
    static Cp.Builder meter(Cp.Builder cp, String id, double kw, double volts) {
        return cp.value(id, "Pt", Double.toString(kw)).value(id, "Ia", "1.5").value(id, "Ib", "1.5").value(id, "Ic", "1.5")
                .value(id, "Ua", Double.toString(volts)).value(id, "Ub", Double.toString(volts))
                .value(id, "Uc", Double.toString(volts)).value(id, "Flag", "N");
    }

    /** Sends one upload over a shared connection (frames are journaled in send order). */
    synchronized void send(String mn, int minute, Cp.Builder cp) throws IOException {
        sendPart(mn, minute, cp, null, null);
    }

    /** Sends one sub-packet (PNUM/PNO) of a split upload, or a whole upload when {@code pnum} is null. */
    synchronized void sendPart(String mn, int minute, Cp.Builder cp, Integer pnum, Integer pno) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket("127.0.0.1", gateway.port());
        }
        String qn = String.format("%017d", System.nanoTime() % 100_000_000_000_000_00L);
        Packet p = Packet.of(qn, "32", "2011", "123456", mn, pnum == null ? 4 : 6, pnum, pno,
                cp.dataTime(base.plusMinutes(minute)).build());
        OutputStream out = socket.getOutputStream();
        out.write(FrameEncoder.encode(p));
        out.flush();
    }

    /** Waits until the engine took the sample of {@code minute} for a point. */
    void awaitEngine(long pointId, int minute) throws InterruptedException {
        long ts = ms(minute);
        await("engine at minute " + minute, () -> engine.pointDataTime(pointId) >= ts);
    }

    /** A sample as the telemetry would map it: P, voltages (all phases), optional energy and flag. */
    CanonicalSample sample(long pointId, int minute, Double kw, double volts, Double energy, boolean invalid, long receivedAt) {
        Double[] cols = new Double[CanonicalSample.COLUMNS.size()];
        cols[0] = kw;
        cols[6] = volts;
        cols[7] = volts;
        cols[8] = volts;
        cols[9] = energy;
        return CanonicalSample.stored(pointId, ms(minute), cols, Map.of(), invalid, receivedAt);
    }

    void apply(CanonicalSample... samples) {
        engine.apply(List.of(samples), registry.snapshot());
    }

    void apply(List<CanonicalSample> samples) {
        engine.apply(new ArrayList<>(samples), registry.snapshot());
    }

    List<Map<String, Object>> alarms(String type, String subject) {
        return jdbc.queryForList("""
                select id, status, level, started_at, last_seen_at, ended_at, repeats, first_evidence::text as first_evidence
                from alarm where type = ? and subject_key = ? order by id""", type, subject);
    }

    long alarmsOf(String subjectPrefix) {
        return jdbc.queryForObject("select count(*) from alarm where subject_key like ?", Long.class, subjectPrefix + "%");
    }

    static long millis(Object timestamp) {
        return ((java.sql.Timestamp) timestamp).getTime();
    }
}
