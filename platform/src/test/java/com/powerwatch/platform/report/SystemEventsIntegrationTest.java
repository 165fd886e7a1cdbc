package com.powerwatch.platform.report;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.store.StoreWriter;
import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 系统运行异常信息事件 from what really happens: the store writer loses its table (the database refuses its writes)
 * and retries while a frame waits in the journal — the recorder keeps that spell and closes it when the writes work
 * again; frames with a bad CRC from a district's logger are counted by reason; a logger's offline spell is listed with
 * its duration. A district officer sees their loggers' spells and frames but not the machinery.
 */
class SystemEventsIntegrationTest extends ReportTestBase {

    @Autowired
    TcpGateway gateway;
    @Autowired
    StoreWriter storeWriter;
    @Autowired
    SystemEventRecorder events;

    static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    byte[] frame(String mn, String qn) {
        Cp cp = Cp.builder().dataTime(LocalDateTime.now(CHINA).withNano(0).format(DT)).value("100000", "Pt", "12.5").build();
        return FrameEncoder.encode(Packet.of(qn, "32", "2011", "123456", mn, 4, null, null, cp));
    }

    @Test
    void aStoreWriterRetrySpellIsRecordedAndEndsWhenWritesWorkAgain() throws Exception {
        assertTrue(jdbc.queryForObject("select count(*) from system_event where kind = 'PLATFORM_STARTED'", Long.class) >= 1,
                "the start of this platform is an event");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        jdbc.execute("alter table reading rename to reading_away");
        try {
            try (Socket s = new Socket("127.0.0.1", gateway.port())) {
                s.getOutputStream().write(frame("SYSEVT" + UUID.randomUUID().toString().substring(0, 8), "20261203100000001"));
                s.getOutputStream().flush();
            }
            await("the store writer retrying", () -> storeWriter.stats().state() == JournalConsumer.State.RETRYING);
            events.sample(Instant.now());
            assertEquals(1L, jdbc.queryForObject("select count(*) from system_event where kind = 'CONSUMER_RETRYING'"
                    + " and component = 'store-writer' and ended_at is null", Long.class));
            events.sample(Instant.now());
            assertEquals(1L, jdbc.queryForObject("select count(*) from system_event where kind = 'CONSUMER_RETRYING'"
                    + " and component = 'store-writer' and started_at >= ?", Long.class, java.sql.Timestamp.from(before)), "one spell, not one per sample");
        } finally {
            jdbc.execute("alter table reading_away rename to reading");
        }
        await("the store writer writing again", () -> storeWriter.stats().state() == JournalConsumer.State.RUNNING);
        events.sample(Instant.now());
        Map<String, Object> spell = jdbc.queryForMap("select ended_at, message from system_event where kind = 'CONSUMER_RETRYING'"
                + " and component = 'store-writer' and started_at >= ?", java.sql.Timestamp.from(before));
        assertNotNull(spell.get("ended_at"), "closed once the writes work again");

        Map<String, Object> doc = report(admin, "SYSTEM_EVENTS", "from=" + today + "&to=" + today);
        Map<String, Object> machinery = sections(doc).get(0);
        assertEquals("系统运行异常事件", machinery.get("title"));
        Map<String, Object> row = rows(machinery).stream().filter(r -> "存储写入".equals(r.get("componentName"))
                && "写库失败重试".equals(r.get("kindName"))).reduce((a, b) -> b).orElseThrow();
        assertNotNull(row.get("ended"));
        assertTrue(((String) row.get("message")).contains("正在重试"));
    }

    @Test
    void rejectedFramesAndOfflineSpellsAreCountedWithinTheOfficersDistrict() throws Exception {
        String d = fx.district("异常区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "异常企业");
        String mn = "SYSBAD" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, e.id());
        int badFrames = 2;
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < badFrames; i++) {
                byte[] f = frame(mn, "2026120310000000" + i);
                String text = new String(f, StandardCharsets.US_ASCII);
                int crc = text.length() - 6; // 4 hex digits before CR LF
                String broken = text.substring(0, crc) + (text.charAt(crc) == '0' ? '1' : '0') + text.substring(crc + 1);
                out.write(broken.getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
        await("the rejected frames stored", () -> jdbc.queryForObject("select count(*) from raw_frame where mn = ? and verdict = 'BAD_CRC'",
                Long.class, mn) == badFrames);
        Instant went = today.atTime(3, 0).atZone(CHINA).toInstant();
        String subject = "logger:" + mn;
        recorder.raise(new AlarmSignal("LOGGER_OFFLINE", subject, e.id(), null, null, mn, AlarmLevel.LEVEL_3, went, Map.of()));
        recorder.clear("LOGGER_OFFLINE", subject, went.plus(90, ChronoUnit.MINUTES), Map.of());
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(d), null);

        Map<String, Object> doc = report(officer, "SYSTEM_EVENTS", "from=" + today + "&to=" + today);
        List<Object> titles = sections(doc).stream().map(s -> s.get("title")).toList();
        assertEquals(List.of("数采仪离线", "异常报文"), titles, "no machinery or notification sections for a district officer");
        Map<String, Object> spell = rowWith(rows(sections(doc).get(0)), "mn", mn);
        assertEquals(1.5, d(spell.get("hours")), 1e-9, "03:00 to 04:30");
        assertEquals("已恢复", spell.get("state"));
        Map<String, Object> frames = rowWith(rows(sections(doc).get(1)), "verdict", "BAD_CRC");
        assertEquals((long) badFrames, n(frames.get("frames")));
        assertEquals(1L, n(frames.get("loggers")));
        assertEquals("CRC 校验失败", frames.get("reason"));
    }
}
