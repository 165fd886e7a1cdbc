package com.powerwatch.platform.registry;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A district officer, an enterprise user and an API client see and change only what their scope allows, through every registry API. */
class ScopeIntegrationTest extends RegistryTestBase {

    private static final List<String> DENIED = List.of("403", "404");

    private static void denied(int status, String what) {
        assertTrue(DENIED.contains(String.valueOf(status)), what + " returned " + status);
    }

    private String snapshot(long enterpriseId) {
        return jdbc.queryForObject("""
                select (select row(e.name, e.district_code, e.status, e.updated_at)::text from enterprise e where e.id = ?)
                 || (select coalesce(string_agg(row(f.id, f.name, f.kind, f.run_above, f.updated_at)::text, ',' order by f.id), '') from facility f where f.enterprise_id = ?)
                 || (select coalesce(string_agg(row(p.id, p.name, p.channel, p.updated_at)::text, ',' order by p.id), '') from monitoring_point p
                        join facility f on f.id = p.facility_id where f.enterprise_id = ?)
                 || (select coalesce(string_agg(row(l.id, l.name)::text, ',' order by l.id), '') from production_line l where l.enterprise_id = ?)
                 || (select coalesce(string_agg(row(a.production_facility_id, a.treatment_facility_id, a.stop_lag_minutes)::text, ','), '')
                        from facility_association a join facility f on f.id = a.production_facility_id where f.enterprise_id = ?)
                 || (select coalesce(string_agg(d.mn, ',' order by d.mn), '') from data_logger d where d.enterprise_id = ?)""",
                String.class, enterpriseId, enterpriseId, enterpriseId, enterpriseId, enterpriseId, enterpriseId);
    }

