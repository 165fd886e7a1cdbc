package com.powerwatch.platform.dashboard;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.QnGenerator;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enterprises of the map and the overview in each state, written in SQL as an officer's registry would hold them, with
 * real-time data sent as HJ 212 frames through the platform's gateway (the browser tests use the same fixtures).
 */
public final class DashboardFixtures {

    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final JdbcTemplate jdbc;
    private final int gatewayPort;

    public DashboardFixtures(JdbcTemplate jdbc, int gatewayPort) {
        this.jdbc = jdbc;
        this.gatewayPort = gatewayPort;
    }

    /** An enterprise at a place, industry 2641 (涂料制造); returns its id. */
    public long enterprise(String name, String district, double lng, double lat) {
        return jdbc.queryForObject("""
                insert into enterprise (name, district_code, industry_code, longitude, latitude, address)
                values (?, ?, '2641', ?, ?, '测试地址') returning id""", Long.class, name, district, lng, lat);
    }

    /** A facility of {@code kind} with one elec-a meter behind a new data logger; returns {facility id, MN channel}. */
    public Meter meter(long enterprise, String kind) {
        int n = SERIAL.incrementAndGet();
        String mn = String.format("DASH%020d", System.nanoTime() % 1_000_000_000_000L * 100 + n % 100);
        long facility = jdbc.queryForObject("""
                insert into facility (enterprise_id, name, kind, stop_below, run_above) values (?, ?, ?, 5, 10) returning id""",
                Long.class, enterprise, kind + n, kind);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterprise);
        String channel = String.format("%06d", 100000 + n % 900000);
        jdbc.update("insert into monitoring_point (facility_id, name, mn, channel, profile) values (?, ?, ?, ?, 'elec-a')",
                facility, "电表" + n, mn, channel);
        return new Meter(facility, mn, channel);
    }

    public record Meter(long facility, String mn, String channel) {
    }

    public void associate(Meter production, Meter treatment) {
        jdbc.update("insert into facility_association (production_facility_id, treatment_facility_id) values (?, ?)",
                production.facility(), treatment.facility());
    }

    /** An open (active, unconfirmed) alarm of {@code type} on the enterprise. */
    public long alarm(long enterprise, String type, String level) {
        return jdbc.queryForObject("""
                insert into alarm (type, subject_key, enterprise_id, level, initial_level, started_at, last_seen_at)
                values (?, ?, ?, ?, ?, now() - interval '5 minutes', now()) returning id""", Long.class, type,
                "enterprise:" + enterprise + ":" + SERIAL.incrementAndGet(), enterprise, level, level);
    }

    /** A STOP order in force for the whole enterprise. */
    public void stopOrder(long enterprise) {
        jdbc.update("""
                insert into production_order (enterprise_id, kind, valid_from, valid_to, source, reason)
                values (?, 'STOP', now() - interval '1 hour', now() + interval '1 day', 'EMERGENCY', '测试停产令')""", enterprise);
    }

    /** One real-time upload of the meter drawing {@code kw} (220 V, consistent currents), now. */
    public void send(Meter m, double kw) throws IOException {
        String amps = String.valueOf(Math.round(kw * 1000 / (3 * 220 * 0.9) * 10) / 10.0);
        Cp.Builder cp = Cp.builder().value(m.channel(), "Pt", String.valueOf(kw)).value(m.channel(), "Flag", "N");
        for (String phase : new String[]{"a", "b", "c"}) {
            cp.value(m.channel(), "U" + phase, "220.0").value(m.channel(), "I" + phase, amps);
        }
        LocalDateTime now = LocalDateTime.now(QnGenerator.CHINA).truncatedTo(ChronoUnit.SECONDS);
        Packet p = Packet.of(String.format("%017d", System.nanoTime() % 100_000_000_000_000_00L), "32", "2011", "123456",
                m.mn(), 4, null, null, cp.dataTime(now).build());
        try (Socket socket = new Socket("127.0.0.1", gatewayPort)) {
            OutputStream out = socket.getOutputStream();
            out.write(FrameEncoder.encode(p));
            out.flush();
        }
    }
}
