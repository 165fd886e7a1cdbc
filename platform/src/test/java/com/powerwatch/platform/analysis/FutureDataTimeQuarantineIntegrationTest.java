package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.Packet;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.ingest.DeviceSocket;
import com.powerwatch.platform.telemetry.RealtimeState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A logger with a bad clock, end to end (real sockets, the gateway, the journal, the telemetry consumer, the engine,
 * PostgreSQL): frames dated too far ahead of their receive time are quarantined — acknowledged, kept in the journal
 * and the raw-frame trace with verdict FUTURE_DATATIME, counted — and applied nowhere, so they neither hide the
 * genuine frames that follow nor move the engine's data clock.
 */
class FutureDataTimeQuarantineIntegrationTest extends EngineTestSupport {

    @Autowired
    RealtimeState realtime;
    @Autowired
    TestRestTemplate http;

    record Plant(long production, long treatment, long productionPoint, long treatmentPoint, String mn) {
    }

    Plant plant() {
        long e = enterprise();
        long prod = facility(e, "PRODUCTION", 5.0, 10.0, null, 40.0);
        long treat = facility(e, "TREATMENT", 2.0, 4.0, null, 60.0);
        associate(prod, treat, 10, 30);
        String mn = uniqueMn();
        logger(mn, e);
        long pp = point(prod, mn, "100001");
        long tp = point(treat, mn, "100002");
        registry.refresh();
        return new Plant(prod, treat, pp, tp, mn);
    }

    @Test
    void oneFrameThirtyDaysAheadIsQuarantinedAndTheGenuineFramesAfterItAreApplied() throws Exception {
        Plant p = plant();
        long quarantinedBefore = gateway.stats().quarantine().framesQuarantined();
        LocalDateTime future = LocalDateTime.now(CHINA).plusDays(30).truncatedTo(ChronoUnit.SECONDS);
        // the logger's clock is 30 days fast for one frame, which says the treatment runs
        String reply = sendOwn(p.mn(), future, meter(meter(Cp.builder(), "100001", 20, 225), "100002", 50, 225));
        assertTrue(reply.contains("CN=9014"), "a quarantined frame is acknowledged (it is kept): " + reply);

        // then genuine frames: production runs, the treatment never starts
        for (int m = 0; m <= 30; m++) {
            send(p.mn(), m, meter(meter(Cp.builder(), "100001", 20, 225), "100002", 0, 225));
        }
        awaitEngine(p.treatmentPoint(), 30);
        await("the real-time state at the last genuine frame", () -> {
            Map<String, Object> view = realtime.point(p.treatmentPoint());
            return view != null && view.get("dataTime") instanceof OffsetDateTime t && t.toInstant().toEpochMilli() == ms(30);
        });
        assertEquals(ms(30), engine.pointDataTime(p.treatmentPoint()), "the engine took the genuine frames");
        List<Map<String, Object>> alarms = alarms("TREATMENT_NOT_STARTED", "facility:" + p.treatment());
        assertEquals(1, alarms.size(), "alarms still work: " + alarms);
        assertTrue(millis(alarms.get(0).get("started_at")) < ms(30), "raised on the genuine data: " + alarms);
        assertEquals(0L, jdbc.queryForObject("select count(*) from point_sample where point_id in (?, ?) and ts > now() + interval '1 day'",
                Long.class, p.productionPoint(), p.treatmentPoint()), "no sample of the quarantined frame");

        // kept and traced, visible to operators, counted
        await("the quarantined frame traced", () -> traced(p.mn(), "FUTURE_DATATIME").size() == 1);
        Map<String, Object> q = traced(p.mn(), "FUTURE_DATATIME").get(0);
        assertTrue(String.valueOf(q.get("reason")).contains("ahead of the receive time"), String.valueOf(q.get("reason")));
        assertTrue(String.valueOf(q.get("raw")).contains("DataTime=" + future.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))),
                String.valueOf(q.get("raw")));
        assertEquals(31, traced(p.mn(), "VALID").size(), "the genuine frames");
        assertEquals(quarantinedBefore + 1, gateway.stats().quarantine().framesQuarantined());
        assertEquals(0L, jdbc.queryForObject("select count(*) from reading where mn = ? and data_time > now() + interval '1 day'",
                Long.class, p.mn()), "not in the readings either");
    }

    @Test
    void oneFrameEightMinutesAheadSilencesNoLoggerOfTheFleet() throws Exception {
        // a fleet reporting every minute (two frames each: the interval is known, the offline limit is 5 min)
        List<Plant> fleet = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fleet.add(plant());
        }
        for (int m = 359; m <= 360; m++) {
            for (Plant p : fleet) {
                send(p.mn(), m, meter(meter(Cp.builder(), "100001", 20, 225), "100002", 50, 225));
            }
        }
        for (Plant p : fleet) {
            awaitEngine(p.treatmentPoint(), 360);
        }
        // one logger's clock jumps 8 minutes ahead for one frame; then another logger reports
        Plant rogue = fleet.get(0);
        send(rogue.mn(), 368, meter(meter(Cp.builder(), "100001", 20, 225), "100002", 50, 225));
        Plant sentinel = plant();
        send(sentinel.mn(), 360, meter(meter(Cp.builder(), "100001", 20, 225), "100002", 50, 225));
        awaitEngine(sentinel.treatmentPoint(), 360); // the engine has read past the rogue frame

        engine.checkTimers(System.currentTimeMillis());
        for (Plant p : fleet) {
            assertEquals(0, alarms("LOGGER_OFFLINE", "logger:" + p.mn()).size(), "logger " + p.mn() + " reports normally");
            for (long point : List.of(p.productionPoint(), p.treatmentPoint())) {
                assertEquals(0, alarms("METER_OFFLINE", "point:" + point).size());
            }
        }
        long dataClock = ((Number) engine.stats().get("dataClockMillis")).longValue();
        assertTrue(dataClock < ms(368), "the engine's data clock did not follow the rogue frame: " + dataClock);
        assertEquals(ms(360), engine.pointDataTime(rogue.treatmentPoint()), "nor did the rogue logger's own point");
        await("the rogue frame traced", () -> traced(rogue.mn(), "FUTURE_DATATIME").size() == 1);
    }

    /** Sends one upload with the A bit on a connection of its own and returns the gateway's reply. */
    private String sendOwn(String mn, LocalDateTime dataTime, Cp.Builder cp) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            return DeviceSocket.send(s, Packet.of("20261203000000001", "32", "2011", "123456", mn, 5, null, null,
                    cp.dataTime(dataTime).build()));
        }
    }

    /** The raw-frame trace of an MN with a verdict, through the operators' API. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> traced(String mn, String verdict) {
        TestRestTemplate admin = AuthTestSupport.as(http, AuthTestSupport.adminToken(jdbc));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Object> page = admin.getForObject("/api/ingest/raw-frames?mn={mn}&verdict={verdict}&from={from}&to={to}&size=1000",
                Map.class, mn, verdict, now.minusHours(1), now.plusHours(1));
        return (List<Map<String, Object>>) page.get("frames");
    }
}
