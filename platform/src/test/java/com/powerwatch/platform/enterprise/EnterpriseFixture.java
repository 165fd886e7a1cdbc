package com.powerwatch.platform.enterprise;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.telemetry.RealtimeState;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One enterprise as the 一企一档 tests need it, written with SQL and fed through the real gateway: in 雁塔区, a total
 * meter, production A (line 一号线) and B (line 二号线), treatment T1 (serves A) and T2 (serves A and B), five points on
 * one data logger and a second logger without points. History: samples every 6 hours from the previous year's last
 * 18:00 to yesterday 18:00 (total 100 kW, A 60 kW, T1 20 kW, registers integrating the power), aggregated by the
 * platform's own telemetry_refresh. Then real-time frames at minute −2 and −1 of now: total 100 kW, A 60 kW (running),
 * B 0.5 kW (stopped), T1 20 kW (running), T2 0.2 kW (stopped while A runs: the enterprise is ABNORMAL) — with
 * registers that add {@link #TOTAL_TODAY}, {@link #PROD_TODAY}, {@link #TREAT_TODAY} kWh today.
 */
public final class EnterpriseFixture implements Closeable {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    public static final double TOTAL_KW = 100;
    public static final double PROD_KW = 60;
    public static final double TREAT_KW = 20;
    public static final double TOTAL_TODAY = 7;
    public static final double PROD_TODAY = 4;
    public static final double TREAT_TODAY = 1.5;

    public final long enterprise;
    public final String name;
    public final long total;
    public final long prodA;
    public final long prodB;
    public final long treat1;
    public final long treat2;
    public final long pointTotal;
    public final String mn;
    public final String quietMn;
    public final LocalDate today;

    private final JdbcTemplate jdbc;
    private final TcpGateway gateway;
    private Socket socket;

    /** How the test waits (PlatformIntegrationTest::await). */
    public interface Await {
        void until(String what, BooleanSupplier condition);
    }

    /** Builds the fixture in the application {@code app} (its database, gateway, registry snapshot and real-time state). */
    public EnterpriseFixture(ApplicationContext app, Await await) throws IOException {
        this.jdbc = app.getBean(JdbcTemplate.class);
        this.gateway = app.getBean(TcpGateway.class);
        TelemetryRegistry registry = app.getBean(TelemetryRegistry.class);
        RealtimeState realtime = app.getBean(RealtimeState.class);
        name = "一企一档测试企业-" + UUID.randomUUID().toString().substring(0, 6);
        enterprise = jdbc.queryForObject("""
                insert into enterprise (name, address, longitude, latitude, district_code, industry_code, permit_class,
                                        emergency_grade, contacts)
                values (?, '雁塔区科技路1号', 108.9, 34.2, '610113', '2641', 'KEY', 'B',
                        '[{"name":"王工","role":"环保专员","phone":"13800000000"}]'::jsonb) returning id""", Long.class, name);
        long line1 = jdbc.queryForObject("insert into production_line (enterprise_id, name) values (?, '一号线') returning id", Long.class, enterprise);
        long line2 = jdbc.queryForObject("insert into production_line (enterprise_id, name) values (?, '二号线') returning id", Long.class, enterprise);
        total = facility("总电表", "TOTAL", null, 5.0, 10.0, null);
        prodA = facility("喷涂线A", "PRODUCTION", line1, 5.0, 10.0, null);
        prodB = facility("烘干线B", "PRODUCTION", line2, 5.0, 10.0, null);
        treat1 = facility("RTO焚烧炉", "TREATMENT", null, 1.0, 2.0, 10.0);
        treat2 = facility("活性炭吸附", "TREATMENT", null, 1.0, 2.0, null);
        jdbc.update("insert into facility_association (production_facility_id, treatment_facility_id) values (?, ?), (?, ?), (?, ?)",
                prodA, treat1, prodA, treat2, prodB, treat2);
        mn = "PROFILE" + System.nanoTime() % 100_000_000;
        quietMn = mn + "Q";
        jdbc.update("insert into data_logger (mn, enterprise_id, vendor) values (?, ?, '测试厂商'), (?, ?, null)", mn, enterprise, quietMn, enterprise);
        pointTotal = point(total, "100000");
        long pointA = point(prodA, "100001");
        point(prodB, "100002");
        long pointT1 = point(treat1, "100003");
        point(treat2, "100004");

        LocalDateTime now = LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES);
        today = now.toLocalDate();
        LocalDateTime first = today.withDayOfYear(1).atStartOfDay().minusHours(6);
        LocalDateTime last = today.atStartOfDay().minusHours(6);
        double[] lastE = new double[3];
        int k = 0;
        for (long[] pk : new long[][]{{pointTotal, (long) TOTAL_KW}, {pointA, (long) PROD_KW}, {pointT1, (long) TREAT_KW}}) {
            List<Object[]> rows = new ArrayList<>();
            double e = 1000;
            for (LocalDateTime t = first; !t.isAfter(last); t = t.plusHours(6)) {
                rows.add(new Object[]{pk[0], Timestamp.from(t.atZone(CHINA).toInstant()), (double) pk[1], e});
                e += pk[1] * 6;
            }
            lastE[k++] = e - pk[1] * 6;
            jdbc.batchUpdate("insert into point_sample (point_id, ts, p, e, received_at) values (?, ?, ?, ?, now())", rows);
        }
        jdbc.queryForObject("select telemetry_refresh(array_agg(point_id), array_agg(ts)) from point_sample where point_id in (?, ?, ?)",
                Integer.class, pointTotal, pointA, pointT1);
        registry.refresh();

        for (int minute = 2; minute >= 1; minute--) {
            double share = minute == 2 ? 0.5 : 1.0;
            Cp.Builder cp = Cp.builder();
            meter(cp, "100000", TOTAL_KW, lastE[0] + TOTAL_TODAY * share);
            meter(cp, "100001", PROD_KW, lastE[1] + PROD_TODAY * share);
            meter(cp, "100002", 0.5, null);
            meter(cp, "100003", TREAT_KW, lastE[2] + TREAT_TODAY * share);
            meter(cp, "100004", 0.2, null);
            send(now.minusMinutes(minute), cp);
        }
        await.until("today's total energy aggregated", () -> {
            Double e = jdbc.query("select energy from point_agg where point_id = ? and grain = '1d' and bucket = ?",
                    rs -> rs.next() ? (Double) rs.getObject(1) : null, pointTotal, Timestamp.from(today.atStartOfDay(CHINA).toInstant()));
            return e != null && Math.abs(e - TOTAL_TODAY) < 1e-6;
        });
        await.until("live state of the treatment", () -> realtime.facility(treat1, false) != null
                && realtime.facility(treat1, false).get("state") == RealtimeState.Status.RUNNING);
        await.until("both frames in the raw trace", () -> jdbc.queryForObject("select count(*) from raw_frame where mn = ?", Long.class, mn) == 2);
    }

    private long facility(String name, String kind, Long line, Double stop, Double run, Double abnormal) {
        return jdbc.queryForObject("""
                insert into facility (enterprise_id, production_line_id, name, kind, stop_below, run_above, abnormal_below, rated_kw)
                values (?, ?, ?, ?, ?, ?, ?, 200) returning id""", Long.class, enterprise, line, name, kind, stop, run, abnormal);
    }

    private long point(long facility, String channel) {
        return jdbc.queryForObject("""
                insert into monitoring_point (facility_id, name, mn, channel, profile) values (?, ?, ?, ?, 'elec-a') returning id""",
                Long.class, facility, "电表" + channel, mn, channel);
    }

    /** A family-A meter's real-time values: Pt, phase voltages, Flag and optionally the register. */
    public static Cp.Builder meter(Cp.Builder cp, String id, double kw, Double ept) {
        cp.value(id, "Pt", Double.toString(kw)).value(id, "Ua", "220").value(id, "Ub", "220").value(id, "Uc", "220")
                .value(id, "Flag", "N");
        if (ept != null) {
            cp.value(id, "Ept", Double.toString(ept));
        }
        return cp;
    }

    /** Sends one real-time upload of the fixture's logger (over one connection: frames are journaled in order). */
    public synchronized void send(LocalDateTime dataTime, Cp.Builder cp) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket("127.0.0.1", gateway.port());
        }
        String qn = String.format("%017d", System.nanoTime() % 100_000_000_000_000_00L);
        OutputStream out = socket.getOutputStream();
        out.write(FrameEncoder.encode(Packet.of(qn, "32", "2011", "123456", mn, 4, null, null, cp.dataTime(dataTime).build())));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
