package com.powerwatch.platform.telemetry;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.auth.AuthTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import com.powerwatch.platform.PlatformIntegrationTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * The telemetry tests' shared Spring context (one boot for all three classes: same properties), with
 * registry fixtures written in SQL and frames sent through the real gateway. Offline limits are seconds
 * here so the OFFLINE state can be tested.
 */
abstract class TelemetryTestSupport extends PlatformIntegrationTest {

    private static final AtomicInteger SERIAL = new AtomicInteger();

    /** Offline limits in seconds so the OFFLINE state can be tested; this gives the telemetry tests their own context. */
    @DynamicPropertySource
    static void telemetryTimings(DynamicPropertyRegistry r) {
        r.add("powerwatch.telemetry.offline-minimum", () -> "2s");
        r.add("powerwatch.telemetry.offline-unknown", () -> "3s");
        r.add("powerwatch.telemetry.offline-check", () -> "300ms");
        r.add("powerwatch.telemetry.sse-flush", () -> "200ms");
        r.add("powerwatch.telemetry.registry-poll", () -> "1s");
    }

    @Autowired
    TcpGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    TelemetryRegistry registry;
    @Autowired
    RealtimeState realtime;
    @Autowired
    TelemetryConsumer consumer;

    TestRestTemplate http;
    private static Socket socket;

    @BeforeEach
    void signIn() {
        http = AuthTestSupport.as(rest, AuthTestSupport.adminToken(jdbc));
        jdbc.update("""
                insert into region (code, name, level, parent_code) values ('610000', '陕西省', 1, null),
                  ('610100', '西安市', 2, '610000'), ('610112', '未央区', 3, '610100'), ('610113', '雁塔区', 3, '610100'),
                  ('620000', '甘肃省', 1, null), ('620100', '兰州市', 2, '620000'), ('620102', '城关区', 3, '620100')
                on conflict do nothing""");
        jdbc.update("""
                insert into industry (code, name, level, parent_code) values ('C', '制造业', 1, null),
                  ('26', '化学原料和化学制品制造业', 2, 'C'), ('33', '金属制品业', 2, 'C'), ('39', '电子设备制造业', 2, 'C')
                on conflict do nothing""");
    }

    @AfterAll
    static void closeSocket() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    static String uniqueMn(String prefix) {
        return prefix + String.format("%06d", SERIAL.incrementAndGet());
    }

    long enterprise(String district, String industry) {
        return jdbc.queryForObject("insert into enterprise (name, district_code, industry_code) values (?, ?, ?) returning id",
                Long.class, "测试企业" + SERIAL.incrementAndGet(), district, industry);
    }

    long facility(long enterprise, String kind, Double stop, Double run, Double abnormal) {
        return jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, stop_below, run_above, abnormal_below)
                values (?, ?, ?, ?, ?, ?) returning id""", Long.class, enterprise, kind + SERIAL.incrementAndGet(),
                kind, stop, run, abnormal);
    }

    void logger(String mn, long enterprise) {
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?) on conflict do nothing", mn, enterprise);
    }

    long point(long facility, String mn, String channel, String profile, double ct, double pt) {
        return jdbc.queryForObject("""
                insert into monitoring_point (facility_id, name, mn, channel, profile, ct_ratio, pt_ratio)
                values (?, ?, ?, ?, ?, ?, ?) returning id""", Long.class, facility, "点位" + channel, mn, channel,
                profile, ct, pt);
    }

    void associate(long production, long treatment) {
        jdbc.update("insert into facility_association (production_facility_id, treatment_facility_id) values (?, ?)",
                production, treatment);
    }

    /** A family-A real-time value set for one meter: Pt, Ept, phase voltages and currents, Flag. */
    static Cp.Builder meterA(Cp.Builder cp, String id, double pt, Double ept, double u, String flag) {
        cp.value(id, "Pt", Double.toString(pt)).value(id, "Ia", "1.5").value(id, "Ib", "1.5").value(id, "Ic", "1.5")
                .value(id, "Ua", Double.toString(u)).value(id, "Ub", Double.toString(u)).value(id, "Uc", Double.toString(u))
                .value(id, "Flag", flag);
        if (ept != null) {
            cp.value(id, "Ept", Double.toString(ept));
        }
        return cp;
    }

    /** Sends one upload (no ack requested) over a shared connection: frames are journaled in send order. */
    synchronized void send(String mn, String cn, LocalDateTime dataTime, Cp.Builder cp) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket("127.0.0.1", gateway.port());
        }
        String qn = String.format("%017d", System.nanoTime() % 100_000_000_000_000_00L);
        Packet p = Packet.of(qn, "32", cn, "123456", mn, 4, null, null, cp.dataTime(dataTime).build());
        OutputStream out = socket.getOutputStream();
        out.write(FrameEncoder.encode(p));
        out.flush();
    }
}
