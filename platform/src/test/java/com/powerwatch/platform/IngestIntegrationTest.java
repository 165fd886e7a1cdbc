package com.powerwatch.platform;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.store.StoreWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames over real TCP into the real embedded PostgreSQL: stored once, acked only when asked, nothing dropped. */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability // export metrics as in production
class IngestIntegrationTest extends PlatformIntegrationTest {

    @Autowired
    TcpGateway gateway;
    @Autowired
    StoreWriter storeWriter;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.boot.test.web.client.TestRestTemplate http;

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        http = com.powerwatch.platform.auth.AuthTestSupport.as(http, com.powerwatch.platform.auth.AuthTestSupport.adminToken(jdbc));
    }

    private static final String TODAY = LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai")).withNano(0)
            .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")) + "00";

    private static Packet upload(String mn, String qn, int flag, Integer pnum, Integer pno, Cp cp) {
        return Packet.of(qn, "32", "2011", "123456", mn, flag, pnum, pno, cp);
    }

    private static Cp meter(String id, double ia, double pt) {
        return Cp.builder().dataTime(TODAY).value(id, "Ia", Double.toString(ia)).value(id, "Pt", Double.toString(pt))
                .value(id, "Flag", "N").build();
    }

    /** Reads whatever the server sends within the wait. */
    private static String read(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.toString(StandardCharsets.UTF_8).endsWith("\r\n")) {
                    s.setSoTimeout(200);
                }
            }
        } catch (SocketTimeoutException done) {
            // nothing more
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Stored values (fields) of one MN: the unit the store keeps exactly once. */
    private long readings(String mn) {
        return jdbc.queryForObject("select coalesce(sum((select count(*) from jsonb_object_keys(fields))), 0) from reading where mn = ?",
                Long.class, mn);
    }

    @Test
    void framesLandExactlyOnceAndAreAckedOnlyWhenAsked() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            Packet withAck = upload("ITMN0001", "20261123100000001", 5, null, null, meter("100000", 12.5, 7.25));
            byte[] frame = FrameEncoder.encode(withAck);
            s.getOutputStream().write(frame);
            String reply = read(s, Duration.ofSeconds(5));
            assertEquals("##0071QN=20261123100000001;ST=91;CN=9014;PW=123456;MN=ITMN0001;Flag=4;CP=&&&&", reply.substring(0, reply.length() - 6));

            // the device did not see the ack and re-sends twice: still stored once
            s.getOutputStream().write(frame);
            s.getOutputStream().write(frame);
            read(s, Duration.ofSeconds(2));

            Packet noAck = upload("ITMN0002", "20261123100000002", 4, null, null, meter("100001", 3.0, 1.5));
            s.getOutputStream().write(FrameEncoder.encode(noAck));
            assertEquals("", read(s, Duration.ofSeconds(1)), "Flag=4 asks for no ack");
        }
        await("readings stored", () -> readings("ITMN0001") == 3 && readings("ITMN0002") == 3);
        assertEquals("12.5", jdbc.queryForObject("select fields->>'Ia' from reading where mn='ITMN0001' and factor='100000'", String.class));
        assertEquals("N", jdbc.queryForObject("select fields->>'Flag' from reading where mn='ITMN0001'", String.class));
        assertEquals(1L, jdbc.queryForObject("select count(*) from reading where mn='ITMN0001'", Long.class), "one row for the factor");
        assertEquals(3L, jdbc.queryForObject("select count(*) from raw_frame where mn='ITMN0001'", Long.class), "every copy is traced");
    }

    @Test
    void splitPacketsBadFramesAndUnknownDevicesAreAllKept() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            Packet part1 = upload("ITSPLIT1", "20261123100000011", 7, 2, 1, meter("100000", 1, 2));
            Packet part2 = upload("ITSPLIT1", "20261123100000012", 7, 2, 2, meter("100001", 3, 4));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(FrameEncoder.encode(part1));
            out.writeBytes("junk from a port scanner".getBytes(StandardCharsets.US_ASCII));
            byte[] bad = FrameEncoder.encode(upload("ITBAD001", "20261123100000013", 5, null, null, meter("1", 1, 1)));
            bad[bad.length - 3] = (byte) (bad[bad.length - 3] == '0' ? '1' : '0'); // break the CRC
            out.writeBytes(bad);
            out.writeBytes(FrameEncoder.encode(part2));
            byte[] both = out.toByteArray();
            // sent in awkward pieces
            for (int i = 0; i < both.length; i += 37) {
                s.getOutputStream().write(both, i, Math.min(37, both.length - i));
                s.getOutputStream().flush();
            }
            String replies = read(s, Duration.ofSeconds(5));
            assertTrue(replies.contains("QN=20261123100000011;ST=91;CN=9014"), replies);
            assertTrue(replies.contains("QN=20261123100000012;ST=91;CN=9014"), replies);
            assertTrue(!replies.contains("20261123100000013"), "a frame with a bad CRC is not acked");
        }
        await("split packet stored", () -> readings("ITSPLIT1") == 6);
        await("rejections traced", () -> jdbc.queryForObject(
                "select count(*) from raw_frame where verdict in ('BAD_CRC','GARBAGE_SKIPPED') and (mn = 'ITBAD001' or mn is null)", Long.class) == 2);
        assertEquals(0L, readings("ITBAD001"));
        List<String> verdicts = jdbc.queryForList("select verdict from raw_frame where mn='ITBAD001'", String.class);
        assertEquals(List.of("BAD_CRC"), verdicts);
        assertEquals(StoreWriter.State.RUNNING, storeWriter.stats().state());
    }

    @Test
    void devicesListSaysWhetherTheMnIsRegistered() throws Exception {
        jdbc.update("insert into region (code, name, level) values ('619900', '测试区', 3) on conflict do nothing");
        Long enterprise = jdbc.queryForObject("insert into enterprise (name, district_code) values ('测试企业', '619900') returning id", Long.class);
        jdbc.update("insert into data_logger (mn, enterprise_id) values ('ITREG001', ?)", enterprise);
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(FrameEncoder.encode(upload("ITREG001", "20261123100000031", 5, null, null, meter("100000", 1, 1))));
            s.getOutputStream().write(FrameEncoder.encode(upload("ITUNREG1", "20261123100000032", 5, null, null, meter("100000", 1, 1))));
            read(s, Duration.ofSeconds(2));
            // while connected: an unregistered MN is listed only as long as its connection lasts
            await("both devices seen", () -> devices().containsKey("ITREG001") && devices().containsKey("ITUNREG1"));
            assertEquals(true, devices().get("ITREG001").get("registered"));
            assertEquals(false, devices().get("ITUNREG1").get("registered"));
        }
        await("the unregistered one is stored all the same", () -> readings("ITUNREG1") == 3);
    }

    private Map<String, Map<?, ?>> devices() {
        Map<String, Map<?, ?>> byMn = new java.util.HashMap<>();
        for (Object o : (List<?>) http.getForObject("/api/ingest/devices?q=IT&size=500", Map.class).get("items")) {
            Map<?, ?> d = (Map<?, ?>) o;
            byMn.put((String) d.get("mn"), d);
        }
        return byMn;
    }

    @Test
    void theDeviceListIsPagedWithACapAndItsErrorsAreInChinese() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write(FrameEncoder.encode(upload("ITPAGE0" + i, "2026112310000005" + i, 5, null, null, meter("100000", 1, 1))));
            }
            read(s, Duration.ofSeconds(2));
            Map<?, ?> first = http.getForObject("/api/ingest/devices?q=itpage&page=0&size=2", Map.class);
            assertEquals(3, first.get("total"), first.toString());
            assertEquals(List.of("ITPAGE00", "ITPAGE01"), ((List<?>) first.get("items")).stream().map(d -> ((Map<?, ?>) d).get("mn")).toList());
            Map<?, ?> second = http.getForObject("/api/ingest/devices?q=itpage&page=1&size=2", Map.class);
            assertEquals(List.of("ITPAGE02"), ((List<?>) second.get("items")).stream().map(d -> ((Map<?, ?>) d).get("mn")).toList());
            assertEquals("UNREGISTERED", ((Map<?, ?>) ((List<?>) second.get("items")).get(0)).get("admission"));
            assertEquals(0, ((List<?>) http.getForObject("/api/ingest/devices?q=itpage&state=offline", Map.class).get("items")).size());
        }
        var tooBig = http.getForEntity("/api/ingest/devices?size=501", Map.class);
        assertEquals(400, tooBig.getStatusCode().value());
        assertEquals("size", tooBig.getBody().get("field"));
        assertEquals("每页条数 size 须为 1–500", tooBig.getBody().get("message"));
        assertEquals("state", http.getForEntity("/api/ingest/devices?state=gone", Map.class).getBody().get("field"));
        var backwards = http.getForEntity("/api/ingest/raw-frames?from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", Map.class);
        assertEquals(400, backwards.getStatusCode().value());
        assertEquals(Map.of("error", "INVALID", "message", "开始时间 from 须早于结束时间 to", "field", "from"), backwards.getBody());
        assertEquals("size", http.getForEntity("/api/ingest/raw-frames?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&size=0",
                Map.class).getBody().get("field"));
    }

    @Test
    void aCorrectionReplacesTheValueAndKeepsTheOldOne() throws Exception {
        long merged = storeWriter.mergedBatches();
        long upserted = merged + storeWriter.replayedBatches();
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(FrameEncoder.encode(upload("ITCORR01", "20261123100000021", 4, null, null, meter("100000", 5, 5))));
            s.getOutputStream().flush();
            await("first value", () -> readings("ITCORR01") == 3);
            // a new key is copied straight in; the correction below meets the stored key and is merged
            assertEquals(merged, storeWriter.mergedBatches(), "a new reading needs no merge after a failed COPY");
            s.getOutputStream().write(FrameEncoder.encode(upload("ITCORR01", "20261123100000022", 4, null, null, meter("100000", 6, 5))));
            s.getOutputStream().flush();
        }
        await("corrected", () -> "6.0".equals(jdbc.queryForObject("select fields->>'Ia' from reading where mn='ITCORR01'", String.class)));
        assertEquals("5.0", jdbc.queryForObject("select old_fields->>'Ia' from reading_correction where mn='ITCORR01'", String.class));
        assertEquals("5.0", jdbc.queryForObject("select fields->>'Pt' from reading where mn='ITCORR01'", String.class), "other fields kept");
        assertEquals(1L, jdbc.queryForObject("select count(*) from reading_correction where mn='ITCORR01'", Long.class));
        // a batch the writer takes for a replay (raw_frame rows at or after its position, which other test contexts
        // sharing this database can leave) goes to the upsert too
        assertTrue(storeWriter.mergedBatches() + storeWriter.replayedBatches() > upserted,
                "the correction went through the merging upsert");
    }

    @Test
    void aHistoryRequestBackFillsAGapThroughTheDevice() throws Exception {
        LocalDateTime start = LocalDateTime.of(2026, 11, 22, 8, 0);
        try (com.powerwatch.simulator.Fleet fleet = com.powerwatch.simulator.Fleet.start(
                com.powerwatch.simulator.FleetConfig.builder("127.0.0.1", gateway.port())
                        .loggers(1).seed(5).mnPrefix("ITHIST").interval(Duration.ofSeconds(60)).speedup(120)
                        .simulatedStart(start).staggered(false).build())) {
            String mn = fleet.loggers().get(0).mn();
            await("the device has reported 20 minutes", () -> jdbc.queryForObject(
                    "select count(distinct data_time) from reading where mn = ? and cn = '2011'", Long.class, mn) >= 20);

            Map<?, ?> offline = http.postForObject("/api/ingest/devices/NOSUCHMN/commands",
                    Map.of("type", "history", "cn", "2051"), Map.class);
            assertEquals("DEVICE_OFFLINE", offline.get("error"), offline.toString());
            assertEquals("数采仪 NOSUCHMN 未连接，指令只能发给在线的数采仪", offline.get("message"));
            Map<?, ?> bad = http.postForObject("/api/ingest/devices/" + mn + "/commands", Map.of("type", "history"), Map.class);
            assertEquals("INVALID", bad.get("error"), bad.toString());
            assertEquals("cn", bad.get("field"));
            assertEquals("数据类型（cn）是该指令的必填项", bad.get("message"));
            assertEquals("type", http.postForObject("/api/ingest/devices/" + mn + "/commands", Map.of("type", "reboot"), Map.class).get("field"));
            assertEquals("end", http.postForObject("/api/ingest/devices/" + mn + "/commands", Map.of("type", "history", "cn", "2051",
                    "begin", "2026-11-22T09:00:00", "end", "2026-11-22T08:00:00"), Map.class).get("field"));

            Map<?, ?> answer = http.postForObject("/api/ingest/devices/" + mn + "/commands",
                    Map.of("type", "history", "cn", "2051", "begin", "2026-11-22T08:00:00", "end", "2026-11-22T08:10:00"), Map.class);
            assertEquals(1, ((Map<?, ?>) answer.get("accepted")).get("code"), answer.toString());
            assertEquals(1, ((Map<?, ?>) answer.get("executed")).get("code"), answer.toString());
            assertTrue(String.valueOf(answer.get("command")).contains("BeginTime=20261122080000;EndTime=20261122081000"));
            await("back-filled minute data stored", () -> jdbc.queryForObject(
                    "select count(*) from reading where mn = ? and cn = '2051'", Long.class, mn) > 0);
        }
    }

    @Test
    void aJunkPeerIsDroppedWhileOthersKeepGoing() throws Exception {
        long droppedBefore = gateway.stats().peersDroppedForJunk();
        java.util.concurrent.atomic.AtomicBoolean junkClosedByServer = new java.util.concurrent.atomic.AtomicBoolean();
        Thread junk = new Thread(() -> {
            java.util.Random random = new java.util.Random(1);
            try (Socket s = new Socket("127.0.0.1", gateway.port())) {
                byte[] noise = new byte[8192];
                // an oversize frame header first, then endless noise: both count against the garbage budget
                s.getOutputStream().write("##9999QN=1;ST=32;CN=2011;MN=JUNK;CP=&&".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 10_000; i++) {
                    random.nextBytes(noise);
                    for (int j = 0; j < noise.length; j++) {
                        if (noise[j] == '#') {
                            noise[j] = 0;
                        }
                    }
                    s.getOutputStream().write(noise);
                }
            } catch (IOException closed) {
                junkClosedByServer.set(true); // the server hung up on it: what the garbage budget is for
            }
        });
        junk.start();
        try (Socket device = new Socket("127.0.0.1", gateway.port())) {
            device.setSoTimeout(5000);
            InputStream in = device.getInputStream();
            for (int i = 0; i < 200; i++) {
                String qn = String.format("20261123%09d", 500_000 + i);
                device.getOutputStream().write(FrameEncoder.encode(upload("ITGOOD01", qn, 5, null, null,
                        Cp.builder().dataTime(LocalDateTime.of(2026, 11, 23, 0, 0).plusMinutes(i)).value("100000", "Ia", Integer.toString(i)).build())));
                byte[] buf = new byte[128];
                int got = 0;
                while (got < 2 || buf[got - 1] != '\n') {
                    int r = in.read(buf, got, buf.length - got);
                    assertTrue(r > 0, "the good device's connection stays open");
                    got += r;
                }
                assertTrue(new String(buf, 0, got, StandardCharsets.US_ASCII).contains("QN=" + qn), "ack " + i);
            }
        }
        junk.join(30_000);
        assertTrue(junkClosedByServer.get(), "the junk peer was disconnected");
        assertTrue(gateway.stats().peersDroppedForJunk() > droppedBefore);
        await("the good device's frames stored", () -> readings("ITGOOD01") == 200);

        String prometheus = http.getForObject("/actuator/prometheus", String.class);
        for (String metric : List.of("powerwatch_gateway_peers_dropped_total", "powerwatch_store_values_total",
                "powerwatch_journal_bytes", "powerwatch_store_lag", "powerwatch_gateway_connections")) {
            assertTrue(prometheus != null && prometheus.contains(metric), metric + " exported in: " + (prometheus == null ? null : prometheus.substring(0, Math.min(300, prometheus.length()))));
        }
    }
}
