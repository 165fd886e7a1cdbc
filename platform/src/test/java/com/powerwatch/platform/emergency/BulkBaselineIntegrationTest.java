package com.powerwatch.platform.emergency;

import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.emergency.plan.PlanBaselines;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The baselines of a city-wide warning's orders are computed in bulk ({@code ProductionBaseline.forOrders}): each must
 * be exactly what the engine's one-by-one computation gives — with history (HISTORY_30D), with too little (RATED), and
 * for a subset of facilities. The same holds for the baselines kept ready before a warning ({@link PlanBaselines}) and
 * copied by its activation, and for the orders whose ready value went stale (an order written since), which are then
 * computed in the background and stored in one batched update.
 */
class BulkBaselineIntegrationTest extends EmergencyTestSupport {

    @Autowired
    ProductionBaseline baselines;
    @Autowired
    PlanBaselines planBaselines;
    @Autowired
    ProductionOrders productionOrders;

    @Test
    void bulkBaselinesAreTheOneByOneBaselines() {
        Ent history = enterprise("610111", "B", Map.of("1#线", Map.of("窑", 100.0), "2#线", Map.of("磨", 40.0)));
        Ent none = enterprise("610111", "C", Map.of("", Map.of("炉", 60.0)));
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        // ten days of a day shift: the kiln at 70 kW and the mill at 30 kW from 08:00 to 20:00 (UTC day, minute samples)
        for (String f : List.of("窑", "磨")) {
            long point = EmergencyFixtures.point(jdbc, history.facilities().get(f));
            double kw = f.equals("窑") ? 70 : 30;
            EmergencyFixtures.samples(jdbc, point, today.minus(10, ChronoUnit.DAYS), 10 * 1440, i -> (i % 1440) / 60 >= 8 && (i % 1440) / 60 < 20 ? kw : 0);
        }
        Instant from = Instant.now();
        List<ProductionBaseline.OrderScope> scopes = List.of(
                new ProductionBaseline.OrderScope(-1, history.id(), List.of(), from),
                new ProductionBaseline.OrderScope(-2, history.id(), List.of(history.facilities().get("磨")), from),
                new ProductionBaseline.OrderScope(-3, none.id(), List.of(), from));
        Map<Long, ProductionBaseline.Baseline> bulk = baselines.forOrders(scopes);
        for (ProductionBaseline.OrderScope s : scopes) {
            ProductionBaseline.Baseline one = baselines.forOrder(s.enterpriseId(), s.facilityIds(), s.validFrom(), s.orderId());
            ProductionBaseline.Baseline b = bulk.get(s.orderId());
            assertNotNull(b);
            assertEquals(one.baselineKw(), b.baselineKw(), "kW of " + s);
            assertEquals(one.baselineDailyKwh(), b.baselineDailyKwh(), "daily kWh of " + s);
            assertEquals(one.method(), b.method());
            assertEquals(one.days(), b.days());
            assertEquals(one.note(), b.note());
        }
        assertEquals(ProductionBaseline.Method.HISTORY_30D, bulk.get(-1L).method(), "ten days of history: " + bulk.get(-1L).note());
        assertEquals(ProductionBaseline.Method.RATED, bulk.get(-3L).method());
    }

