package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.telemetry.CanonicalSample;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Baselines of production orders and the history reference of OVER_CAPACITY, end to end: weeks of 15-minute samples
 * written into point_sample and aggregated by the telemetry's own telemetry_refresh() (as HistoryModelsIntegrationTest
 * does), orders created through the API by a district officer, minute data handed to the engine (as
 * ProductionAndDataModelsIntegrationTest does) and the alarms read from the real alarm table.
 */
class OrderBaselineIntegrationTest extends EngineTestSupport {

    @Autowired
    TestRestTemplate http;
    @Autowired
    ProductionOrders orders;
    @Autowired
    FacilityHistoryPeak peaks;

    record Plant(long enterprise, long production, long point) {
        String subject() {
            return "enterprise:" + enterprise;
        }
    }

    Plant plant(Double ratedKw) {
        Meters m = meters(1, ratedKw);
        return new Plant(m.enterprise(), m.facility(), m.points().get(0));
    }

    /** Minute-by-minute production power for minutes [from, to) of the test's data time. */
    void run(Plant s, int from, int to, IntFunction<Double> kw) {
        List<CanonicalSample> list = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int m = from; m < to; m++) {
            list.add(sample(s.point(), m, kw.apply(m), 225, null, false, now));
        }
        apply(list);
    }

    TestRestTemplate officer() {
        return AuthTestSupport.as(http, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null));
    }

    /** A LIMIT order (50 %) from minute 0 to 400 of the test's data time; baselineKw null = not typed. */
    Map<String, Object> limitOrder(long enterprise, Double baselineKw) {
        Map<String, Object> body = new HashMap<>();
        body.put("enterpriseId", enterprise);
        body.put("kind", "LIMIT");
        body.put("limitPercent", 50);
        body.put("baselineKw", baselineKw);
        body.put("validFrom", base.atOffset(CHINA).toString());
        body.put("validTo", base.plusMinutes(400).atOffset(CHINA).toString());
        body.put("source", "EMERGENCY");
        return body;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, Object> created(ResponseEntity<Map> r) {
        assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    // --------------------------------------------------------------------------------------------- the history

    /** The order's day: the baseline window is the 30 days before it. */
    final LocalDate orderDay = base.toLocalDate();
    final LocalDate firstDay = orderDay.minusDays(30);
    /** An earlier order covered these days of the window (the plant ran at 40 kW then). */
    final LocalDate earlierFrom = orderDay.minusDays(10);
    final LocalDate earlierTo = orderDay.minusDays(8);

    static boolean sunday(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** The line's running power on a day: 90, 100 or 110 kW. */
    static double level(LocalDate d) {
        return 100 + 10 * (Math.floorMod(d.toEpochDay(), 3) - 1);
    }

    /** Mon–Sat 08–18 at level(day) (40 kW under the earlier order), 2 kW standby otherwise; Sundays standby all day. */
    double production(LocalDateTime t) {
        LocalDate d = t.toLocalDate();
        if (sunday(d) || t.getHour() < 8 || t.getHour() >= 18) {
            return 2.0;
        }
        return !d.isBefore(earlierFrom) && !d.isAfter(earlierTo) ? 40.0 : level(d);
    }

    /** Thirty days before the order (and one more, so the first day's register has a previous reading). */
    void thirtyDays(Plant p) {
        history(p.point(), firstDay.minusDays(1), orderDay, this::production);
        jdbc.update("""
                insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, valid_from, valid_to, source)
                values (?, 'LIMIT', 30, 100, ?, ?, 'EMERGENCY')""", p.enterprise(),
                new Timestamp(at(earlierFrom.atTime(10, 0))), new Timestamp(at(earlierTo.atTime(10, 0))));
    }

    /** What the baseline must be: working days of the window, without Sundays and the earlier order's days. */
    double[] expected() {
        double kw = 0;
        double kwh = 0;
        int days = 0;
        for (LocalDate d = firstDay; d.isBefore(orderDay); d = d.plusDays(1)) {
            if (sunday(d) || (!d.isBefore(earlierFrom) && !d.isAfter(earlierTo))) {
                continue;
            }
            kw += level(d);            // 10 running hours a day at level(d)
            kwh += 10 * level(d) + 14 * 2.0;
            days++;
        }
        return new double[]{kw / days, kwh / days, days};
    }

    // --------------------------------------------------------------------------------------------- LIMIT orders

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aLimitOrderWithoutBaselineGetsItsHistoryBaselineAndLimitNotKeptRaises() {
        Plant p = plant(500.0); // rated 500 kW: a wrong RATED fallback would show as 350 kW
        thirtyDays(p);
        double[] want = expected();
        TestRestTemplate officer = officer();

        Map<String, Object> o = created(officer.postForEntity("/api/production-orders", limitOrder(p.enterprise(), null), Map.class));
        assertEquals("HISTORY_30D", o.get("baselineMethod"), o.toString());
        assertEquals(want[0], ((Number) o.get("baselineKw")).doubleValue(), 0.01, o.toString());
        assertEquals(want[1], ((Number) o.get("baselineDailyKwh")).doubleValue(), 0.1, o.toString());
        assertEquals((int) want[2], ((Number) o.get("baselineDays")).intValue());
        assertNotNull(o.get("baselineComputedAt"));
        assertTrue(((String) o.get("baselineNote")).contains("停限产令3天"), (String) o.get("baselineNote"));
        long orderId = ((Number) o.get("id")).longValue();

        // 90 kW against a ≈ 100 kW baseline: 10 % instead of 50 % → LIMIT_NOT_KEPT (level 2) after the 2-hour window
        run(p, 0, 180, m -> 90.0 + m % 3);
        List<Map<String, Object>> a = alarms("LIMIT_NOT_KEPT", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals("LEVEL_2", a.get(0).get("level"));
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("\"baselineMethod\": \"HISTORY_30D\"") && ev.contains("\"baselineDays\": " + (int) want[2]), ev);
        assertTrue(ev.contains("\"orderId\": " + orderId), ev);
    }

    @Test
    void anOrderThatKeepsTheLimitRaisesNothingAndAnOrderFromElsewhereGetsItsBaselineWhenTheEngineLoadsIt() {
        Plant p = plant(null);
        thirtyDays(p);
        // entered straight into the table (as the emergency module will): no baseline until the engine loads it
        jdbc.update("""
                insert into production_order (enterprise_id, kind, limit_percent, valid_from, valid_to, source)
                values (?, 'LIMIT', 50, ?, ?, 'EMERGENCY')""", p.enterprise(), new Timestamp(ms(0)), new Timestamp(ms(400)));
        run(p, 0, 180, m -> 40.0 + m % 3); // ≈ 59 % below the baseline
        Map<String, Object> row = jdbc.queryForMap("""
                select baseline_kw, baseline_method, baseline_days from production_order
                where enterprise_id = ? and valid_from = ?""", p.enterprise(), new Timestamp(ms(0)));
        assertEquals("HISTORY_30D", row.get("baseline_method"), row.toString());
        assertEquals(expected()[0], ((Number) row.get("baseline_kw")).doubleValue(), 0.01);
        assertEquals(0, alarms("LIMIT_NOT_KEPT", p.subject()).size(), "the limit is kept");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aTypedBaselineIsKeptAndCanBeReplacedByTheComputedOne() {
        Plant p = plant(null);
        thirtyDays(p);
        TestRestTemplate officer = officer();
        Map<String, Object> o = created(officer.postForEntity("/api/production-orders", limitOrder(p.enterprise(), 300.0), Map.class));
        assertEquals("MANUAL", o.get("baselineMethod"));
        assertEquals(300.0, ((Number) o.get("baselineKw")).doubleValue());
        long id = ((Number) o.get("id")).longValue();

        // the engine loads it (no recomputation) and 90 kW is a 70 % reduction against 300 kW: kept
        run(p, 0, 180, m -> 90.0 + m % 3);
        assertEquals(0, alarms("LIMIT_NOT_KEPT", p.subject()).size(), "judged against the typed 300 kW");
        ProductionOrders.ProductionOrder loaded = orders.activeAt(p.enterprise(), java.time.Instant.ofEpochMilli(ms(200))).get(0);
        assertEquals(300.0, loaded.baselineKw());
        assertEquals(com.powerwatch.platform.analysis.ProductionBaseline.Method.MANUAL, loaded.baselineMethod());

        // the officer asks for the computed one: the engine sees it at once and the same load no longer keeps the limit
        Map<String, Object> recomputed = officer.exchange("/api/production-orders/" + id + "/baseline", HttpMethod.PUT,
                new HttpEntity<>(new HashMap<>(Map.of())), Map.class).getBody();
        assertEquals("HISTORY_30D", recomputed.get("baselineMethod"), String.valueOf(recomputed));
        assertEquals(expected()[0], ((Number) recomputed.get("baselineKw")).doubleValue(), 0.01);
        run(p, 180, 200, m -> 90.0 + m % 3);
        assertEquals(1, alarms("LIMIT_NOT_KEPT", p.subject()).size(), "judged against the computed baseline now");

        Map<String, Object> typed = officer.exchange("/api/production-orders/" + id + "/baseline", HttpMethod.PUT,
                new HttpEntity<>(Map.of("baselineKw", 120.0)), Map.class).getBody();
        assertEquals("MANUAL", typed.get("baselineMethod"));
        assertEquals(120.0, ((Number) typed.get("baselineKw")).doubleValue());
        assertNull(typed.get("baselineDays"));
        assertEquals(400, officer.exchange("/api/production-orders/" + id + "/baseline", HttpMethod.PUT,
                new HttpEntity<>(Map.of("baselineKw", -1)), Map.class).getStatusCode().value());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void withoutHistoryTheRatedCapacityIsTheBaseline() {
        Plant p = plant(200.0);
        Map<String, Object> body = limitOrder(p.enterprise(), null);
        body.put("kind", "STOP");
        body.remove("limitPercent");
        Map<String, Object> o = created(officer().postForEntity("/api/production-orders", body, Map.class));
        assertEquals("RATED", o.get("baselineMethod"), o.toString());
        assertEquals(140.0, ((Number) o.get("baselineKw")).doubleValue(), 1e-9, "200 kW × 0.7");
        assertEquals(140.0 * 16, ((Number) o.get("baselineDailyKwh")).doubleValue(), 1e-9);

        Plant bare = plant(null);
        body.put("enterpriseId", bare.enterprise());
        Map<String, Object> none = created(officer().postForEntity("/api/production-orders", body, Map.class));
        assertNull(none.get("baselineKw"), "no history and no rated power: no baseline, and the order is still created");
        assertNull(none.get("baselineMethod"));
        assertTrue(((String) none.get("baselineNote")).contains("无法计算"), (String) none.get("baselineNote"));
    }

    // --------------------------------------------------------------------------------------------- OVER_CAPACITY

    /** Weekdays and weekends alike 08–18 at 95…105 kW (per 15 minutes), off at night; 31 days before today. */
    void runningHistory(Plant p) {
        LocalDate today = LocalDate.now(CHINA);
        history(p.point(), today.minusDays(31), today,
                t -> t.getHour() >= 8 && t.getHour() < 18 ? 95.0 + (t.getHour() * 4 + t.getMinute() / 15) % 11 : 0.0);
    }

    @Test
    void operatorsRecomputeAHistoryReferenceOnDemand() {
        Plant p = plant(null);
        runningHistory(p);
        jdbc.update("update facility set history_peak_kw = null, history_peak_at = null where id = ?", p.production());
        TestRestTemplate admin = AuthTestSupport.as(http, AuthTestSupport.adminToken(jdbc));
        ResponseEntity<Map> one = admin.postForEntity("/api/analysis/history-peaks?facilityId=" + p.production(), null, Map.class);
        assertEquals(200, one.getStatusCode().value(), String.valueOf(one.getBody()));
        double peak = ((Number) one.getBody().get("historyPeakKw")).doubleValue();
        assertTrue(peak > 104 && peak <= 105, "p99 of the running hours: " + peak);
        assertEquals(peak, jdbc.queryForObject("select history_peak_kw from facility where id = ?", Double.class, p.production()));
        assertEquals(1, jdbc.queryForObject("select count(*) from audit_log where action = 'HISTORY_PEAK_RECOMPUTED' and target = ?",
                Integer.class, "facility:" + p.production()));

        long treatment = facility(p.enterprise(), "TREATMENT", 2.0, 4.0, null, null);
        assertEquals(400, admin.postForEntity("/api/analysis/history-peaks?facilityId=" + treatment, null, Map.class)
                .getStatusCode().value(), "a treatment facility has no production reference");
        assertEquals(404, admin.postForEntity("/api/analysis/history-peaks?facilityId=987654321", null, Map.class)
                .getStatusCode().value());
        ResponseEntity<Map> all = admin.postForEntity("/api/analysis/history-peaks", null, Map.class);
        assertEquals(200, all.getStatusCode().value());
        assertTrue(((Number) all.getBody().get("facilities")).intValue() >= 1);
        assertEquals(403, officer().postForEntity("/api/analysis/history-peaks", null, Map.class).getStatusCode().value(),
                "a district officer does not steer the engine");
    }

    @Test
    void overCapacityWithoutRatedPowerAgainstTheHistoryReference() {
        Plant over = plant(null);
        Plant within = plant(null);
        Plant rated = plant(200.0);
        Plant noHistory = plant(null);
        for (Plant p : List.of(over, within, rated)) {
            runningHistory(p);
        }
        Double peak = peaks.refresh(over.production());
        assertNotNull(peak);
        assertTrue(peak > 104 && peak <= 105, "p99 of 95…105 kW while running (not of the idle nights): " + peak);
        assertEquals(peak, jdbc.queryForObject("select history_peak_kw from facility where id = ?", Double.class, over.production()));
        assertEquals(peak, peaks.refresh(within.production()));
        peaks.refresh(rated.production());
        assertNull(peaks.refresh(noHistory.production()), "no history, no reference");

        double limit = 1.3 * peak; // historyFactor
        run(over, 0, 80, m -> limit + 10);
        run(within, 0, 80, m -> limit - 10);        // above the peak itself, within 1.3 ×
        run(rated, 0, 80, m -> limit + 10);         // rated 200 kW × 1.1 = 220 kW wins over the history reference
        run(noHistory, 0, 80, m -> 1000.0);

        List<Map<String, Object>> a = alarms("OVER_CAPACITY", "facility:" + over.production());
        assertEquals(1, a.size(), a.toString());
        assertEquals(ms(60), millis(a.get(0).get("started_at")), "after persistMinutes 60");
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("\"basis\": \"HISTORY\"") && ev.contains("historyPeakKw"), ev);
        assertEquals(0, alarms("OVER_CAPACITY", "facility:" + within.production()).size());
        assertEquals(0, alarms("OVER_CAPACITY", "facility:" + rated.production()).size());
        assertEquals(0, alarms("OVER_CAPACITY", "facility:" + noHistory.production()).size());
    }
}
