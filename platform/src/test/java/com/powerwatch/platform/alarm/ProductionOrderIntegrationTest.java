package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stop and limit orders: validation, scope, the engine's view, revocation. */
class ProductionOrderIntegrationTest extends AlarmTestBase {

    @Autowired
    ProductionOrders orders;

    private static final OffsetDateTime FROM = OffsetDateTime.parse("2025-12-01T00:00:00+08:00");

    private Map<String, Object> limit(Site s) {
        Map<String, Object> body = new HashMap<>();
        body.put("enterpriseId", s.enterpriseId());
        body.put("kind", "LIMIT");
        body.put("limitPercent", 50);
        body.put("facilityIds", List.of(s.productionId()));
        body.put("validFrom", FROM.toString());
        body.put("validTo", FROM.plusDays(3).toString());
        body.put("source", "EMERGENCY");
        body.put("sourceRef", "西安市重污染天气橙色预警");
        return body;
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    @Test
    void ordersAreValidated() {
        Site s = site(YANTA);
        Site other = site(YANTA);
        User admin = admin();
        String url = "/api/production-orders";
        Map<String, Object> good = limit(s);
        assertField(post(admin, url, with(good, "validTo", FROM.minusHours(1).toString())), "validTo");
        assertField(post(admin, url, with(good, "validTo", FROM.toString())), "validTo");
        assertField(post(admin, url, with(good, "limitPercent", 0)), "limitPercent");
        assertField(post(admin, url, with(good, "limitPercent", 100)), "limitPercent");
        assertField(post(admin, url, with(good, "limitPercent", null)), "limitPercent");
        assertField(post(admin, url, with(with(good, "kind", "STOP"), "limitPercent", 30)), "limitPercent");
        assertField(post(admin, url, with(good, "facilityIds", List.of(other.productionId()))), "facilityIds");
        assertField(post(admin, url, with(good, "facilityIds", List.of(s.treatmentId()))), "facilityIds");
        assertField(post(admin, url, with(good, "source", null)), "source");
        assertField(post(admin, url, with(good, "enterpriseId", null)), "enterpriseId");
        status(404, post(admin, url, with(good, "enterpriseId", 999_999_999L)), "no such enterprise");

        Map<String, Object> created = ok(post(admin, url, good), 201);
        assertEquals("LIMIT", created.get("kind"));
        assertEquals(List.of(((Number) s.productionId()).intValue()), ((List<?>) created.get("facilityIds")).stream()
                .map(v -> ((Number) v).intValue()).toList());
        Map<String, Object> stop = ok(post(admin, url, with(with(with(good, "kind", "STOP"), "limitPercent", null), "facilityIds", null)), 201);
        assertEquals(List.of(), stop.get("facilityIds"), "no facilities: the whole enterprise");
        assertEquals(2, jdbc.queryForObject("select count(*) from audit_log where action = 'PRODUCTION_ORDER_CREATED' and detail ->> 'enterpriseId' = ?",
                Integer.class, String.valueOf(s.enterpriseId())));
    }

    @Test
    void theEngineSeesOrdersInForceAndRevocationEndsThem() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        long id = ((Number) ok(post(officer, "/api/production-orders", limit(s)), 201).get("id")).longValue();
        Instant inside = FROM.plusDays(1).toInstant();
        List<ProductionOrders.ProductionOrder> active = orders.activeAt(s.enterpriseId(), inside);
        assertEquals(1, active.size());
        assertEquals(50.0, active.get(0).limitPercent());
        assertEquals(List.of(s.productionId()), active.get(0).facilityIds());
        assertEquals(0, orders.activeAt(s.enterpriseId(), FROM.plusDays(3).toInstant()).size(), "valid_to is exclusive");
        assertEquals(0, orders.activeAt(s.enterpriseId(), FROM.minusSeconds(1).toInstant()).size());

        List<?> viaApi = officer.http().exchange("/api/production-orders/active?enterpriseId=" + s.enterpriseId() + "&at="
                + "2025-12-02", HttpMethod.GET, null, List.class).getBody();
        assertEquals(1, viaApi.size());

        Map<String, Object> revoked = ok(post(officer, "/api/production-orders/" + id + "/revoke", Map.of("reason", "预警解除")), 200);
        assertEquals("REVOKED", revoked.get("status"));
        status(409, post(officer, "/api/production-orders/" + id + "/revoke", Map.of()), "revoke twice");
        assertEquals(0, orders.activeAt(s.enterpriseId(), inside).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void ordersAreScoped() {
        Site yanta = site(YANTA);
        Site weiyang = site(WEIYANG);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), yanta.enterpriseId());
        User operator = user(Role.OPERATOR, List.of(), null);
        status(403, post(officer, "/api/production-orders", limit(weiyang)), "an officer orders outside the district");
        status(403, post(company, "/api/production-orders", limit(yanta)), "an enterprise orders itself");
        status(403, post(operator, "/api/production-orders", limit(yanta)), "operators do not issue orders");
        long theirs = ((Number) ok(post(admin(), "/api/production-orders", limit(weiyang)), 201).get("id")).longValue();
        long mine = ((Number) ok(post(officer, "/api/production-orders", limit(yanta)), 201).get("id")).longValue();
        status(403, call(officer.http(), HttpMethod.GET, "/api/production-orders/" + theirs, null), "read outside");
        status(403, post(officer, "/api/production-orders/" + theirs + "/revoke", Map.of()), "revoke outside");
        status(403, call(officer.http(), HttpMethod.GET, "/api/production-orders/active?enterpriseId=" + weiyang.enterpriseId(), null),
                "the engine view outside");
        Map<String, Object> list = ok(call(officer.http(), HttpMethod.GET, "/api/production-orders?size=500", null), 200);
        List<?> ids = ((List<Map<String, Object>>) list.get("items")).stream().map(m -> ((Number) m.get("id")).longValue()).toList();
        assertTrue(ids.contains(mine) && !ids.contains(theirs), ids.toString());
        Map<String, Object> own = ok(call(company.http(), HttpMethod.GET, "/api/production-orders", null), 200);
        assertEquals(1L, ((Number) own.get("total")).longValue());
        assertEquals(1L, ((Number) ok(call(officer.http(), HttpMethod.GET, "/api/production-orders?activeAt=2025-12-02&enterpriseId="
                + yanta.enterpriseId(), null), 200).get("total")).longValue());
    }

    private static void assertField(org.springframework.http.ResponseEntity<Map<String, Object>> r, String field) {
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals(field, r.getBody().get("field"), String.valueOf(r.getBody()));
    }
}
