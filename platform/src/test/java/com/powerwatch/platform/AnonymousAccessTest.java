package com.powerwatch.platform;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.auth.TokenHashing;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is open by accident: every handler method of every controller in the application — including those
 * added later — answers 401 to an anonymous call, with every HTTP method it accepts. Only the list below is open.
 */
class AnonymousAccessTest extends AuthIntegrationTestBase {

    /** What SecurityConfig deliberately leaves open. Adding to it needs a reason in docs/security.md. */
    private static boolean isPublic(String pattern) {
        return pattern.equals("/api/auth/login") || pattern.equals("/error")
                || pattern.startsWith("/v3/api-docs") || pattern.startsWith("/swagger-ui")
                // the web app's page routes answer its HTML shell; every datum comes from /api with a token
                || java.util.Arrays.asList(com.powerwatch.platform.auth.SecurityConfig.WEB_APP).contains(pattern);
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointRejectsAnonymousCalls() {
        Set<String> checked = new TreeSet<>();
        List<String> open = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            if (methods.isEmpty()) { // a mapping without a method accepts them all
                methods = EnumSet.of(RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
                        RequestMethod.PATCH);
            }
            for (String pattern : info.getPatternValues()) {
                if (isPublic(pattern)) {
                    continue;
                }
                String url = concrete(pattern);
                for (RequestMethod method : methods) {
                    if (method == RequestMethod.OPTIONS || method == RequestMethod.HEAD || method == RequestMethod.TRACE) {
                        continue;
                    }
                    ResponseEntity<Map> r = call(null, HttpMethod.valueOf(method.name()), url,
                            method == RequestMethod.GET ? null : Map.of());
                    checked.add(method + " " + pattern);
                    if (r.getStatusCode().value() != 401 || !"UNAUTHORIZED".equals(r.getBody().get("error"))) {
                        open.add(method + " " + url + " -> " + r.getStatusCode() + " " + r.getBody());
                    }
                }
            }
        }
        assertTrue(checked.size() > 10, "the test found only " + checked + ": it would pass vacuously");
        assertTrue(checked.contains("POST /api/admin/users") && checked.contains("GET /api/ingest/stats"), checked.toString());
        assertEquals(List.of(), open, "endpoints answering anonymous calls (of " + checked.size() + " checked)");
    }

    /** {@code /api/x/{id}/y/{name:[a-z]+}} → {@code /api/x/1/y/1}. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{[^/]+?}(?=/|$)", "1").replace("/**", "/1").replace("/*", "/1");
    }

    @Test
    void actuatorNeedsATokenExceptHealth() {
        assertEquals(200, get(null, "/actuator/health").getStatusCode().value());
        for (String url : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/actuator")) {
            assertEquals(401, call(null, HttpMethod.GET, url, null).getStatusCode().value(), url);
        }
        String prometheus = AuthTestSupport.token(jdbc, Role.API_CLIENT, List.of(), null);
        assertEquals(200, http.exchange("/actuator/prometheus", HttpMethod.GET,
                new org.springframework.http.HttpEntity<>(headers(prometheus)), String.class).getStatusCode().value());
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(), null);
        assertEquals(403, get(officer, "/actuator/metrics").getStatusCode().value());
    }

    @Test
    void badExpiredIdleRevokedAndDisabledTokensGet401() {
        String valid = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        assertEquals(200, get(valid, "/api/auth/me").getStatusCode().value(), "a valid token works (so the 401s below mean something)");

        ResponseEntity<Map> garbage = get("not-a-token", "/api/auth/me");
        assertEquals(401, garbage.getStatusCode().value());
        assertTrue(String.valueOf(garbage.getBody().get("message")).contains("登录已失效"), garbage.getBody().toString());
        assertEquals(401, call("", HttpMethod.GET, "/api/auth/me", null).getStatusCode().value());

        long userId = jdbc.queryForObject("select id from app_user where role = 'OPERATOR' order by id desc limit 1", Long.class);
        assertEquals(401, get(token(userId, "SESSION", "now() - interval '1 minute'", null, null), "/api/auth/me").getStatusCode().value(), "expired");
        assertEquals(401, get(token(userId, "SESSION", "now() + interval '1 hour'", "now() - interval '3 hours'", null), "/api/auth/me")
                .getStatusCode().value(), "idle longer than the idle timeout");
        assertEquals(200, get(token(userId, "API", null, "now() - interval '30 days'", null), "/api/auth/me")
                .getStatusCode().value(), "API tokens have no idle timeout");
        assertEquals(401, get(token(userId, "SESSION", null, null, "now()"), "/api/auth/me").getStatusCode().value(), "revoked");

        String disabled = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        jdbc.update("update app_user set enabled = false where id = (select user_id from auth_token where token_hash = ?)",
                TokenHashing.hash(disabled));
        assertEquals(401, get(disabled, "/api/auth/me").getStatusCode().value(), "user disabled");
    }

    private String token(long userId, String kind, String expiresSql, String lastUsedSql, String revokedSql) {
        String token = TokenHashing.newToken();
        jdbc.update("insert into auth_token (token_hash, user_id, kind, expires_at, last_used_at, revoked_at, created_at) values (?, ?, ?, "
                + expiresSql + ", " + lastUsedSql + ", " + revokedSql + ", " + (lastUsedSql == null ? "now()" : lastUsedSql) + ")",
                TokenHashing.hash(token), userId, kind);
        return token;
    }

    @Test
    void ingestionIsForAdministratorsAndOperatorsOnly() {
        long[] enterprises = enterprises();
        Map<Role, Integer> expected = Map.of(Role.CITY_ADMIN, 200, Role.OPERATOR, 200, Role.DISTRICT_OFFICER, 403,
                Role.ENTERPRISE_USER, 403, Role.API_CLIENT, 403);
        for (var e : expected.entrySet()) {
            String token = AuthTestSupport.token(jdbc, e.getKey(), e.getKey() == Role.DISTRICT_OFFICER ? List.of("610113") : List.of(),
                    e.getKey() == Role.ENTERPRISE_USER ? enterprises[0] : null);
            assertEquals(e.getValue(), get(token, "/api/ingest/stats").getStatusCode().value(), e.getKey() + " reads ingest stats");
            int command = post(token, "/api/ingest/devices/NOSUCHMN/commands", Map.of("type", "set-time")).getStatusCode().value();
            if (e.getValue() == 200) {
                assertEquals(409, command, e.getKey() + " may send a command (the device is offline)");
            } else {
                assertEquals(403, command, e.getKey() + " sends a device command");
            }
        }
    }
}