    @Test
    void readyBaselinesAreCopiedAtActivationAndAreTheOneByOneBaselines() throws Exception {
        jdbc.update("insert into region (code, name, level, parent_code) values ('610116', '长安区', 3, '610100') on conflict do nothing");
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2039;
        Ent history = enterprise("610116", "B", Map.of("1#线", Map.of("窑", 100.0), "2#线", Map.of("磨", 40.0)));
        Ent line = enterprise("610116", "C", Map.of("1#线", Map.of("窑", 80.0), "2#线", Map.of("磨", 30.0)));
        Ent rated = enterprise("610116", "D", Map.of("", Map.of("炉", 60.0)));
        Ent stale = enterprise("610116", "D", Map.of("", Map.of("炉", 50.0)));
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        for (Ent e : List.of(history, line)) {
            for (Map.Entry<String, Long> f : e.facilities().entrySet()) {
                long point = EmergencyFixtures.point(jdbc, f.getValue());
                double kw = f.getKey().equals("窑") ? 70 : 25;
                EmergencyFixtures.samples(jdbc, point, today.minus(10, ChronoUnit.DAYS), 10 * 1440,
                        i -> (i % 1440) / 60 >= 8 && (i % 1440) / 60 < 20 ? kw : 0);
            }
        }
        plan(admin, year, history.id(), "STOP", "ENTERPRISE", List.of(), null);
        plan(admin, year, line.id(), "LIMIT", "LINE", List.of(line.lines().get("2#线")), 30);
        plan(admin, year, rated.id(), "LIMIT", "ENTERPRISE", List.of(), 50);
        plan(admin, year, stale.id(), "STOP", "ENTERPRISE", List.of(), null);
        // made ready (the plans' own background refresh did it already: the same values)
        planBaselines.awaitIdle();
        planBaselines.refresh(List.of(history.id(), line.id(), rated.id(), stale.id()), false);
        Instant now = Instant.now();
        Map<String, Long> expectedKeys = Map.of(history.id() + "|", history.id(), line.id() + "|" + line.facilities().get("磨"), line.id(),
                rated.id() + "|", rated.id(), stale.id() + "|", stale.id());
        for (Map<String, Object> r : jdbc.queryForList("""
                select enterprise_id, facility_key, for_day, baseline_kw, baseline_daily_kwh, baseline_method, baseline_days, note
                from emergency_ready_baseline where enterprise_id in (?, ?, ?, ?)""", history.id(), line.id(), rated.id(), stale.id())) {
            long e = ((Number) r.get("enterprise_id")).longValue();
            String key = (String) r.get("facility_key");
            assertTrue(expectedKeys.containsKey(e + "|" + key), "unexpected ready set " + r);
            List<Long> facilities = key.isEmpty() ? List.of() : List.of(Long.valueOf(key));
            ProductionBaseline.Baseline one = baselines.forOrder(e, facilities, now, null);
            assertEquals(one.baselineKw(), r.get("baseline_kw"), "kW of " + r);
            assertEquals(one.baselineDailyKwh(), r.get("baseline_daily_kwh"), "daily kWh of " + r);
            assertEquals(one.method().name(), r.get("baseline_method"));
            assertEquals(one.note(), r.get("note"));
            assertEquals(now.atZone(ZoneId.of("Asia/Shanghai")).toLocalDate(), ((java.sql.Date) r.get("for_day")).toLocalDate());
        }
        assertEquals(4, jdbc.queryForObject("select count(*) from emergency_ready_baseline where enterprise_id in (?, ?, ?, ?)",
                Integer.class, history.id(), line.id(), rated.id(), stale.id()));
        // an order written after the ready value and overlapping its window makes it stale: that enterprise waits
        jdbc.update("""
                insert into production_order (enterprise_id, kind, valid_from, valid_to, source, reason)
                values (?, 'STOP', now() - interval '5 days', now() - interval '4 days', 'OTHER', 'test')""", stale.id());

        OffsetDateTime starts = OffsetDateTime.now(ZoneId.of("Asia/Shanghai")).minusMinutes(1).withSecond(0).withNano(0);
        ResponseEntity<Map> started = post(admin, "/api/emergency/warnings", map("level", "RED", "planYear", year,
                "startsAt", starts.toString(), "endsAt", starts.plusDays(1).toString(), "districtCodes", List.of("610116"),
                "document", "测试"));
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long w = ((Number) started.getBody().get("id")).longValue();
        // copied in the activation statement: taken then (computed_at = the order's creation, not pending); the stale one
        // waits for the background (pending, or already computed after its creation)
        List<Map<String, Object>> orders = jdbc.queryForList("""
                select o.id, o.enterprise_id, o.baseline_note,
                       o.baseline_computed_at = o.created_at and o.baseline_note <> '应急预警：基线计算中' as copied
                from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = ?""", w);
        assertEquals(4, orders.size());
        for (Map<String, Object> o : orders) {
            boolean isStale = ((Number) o.get("enterprise_id")).longValue() == stale.id();
            assertEquals(!isStale, o.get("copied"), "copied at once unless stale: " + o);
        }
        await("the stale enterprise's baseline, computed in the background", () -> jdbc.queryForObject("""
                select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = ? and o.baseline_note = '应急预警：基线计算中'""", Integer.class, w) == 0);
        for (Map<String, Object> o : orders) {
            long e = ((Number) o.get("enterprise_id")).longValue();
            ProductionOrders.ProductionOrder order = productionOrders.activeAt(e, Instant.now()).stream()
                    .filter(x -> x.id() == ((Number) o.get("id")).longValue()).findFirst().orElseThrow();
            ProductionBaseline.Baseline one = baselines.forOrder(e, order.facilityIds(), order.validFrom(), order.id());
            assertEquals(one.baselineKw(), order.baselineKw(), "kW of order " + o);
            assertEquals(one.baselineDailyKwh(), order.baselineDailyKwh(), "daily kWh of order " + o);
            assertEquals(one.method(), order.baselineMethod(), "method of order " + o);
            assertEquals(one.note(), jdbc.queryForObject("select baseline_note from production_order where id = ?", String.class, order.id()));
        }
        assertEquals(ProductionBaseline.Method.HISTORY_30D, productionOrders.activeAt(history.id(), Instant.now()).get(0).baselineMethod());
        assertEquals(ProductionBaseline.Method.RATED, productionOrders.activeAt(rated.id(), Instant.now()).get(0).baselineMethod());
        assertFalse(productionOrders.activeAt(stale.id(), Instant.now()).isEmpty());
    }

    private void plan(String token, int year, long enterpriseId, String measure, String scope, List<Long> targets, Integer percent) {
        ResponseEntity<Map> r = post(token, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", enterpriseId,
                "measure", measure, "scope", scope, "targetIds", targets, "limitPercent", percent));
        assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
    }
}