    @Test
    void districtOfficerSeesAndChangesOnlyTheirDistrict() {
        TestRestTemplate admin = admin();
        Fixture mine = fixture(admin, YANTA);
        Fixture theirs = fixture(admin, WEIYANG);
        TestRestTemplate officer = as(Role.DISTRICT_OFFICER, List.of(YANTA), null);

        Map<String, Object> page = ok(call(officer, HttpMethod.GET, "/api/registry/enterprises?size=500", null), 200);
        List<?> items = (List<?>) page.get("items");
        assertTrue(items.stream().allMatch(i -> YANTA.equals(((Map<?, ?>) i).get("districtCode"))), "only 雁塔区");
        assertTrue(items.stream().anyMatch(i -> ((Number) ((Map<?, ?>) i).get("id")).longValue() == mine.enterpriseId()));
        assertEquals(0, ((Number) ok(call(officer, HttpMethod.GET, "/api/registry/enterprises?districtCode=" + WEIYANG, null), 200).get("total")).intValue(),
                "a filter cannot widen the scope");

        String before = snapshot(theirs.enterpriseId());
        long e = theirs.enterpriseId();
        Map<String, Object> body = enterpriseBody("抢来的", YANTA);
        Map<String, Object> facility = Map.of("name", "改", "kind", "PRODUCTION", "runAbove", 1);
        Map<String, Object> point = Map.of("name", "改", "mn", theirs.mn(), "channel", "9", "profile", "elec-a");
        Map<String, Object> assoc = Map.of("productionFacilityId", theirs.productionId(), "treatmentFacilityId", theirs.treatmentId(), "stopLagMinutes", 99);
        for (String url : List.of("/api/registry/enterprises/" + e, "/api/registry/enterprises/" + e + "/facilities",
                "/api/registry/enterprises/" + e + "/lines", "/api/registry/enterprises/" + e + "/data-loggers",
                "/api/registry/enterprises/" + e + "/associations", "/api/registry/facilities/" + theirs.productionId(),
                "/api/registry/facilities/" + theirs.productionId() + "/points", "/api/registry/points/" + theirs.pointId(),
                "/api/registry/lines/" + theirs.lineId(), "/api/registry/data-loggers/" + theirs.mn())) {
            denied(call(officer, HttpMethod.GET, url, null).getStatusCode().value(), "GET " + url);
        }
        denied(call(officer, HttpMethod.PUT, "/api/registry/enterprises/" + e, body).getStatusCode().value(), "PUT enterprise");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/enterprises/" + e, null).getStatusCode().value(), "close enterprise");
        denied(call(officer, HttpMethod.POST, "/api/registry/enterprises/" + e + "/facilities", facility).getStatusCode().value(), "POST facility");
        denied(call(officer, HttpMethod.PUT, "/api/registry/facilities/" + theirs.productionId(), facility).getStatusCode().value(), "PUT facility");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/facilities/" + theirs.treatmentId(), null).getStatusCode().value(), "DELETE facility");
        denied(call(officer, HttpMethod.POST, "/api/registry/enterprises/" + e + "/lines", Map.of("name", "x")).getStatusCode().value(), "POST line");
        denied(call(officer, HttpMethod.PUT, "/api/registry/lines/" + theirs.lineId(), Map.of("name", "x")).getStatusCode().value(), "PUT line");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/lines/" + theirs.lineId(), null).getStatusCode().value(), "DELETE line");
        denied(call(officer, HttpMethod.POST, "/api/registry/enterprises/" + e + "/data-loggers", null).getStatusCode().value(), "assign MN");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/data-loggers/" + theirs.mn(), null).getStatusCode().value(), "DELETE logger");
        denied(call(officer, HttpMethod.POST, "/api/registry/facilities/" + theirs.productionId() + "/points", point).getStatusCode().value(), "POST point");
        denied(call(officer, HttpMethod.PUT, "/api/registry/points/" + theirs.pointId(), point).getStatusCode().value(), "PUT point");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/points/" + theirs.pointId(), null).getStatusCode().value(), "DELETE point");
        denied(call(officer, HttpMethod.POST, "/api/registry/associations", assoc).getStatusCode().value(), "POST association");
        denied(call(officer, HttpMethod.PUT, "/api/registry/associations/" + theirs.productionId() + "/" + theirs.treatmentId(), assoc).getStatusCode().value(), "PUT association");
        denied(call(officer, HttpMethod.DELETE, "/api/registry/associations/" + theirs.productionId() + "/" + theirs.treatmentId(), null).getStatusCode().value(), "DELETE association");
        // mixing their facility into an association with mine is refused as well
        denied(call(officer, HttpMethod.POST, "/api/registry/associations", Map.of("productionFacilityId", mine.productionId(),
                "treatmentFacilityId", theirs.treatmentId())).getStatusCode().value(), "cross-district association");
        assertEquals(before, snapshot(theirs.enterpriseId()), "nothing changed in the other district");

        // in their own district they work normally, but cannot move an enterprise out of it or create one elsewhere
        ok(call(officer, HttpMethod.PUT, "/api/registry/facilities/" + mine.productionId(), Map.of("name", "喷涂室", "kind", "PRODUCTION", "runAbove", 6)), 200);
        Map<String, Object> move = enterpriseBody("挪走", WEIYANG);
        assertEquals(403, call(officer, HttpMethod.PUT, "/api/registry/enterprises/" + mine.enterpriseId(), move).getStatusCode().value());
        assertEquals(YANTA, jdbc.queryForObject("select district_code from enterprise where id = ?", String.class, mine.enterpriseId()));
        assertEquals(403, call(officer, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody(unique("外区"), WEIYANG)).getStatusCode().value());
        assertEquals(201, call(officer, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody(unique("本区"), YANTA)).getStatusCode().value());

        // an officer of the whole city sees both districts
        TestRestTemplate cityOfficer = as(Role.DISTRICT_OFFICER, List.of("610100"), null);
        ok(call(cityOfficer, HttpMethod.GET, "/api/registry/enterprises/" + theirs.enterpriseId(), null), 200);
    }

