package com.powerwatch.platform.registry;

import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One application context (embedded PostgreSQL) shared by the registry's integration test classes. */
abstract class RegistryTestBase extends PlatformIntegrationTest {

    static final String YANTA = "610113";   // 西安市雁塔区
    static final String WEIYANG = "610112"; // 西安市未央区

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;

    TestRestTemplate as(Role role, List<String> regions, Long enterpriseId) {
        return AuthTestSupport.as(http, AuthTestSupport.token(jdbc, role, regions, enterpriseId));
    }

    TestRestTemplate admin() {
        return as(Role.CITY_ADMIN, List.of(), null);
    }

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    static ResponseEntity<Map<String, Object>> call(TestRestTemplate t, HttpMethod method, String url, Object body) {
        return t.exchange(url, method, body == null ? null : new HttpEntity<>(body), MAP);
    }

    static Map<String, Object> ok(ResponseEntity<Map<String, Object>> r, int status) {
        assertEquals(status, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> enterpriseBody(String name, String district) {
        return new java.util.HashMap<>(Map.of("name", name, "districtCode", district, "industryCode", "3360",
                "permitClass", "KEY", "emergencyGrade", "B", "address", "西安市", "longitude", 108.94, "latitude", 34.21,
                "contacts", List.of(Map.of("name", "王工", "role", "环保负责人", "phone", "13800000000"))));
    }

    long createEnterprise(TestRestTemplate t, String district) {
        Map<String, Object> e = ok(call(t, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody(unique("企业"), district)), 201);
        return ((Number) e.get("id")).longValue();
    }

    /** An enterprise with a production and a treatment facility, a line, a logger, a point and an association. */
    record Fixture(long enterpriseId, long lineId, long productionId, long treatmentId, String mn, long pointId) {
    }

    Fixture fixture(TestRestTemplate t, String district) {
        long e = createEnterprise(t, district);
        long line = id(ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + e + "/lines", Map.of("name", "1#喷涂线")), 201));
        long prod = id(ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + e + "/facilities", Map.of("name", "喷涂室",
                "kind", "PRODUCTION", "productionLineId", line, "processType", "喷涂线", "ratedKw", 55, "stopBelow", 2, "runAbove", 5)), 201));
        long treat = id(ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + e + "/facilities", Map.of("name", "活性炭吸附",
                "kind", "TREATMENT", "processType", "活性炭吸附", "ratedKw", 15, "stopBelow", 0.5, "runAbove", 1, "abnormalBelow", 3)), 201));
        String mn = (String) ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + e + "/data-loggers", Map.of("vendor", "测试")), 201).get("mn");
        long point = id(ok(call(t, HttpMethod.POST, "/api/registry/facilities/" + prod + "/points", Map.of("name", "喷涂室电表",
                "mn", mn, "channel", "100001", "profile", "elec-a", "ctRatio", 20)), 201));
        ok(call(t, HttpMethod.POST, "/api/registry/associations", Map.of("productionFacilityId", prod, "treatmentFacilityId", treat)), 201);
        return new Fixture(e, line, prod, treat, mn, point);
    }

    static long id(Map<String, Object> body) {
        return ((Number) body.get("id")).longValue();
    }
}
