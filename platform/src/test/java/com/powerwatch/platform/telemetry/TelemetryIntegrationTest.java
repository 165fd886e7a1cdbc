package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.SseLines;
import com.powerwatch.hj212.Cp;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames through the gateway into point samples and the real-time state, over REST and SSE. */
class TelemetryIntegrationTest extends TelemetryTestSupport {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** Real-time data times near now, one minute apart, so points are online with a known interval. */
    private final LocalDateTime base = LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES).minusMinutes(30);

    private LocalDateTime minute(int i) {
        return base.plusMinutes(i);
    }

    private Map<?, ?> getPoint(long id) {
        return http.getForObject("/api/realtime/points/" + id, Map.class);
    }

    private Map<?, ?> facilityOf(long enterprise, long facility) {
        Map<?, ?> e = http.getForObject("/api/realtime/enterprises/" + enterprise, Map.class);
        for (Object f : (List<?>) e.get("facilities")) {
            if (((Number) ((Map<?, ?>) f).get("id")).longValue() == facility) {
                return (Map<?, ?>) f;
            }
        }
        throw new AssertionError("facility " + facility + " not in " + e);
    }

    private String facilityState(long facility) {
        Map<String, Object> f = realtime.facility(facility, false);
        return f.get("state") + (f.get("reason") == null ? "" : "/" + f.get("reason"));
    }

    private String enterpriseState(long enterprise) {
        Map<String, Object> e = realtime.enterprise(enterprise);
        return e.get("state") + (e.get("reason") == null ? "" : "/" + e.get("reason"));
    }

    @Test
    void aFrameBecomesASampleWithCtAndPtApplied() throws Exception {
        String mn = uniqueMn("CTPTMN");
        long e = enterprise("610113", "33");
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null);
        logger(mn, e);
        long p = point(f, mn, "ea300102", "elec-b", 50, 100);
        registry.refresh();
        LocalDateTime t = minute(0);
        send(mn, "2011", t, Cp.builder().value("ea30010205", "Rtd", "2.0").value("ea30010205", "Flag", "N")
                .value("ea30010201", "Rtd", "1.5").value("ea30010210", "Rtd", "57.7").value("ea30010207", "Rtd", "12.5")
                .value("ea30010209", "Rtd", "0.9").value("ea30010299", "Rtd", "7"));
        await("sample stored", () -> jdbc.queryForObject("select count(*) from point_sample where point_id = ?", Integer.class, p) == 1);
        Map<String, Object> row = jdbc.queryForMap("select * from point_sample where point_id = ?", p);
        assertEquals(2.0 * 50 * 100, ((Number) row.get("p")).doubleValue(), 1e-3, "P × CT × PT");
        assertEquals(1.5 * 50, ((Number) row.get("ia")).doubleValue(), 1e-3, "I × CT");
        assertEquals(57.7 * 100, ((Number) row.get("ua")).doubleValue(), 0.1, "U × PT");
        assertEquals(12.5 * 5000, ((Number) row.get("e")).doubleValue(), 1e-6, "E × CT × PT");
        assertEquals(0.9, ((Number) row.get("pf")).doubleValue(), 1e-6, "PF unscaled");
        assertEquals(Boolean.FALSE, row.get("invalid"));
        assertNull(row.get("extra"), "an unmapped item is ignored");
        assertEquals(t.atZone(CHINA).toInstant(), ((java.sql.Timestamp) row.get("ts")).toInstant());

        await("real-time values", () -> getPoint(p).get("dataTime") != null);
        Map<?, ?> live = getPoint(p);
        assertEquals(10000.0, ((Number) ((Map<?, ?>) live.get("values")).get("P")).doubleValue(), 1e-3);
        assertEquals("ONLINE", live.get("state"));
    }

    @Test
    void facilityAndEnterpriseStatesFollowThresholdsWithHysteresisAndFaults() throws Exception {
        String mn = uniqueMn("STATEMN");
        long e = enterprise("610113", "33");
        long prod = facility(e, "PRODUCTION", 5.0, 10.0, null);
        long treat = facility(e, "TREATMENT", 2.0, 4.0, 30.0);
        associate(prod, treat);
        logger(mn, e);
        long pp = point(prod, mn, "100001", "elec-a", 1, 1);
        long tp = point(treat, mn, "100002", "elec-a", 1, 1);
        registry.refresh();
        int[] i = {0};
        // one frame carries both meters: production P and treatment P, voltages per meter
        ThrowingStep step = (prodKw, treatKw, prodU, flag) -> {
            Cp.Builder cp = meterA(Cp.builder(), "100001", prodKw, null, 220, flag);
            if (prodU != null) {
                cp.value("100001", "Ua", Double.toString(prodU[0])).value("100001", "Ub", Double.toString(prodU[1]))
                        .value("100001", "Uc", Double.toString(prodU[2]));
            }
            meterA(cp, "100002", treatKw, null, 220, "N");
            LocalDateTime t = minute(i[0]++);
            send(mn, "2011", t, cp);
            await("sample at " + t, () -> realtime.point(pp).get("dataTime") != null
                    && realtime.point(pp).get("dataTime").equals(t.atZone(CHINA).toOffsetDateTime()));
            return t;
        };

        LocalDateTime t0 = step.run(20, 50, null, "N");
        assertEquals("RUNNING", facilityState(prod));
        assertEquals("RUNNING", facilityState(treat));
        assertEquals("RUNNING", enterpriseState(e));
        Map<?, ?> viaRest = facilityOf(e, prod);
        assertEquals("RUNNING", viaRest.get("state"));
        assertEquals(t0.atZone(CHINA).toOffsetDateTime().toInstant(), OffsetDateTime.parse((String) viaRest.get("since")).toInstant(),
                "since = the data time of the change");
        assertTrue(((String) viaRest.get("since")).endsWith("+08:00"), "China time, like the history API: " + viaRest.get("since"));

        step.run(7, 50, null, "N");
        assertEquals("RUNNING/LOW_LOAD", facilityState(prod), "inside the band the last state holds");
        assertEquals(t0.atZone(CHINA).toOffsetDateTime(), realtime.facility(prod, false).get("since"), "since kept");

        LocalDateTime t2 = step.run(3, 50, null, "N");
        assertEquals("STOPPED", facilityState(prod));
        assertEquals(t2.atZone(CHINA).toOffsetDateTime(), realtime.facility(prod, false).get("since"));
        assertEquals("STOPPED", enterpriseState(e), "no production runs");

        step.run(7, 50, null, "N");
        assertEquals("STOPPED", facilityState(prod), "hysteresis: 7 kW after stopping stays stopped");

        step.run(12, 20, null, "N");
        assertEquals("RUNNING", facilityState(prod));
        assertEquals("ABNORMAL/BELOW_NORMAL", facilityState(treat), "treatment running below abnormal_below");
        assertEquals("ABNORMAL/TREATMENT_ABNORMAL", enterpriseState(e));

        step.run(50, 1, null, "N");
        assertEquals("STOPPED", facilityState(treat));
        assertEquals("ABNORMAL/TREATMENT_STOPPED", enterpriseState(e), "treatment stopped while production runs");

        step.run(50, 50, new double[]{0.1, 0.0, 0.2}, "N");
        assertEquals("ABNORMAL/POWER_LOSS", facilityState(prod));
        assertEquals("ABNORMAL", realtime.point(pp).get("state").toString());

        step.run(50, 50, new double[]{221, 0.1, 219}, "N");
        assertEquals("ABNORMAL/PHASE_LOSS", facilityState(prod));

        step.run(50, 50, null, "D");
        assertEquals("ABNORMAL/INVALID_DATA", facilityState(prod));

        step.run(50, 50, null, "N");
        assertEquals("RUNNING", facilityState(prod));
        assertEquals("RUNNING", enterpriseState(e));
        assertNotNull(realtime.point(tp).get("intervalSeconds"));
        assertEquals(60L, ((Number) realtime.point(tp).get("intervalSeconds")).longValue());

        Map<?, ?> detail = http.getForObject("/api/realtime/enterprises/" + e, Map.class);
        assertEquals(2, ((List<?>) detail.get("facilities")).size(), "the detail lists facilities");
        assertEquals(1, ((List<?>) facilityOf(e, prod).get("points")).size(), "with their points");
        List<?> list = http.getForObject("/api/realtime/enterprises?district=610113&state=RUNNING", List.class);
        Map<?, ?> mine = list.stream().map(o -> (Map<?, ?>) o).filter(m -> ((Number) m.get("id")).longValue() == e)
                .findFirst().orElseThrow();
        assertEquals(2, ((Map<?, ?>) mine.get("facilityCounts")).get("running"));
        assertEquals(400, http.getForEntity("/api/realtime/enterprises?state=SLEEPING", Map.class).getStatusCode().value());
    }

    /** Sends one meter's value for {@code minute} and waits until the map took it. */
    private void sendAndAwait(String mn, long point, String meter, int minute, double kw, String flag) throws Exception {
        send(mn, "2011", minute(minute), meterA(Cp.builder(), meter, kw, null, 220, flag));
        await("sample at " + minute, () -> minute(minute).atZone(CHINA).toOffsetDateTime().equals(realtime.point(point).get("dataTime")));
    }

    @Test
    void aFacilityOfTwoMetersIsJudgedOnBothWhenTheirValuesForOneDataTimeArriveApart() throws Exception {
        String mnA = uniqueMn("TWOAMN");
        String mnB = uniqueMn("TWOBMN");
        long e = enterprise("610113", "33");
        long f = facility(e, "PRODUCTION", 2.0, 5.0, null);
        logger(mnA, e);
        logger(mnB, e);
        long a = point(f, mnA, "100001", "elec-a", 1, 1);
        long b = point(f, mnB, "100001", "elec-a", 1, 1);
        registry.refresh();
        sendAndAwait(mnA, a, "100001", 0, 0, "N");
        sendAndAwait(mnB, b, "100001", 0, 0, "N");
        assertEquals("STOPPED", facilityState(f));

        sendAndAwait(mnA, a, "100001", 1, 3, "N");
        assertEquals("STOPPED", facilityState(f), "3 + 0 kW: in the band, coming from a stop");
        sendAndAwait(mnB, b, "100001", 1, 3, "N");
        assertEquals("RUNNING", facilityState(f), "the second meter's 3 kW for the same minute: 6 kW ≥ run_above");
        assertEquals(minute(1).atZone(CHINA).toOffsetDateTime(), realtime.facility(f, false).get("since"));
        assertEquals(6.0, (Double) realtime.facility(f, false).get("value"), 1e-9);

        // as in the engine, a flagged meter is left out while another one reports valid data
        sendAndAwait(mnA, a, "100001", 2, 50, "D");
        sendAndAwait(mnB, b, "100001", 2, 1, "N");
        assertEquals("STOPPED", facilityState(f), "judged on the valid meter's 1 kW");
        assertEquals("ABNORMAL", realtime.point(a).get("state").toString(), "the flagged meter itself is shown");
        sendAndAwait(mnB, b, "100001", 3, 8, "D");
        assertEquals("ABNORMAL/INVALID_DATA", facilityState(f), "only flagged data: the facility's state cannot be told");
    }

    @Test
    void anIdleTreatmentWhileItsProductionRunsMakesTheEnterpriseAbnormal() throws Exception {
        String mn = uniqueMn("IDLEMN");
        long e = enterprise("610113", "33");
        long prod = facility(e, "PRODUCTION", 5.0, 10.0, null);
        long treat = facility(e, "TREATMENT", 2.0, 4.0, null);
        associate(prod, treat);
        logger(mn, e);
        long pp = point(prod, mn, "100001", "elec-a", 1, 1);
        point(treat, mn, "100002", "elec-a", 1, 1);
        registry.refresh();
        double[][] steps = {{20, 50}, {20, 3}, {1, 3}};
        for (int m = 0; m < steps.length; m++) {
            send(mn, "2011", minute(m), meterA(meterA(Cp.builder(), "100001", steps[m][0], null, 220, "N"),
                    "100002", steps[m][1], null, 220, "N"));
            int at = m;
            await("sample at " + m, () -> minute(at).atZone(CHINA).toOffsetDateTime().equals(realtime.point(pp).get("dataTime")));
            switch (m) {
                case 0 -> assertEquals("RUNNING", enterpriseState(e));
                case 1 -> {
                    assertEquals("RUNNING/LOW_LOAD", facilityState(treat), "3 kW after running: idle (空转)");
                    assertEquals("ABNORMAL/TREATMENT_ABNORMAL", enterpriseState(e), "idle while its production runs");
                }
                default -> {
                    assertEquals("RUNNING/LOW_LOAD", facilityState(treat));
                    assertEquals("STOPPED", enterpriseState(e), "idle while production is stopped is no fault");
                }
            }
        }
    }

    @FunctionalInterface
    interface ThrowingStep {
        LocalDateTime run(double prodKw, double treatKw, double[] prodU, String flag) throws Exception;
    }

    @Test
    void silentPointsGoOfflineAndTheirEnterpriseWithThem() throws Exception {
        String mn = uniqueMn("OFFLMN");
        long e = enterprise("610113", "33");
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null);
        logger(mn, e);
        long p = point(f, mn, "100001", "elec-a", 1, 1);
        registry.refresh();
        assertEquals("OFFLINE/NO_DATA", facilityState(f));
        send(mn, "2011", minute(0), meterA(Cp.builder(), "100001", 20, null, 220, "N"));
        await("running", () -> facilityState(f).equals("RUNNING"));
        // one sample: interval unknown, so the test's 3 s "unknown interval" limit applies
        await("offline", () -> facilityState(f).equals("OFFLINE"));
        assertEquals("OFFLINE", realtime.point(p).get("state").toString());
        assertEquals("OFFLINE", enterpriseState(e));
        assertEquals("OFFLINE", getPoint(p).get("state"));
    }

    @Test
    void theStreamSendsChangesOnlyForObjectsInTheCallersScope() throws Exception {
        String mnIn = uniqueMn("SSEINMN");
        String mnOut = uniqueMn("SSEOUTMN");
        long eIn = enterprise("610112", "26");
        long eOut = enterprise("620102", "26");
        long fIn = facility(eIn, "PRODUCTION", 5.0, 10.0, null);
        long fOut = facility(eOut, "PRODUCTION", 5.0, 10.0, null);
        logger(mnIn, eIn);
        logger(mnOut, eOut);
        long pIn = point(fIn, mnIn, "100001", "elec-a", 1, 1);
        long pOut = point(fOut, mnOut, "100001", "elec-a", 1, 1);
        registry.refresh();

        String token = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null);
        BlockingQueue<String> lines = SseLines.open(rest.getRootUri() + "/api/realtime/stream?access_token=" + token);

        send(mnOut, "2011", minute(0), meterA(Cp.builder(), "100001", 30, null, 220, "N"));
        send(mnIn, "2011", minute(0), meterA(Cp.builder(), "100001", 30, null, 220, "N"));
        StringBuilder seen = new StringBuilder();
        readUntil(lines, seen, "\"id\":" + eIn + ",");
        // a marker: the other enterprise, then ours, once more. Events are published and flushed in order, so when
        // our point's minute-1 event has arrived, any event of the other enterprise published before it has too.
        send(mnOut, "2011", minute(1), meterA(Cp.builder(), "100001", 31, null, 220, "N"));
        send(mnIn, "2011", minute(1), meterA(Cp.builder(), "100001", 31, null, 220, "N"));
        readUntil(lines, seen, "\"dataTime\":\"" + minute(1).atZone(CHINA).toOffsetDateTime()
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        String stream = seen.toString();
        assertTrue(stream.contains(":connected"), stream);
        assertTrue(stream.contains("event:point") && stream.contains("\"id\":" + pIn + ","), stream);
        assertTrue(stream.contains("event:enterprise") && stream.contains("\"id\":" + eIn + ","), stream);
        assertTrue(stream.contains("\"state\":\"RUNNING\""), stream);
        assertFalse(stream.contains("\"id\":" + pOut + ",") || stream.contains("\"id\":" + eOut + ","),
                "nothing of the other province's enterprise: " + stream);
    }

    /** Appends stream lines to {@code seen} until it contains {@code text} (20 s at most). */
    private static void readUntil(BlockingQueue<String> lines, StringBuilder seen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !seen.toString().contains(text)) {
            String line = lines.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.append(line).append('\n');
            }
        }
        assertTrue(seen.toString().contains(text), "no " + text + " in " + seen);
    }

    @Test
    void framesOfAnUnknownMnAreRecorded() throws Exception {
        String mn = uniqueMn("NOBODYMN");
        send(mn, "2011", minute(0), meterA(Cp.builder(), "100000", 1, null, 220, "N"));
        send(mn, "2011", minute(1), meterA(Cp.builder(), "100000", 1, null, 220, "N"));
        await("unregistered", () -> jdbc.queryForObject("select coalesce(max(frames), 0) from unregistered_mn where mn = ?",
                Long.class, mn) == 2);
        Map<String, Object> row = jdbc.queryForMap("select * from unregistered_mn where mn = ?", mn);
        assertTrue(((String) row.get("last_peer")).contains("127.0.0.1"), row.toString());
        assertFalse(((java.sql.Timestamp) row.get("first_seen")).after((java.sql.Timestamp) row.get("last_seen")));
    }

    @Test
    void aFreshStateRebuiltFromTheStoreMatchesTheLiveOne() throws Exception {
        String mn = uniqueMn("REBUILDMN");
        long e = enterprise("610113", "33");
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null);
        logger(mn, e);
        long p = point(f, mn, "100001", "elec-a", 1, 1);
        registry.refresh();
        for (int i = 0; i < 3; i++) {
            send(mn, "2011", minute(i), meterA(Cp.builder(), "100001", 20 + i, 100.0 + i, 220, "N"));
        }
        await("three samples live", () -> minute(2).atZone(CHINA).toOffsetDateTime().equals(realtime.point(p).get("dataTime")));

        try (RealtimeState fresh = new RealtimeState(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(1))) {
            fresh.rebuild(jdbc, registry.snapshot());
            Map<String, Object> live = realtime.point(p);
            Map<String, Object> rebuilt = fresh.point(p);
            for (String key : List.of("state", "reason", "dataTime", "intervalSeconds", "values")) {
                assertEquals(live.get(key), rebuilt.get(key), key);
            }
            assertEquals(realtime.facility(f, false).get("state"), fresh.facility(f, false).get("state"));
            assertEquals(realtime.enterprise(e).get("state"), fresh.enterprise(e).get("state"));
            assertEquals(minute(2).atZone(CHINA).toOffsetDateTime(), fresh.point(p).get("since"), "since = the latest sample's time");
            assertEquals(minute(2).atZone(CHINA).toOffsetDateTime(), fresh.facility(f, false).get("since"));
        }
    }

    @Test
    void aDistrictOfficerSeesOnlyItsDistrict() throws Exception {
        long mine = enterprise("610112", "26");
        long other = enterprise("610113", "33");
        long f = facility(other, "TOTAL", 1.0, 2.0, null);
        String mn = uniqueMn("SCOPEMN");
        logger(mn, other);
        long p = point(f, mn, "100000", "elec-a", 1, 1);
        registry.refresh();
        TestRestTemplate officer = AuthTestSupport.as(rest, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null));
        assertEquals(HttpStatus.FORBIDDEN, officer.getForEntity("/api/realtime/enterprises/" + other, Map.class).getStatusCode());
        assertEquals(HttpStatus.FORBIDDEN, officer.getForEntity("/api/realtime/points/" + p, Map.class).getStatusCode());
        assertEquals(HttpStatus.OK, officer.getForEntity("/api/realtime/enterprises/" + mine, Map.class).getStatusCode());
        assertEquals(HttpStatus.NOT_FOUND, officer.getForEntity("/api/realtime/enterprises/987654321", Map.class).getStatusCode());
        List<?> listed = officer.getForObject("/api/realtime/enterprises", List.class);
        assertTrue(listed.stream().map(o -> ((Number) ((Map<?, ?>) o).get("id")).longValue()).anyMatch(id -> id == mine));
        assertTrue(listed.stream().allMatch(o -> ((String) ((Map<?, ?>) o).get("districtCode")).equals("610112")), listed.toString());
    }
}