    @Test
    void enterpriseUserSeesOnlyItsOwnAndChangesNothing() {
        TestRestTemplate admin = admin();
        Fixture own = fixture(admin, YANTA);
        Fixture neighbour = fixture(admin, YANTA);
        TestRestTemplate user = as(Role.ENTERPRISE_USER, List.of(), own.enterpriseId());

        List<?> items = (List<?>) ok(call(user, HttpMethod.GET, "/api/registry/enterprises?size=500", null), 200).get("items");
        assertEquals(1, items.size());
        assertEquals(own.enterpriseId(), ((Number) ((Map<?, ?>) items.get(0)).get("id")).longValue());
        ok(call(user, HttpMethod.GET, "/api/registry/enterprises/" + own.enterpriseId(), null), 200);
        ok(call(user, HttpMethod.GET, "/api/registry/points/" + own.pointId(), null), 200);
        denied(call(user, HttpMethod.GET, "/api/registry/enterprises/" + neighbour.enterpriseId(), null).getStatusCode().value(), "neighbour");
        denied(call(user, HttpMethod.GET, "/api/registry/facilities/" + neighbour.productionId(), null).getStatusCode().value(), "neighbour facility");
        denied(call(user, HttpMethod.GET, "/api/registry/points/" + neighbour.pointId(), null).getStatusCode().value(), "neighbour point");

        String before = snapshot(own.enterpriseId());
        assertEquals(403, call(user, HttpMethod.PUT, "/api/registry/enterprises/" + own.enterpriseId(), enterpriseBody("改名", YANTA)).getStatusCode().value());
        assertEquals(403, call(user, HttpMethod.PUT, "/api/registry/facilities/" + own.productionId(), Map.of("name", "x", "kind", "PRODUCTION")).getStatusCode().value());
        assertEquals(403, call(user, HttpMethod.DELETE, "/api/registry/points/" + own.pointId(), null).getStatusCode().value());
        assertEquals(403, call(user, HttpMethod.POST, "/api/registry/enterprises/" + own.enterpriseId() + "/data-loggers", null).getStatusCode().value());
        assertEquals(403, call(user, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody("新", YANTA)).getStatusCode().value());
        assertEquals(before, snapshot(own.enterpriseId()));
    }

    @Test
    void apiClientReadsButNeverWrites() {
        TestRestTemplate admin = admin();
        Fixture f = fixture(admin, WEIYANG);
        TestRestTemplate client = as(Role.API_CLIENT, List.of(), null);
        ok(call(client, HttpMethod.GET, "/api/registry/enterprises/" + f.enterpriseId(), null), 200);
        String before = snapshot(f.enterpriseId());
        assertEquals(403, call(client, HttpMethod.PUT, "/api/registry/enterprises/" + f.enterpriseId(), enterpriseBody("x", WEIYANG)).getStatusCode().value());
        assertEquals(403, call(client, HttpMethod.DELETE, "/api/registry/facilities/" + f.productionId(), null).getStatusCode().value());
        assertEquals(403, call(client, HttpMethod.POST, "/api/registry/factor-profiles", Map.of("code", "x", "name", "x")).getStatusCode().value());
        assertEquals(before, snapshot(f.enterpriseId()));

        TestRestTemplate scoped = as(Role.API_CLIENT, List.of(YANTA), null);
        denied(call(scoped, HttpMethod.GET, "/api/registry/enterprises/" + f.enterpriseId(), null).getStatusCode().value(), "scoped client");
        List<?> items = (List<?>) ok(call(scoped, HttpMethod.GET, "/api/registry/enterprises?size=500", null), 200).get("items");
        assertFalse(items.stream().anyMatch(i -> WEIYANG.equals(((Map<?, ?>) i).get("districtCode"))));
        assertEquals(401, call(http, HttpMethod.GET, "/api/registry/enterprises", null).getStatusCode().value(), "no token, no data");
    }
}
