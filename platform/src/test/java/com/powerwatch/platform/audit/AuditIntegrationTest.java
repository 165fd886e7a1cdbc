package com.powerwatch.platform.audit;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logins and every change through the API land in the audit log, searchable by the administrator, with no secrets in it. */
class AuditIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    AuditLog auditLog;

    private String adminName(String token) {
        return (String) get(token, "/api/auth/me").getBody().get("username");
    }

    private List<Map<String, Object>> search(String admin, String query) {
        ResponseEntity<Map> r = get(admin, "/api/admin/audit?" + query);
        assertEquals(200, r.getStatusCode().value(), query + " -> " + r.getBody());
        return (List<Map<String, Object>>) r.getBody().get("items");
    }

    @Test
    void aChangeThroughTheApiAndLoginsAreAuditedWithoutSecrets() {
        String admin = AuthTestSupport.adminToken(jdbc);
        String adminName = adminName(admin);
        String name = unique("audited");
        String secret = "Secret-Pass-4711";
        ResponseEntity<Map> created = post(admin, "/api/admin/users", Map.of("username", name, "role", "OPERATOR", "password", secret));
        assertEquals(201, created.getStatusCode().value());
        long id = ((Number) ((Map<?, ?>) created.getBody().get("user")).get("id")).longValue();

        List<Map<String, Object>> requests = search(admin, "username=" + adminName + "&action=API_REQUEST");
        assertEquals(1, requests.size(), requests.toString());
        Map<String, Object> row = requests.get(0);
        assertEquals("POST /api/admin/users", row.get("target"));
        assertEquals("/api/admin/users", row.get("route"));
        assertEquals(201, row.get("status"));
        assertEquals("SUCCESS", row.get("outcome"));
        assertEquals("CITY_ADMIN", row.get("role"));
        assertTrue(String.valueOf(row.get("ip")).contains("127.0.0.1") || String.valueOf(row.get("ip")).contains(":"), row.toString());
        Map<?, ?> body = (Map<?, ?>) ((Map<?, ?>) row.get("detail")).get("body");
        assertEquals(name, body.get("username"));
        assertEquals("***", body.get("password"), "the password is masked in the body summary");

        List<Map<String, Object>> domain = search(admin, "action=USER_CREATED&q=" + name);
        assertEquals(1, domain.size());
        assertEquals("user:" + id, domain.get(0).get("target"));
        assertEquals(adminName, domain.get(0).get("username"));

        // logins: success and failure, then a password change
        assertEquals(401, login(name, "Wrong-Guess-2026").getStatusCode().value());
        String session = loginToken(name, secret);
        assertEquals(200, post(session, "/api/auth/password", Map.of("oldPassword", secret, "newPassword", "Other-Secret-99"))
                .getStatusCode().value());
        List<Map<String, Object>> mine = search(admin, "username=" + name);
        List<String> actions = mine.stream().map(m -> m.get("action") + "/" + m.get("outcome")).toList();
        assertTrue(actions.containsAll(List.of("LOGIN_FAILED/FAILURE", "LOGIN/SUCCESS", "PASSWORD_CHANGED/SUCCESS", "API_REQUEST/SUCCESS")),
                actions.toString());
        assertEquals("PASSWORD_CHANGED", mine.get(0).get("action").equals("API_REQUEST") ? mine.get(1).get("action") : mine.get(0).get("action"),
                "newest first");
        // an unknown user's failed login is recorded under the name typed
        String ghost = unique("ghost");
        login(ghost, "Whatever-123");
        List<Map<String, Object>> ghosts = search(admin, "username=" + ghost + "&action=login_failed&outcome=failure");
        assertEquals(1, ghosts.size());
        assertEquals("UNKNOWN_USER", ((Map<?, ?>) ghosts.get(0).get("detail")).get("reason"));

        // a body that is not valid JSON is summarised, never stored as text
        ResponseEntity<String> broken = http.exchange("/api/auth/password", HttpMethod.POST,
                new HttpEntity<>("{\"oldPassword\": \"Other-Secret-99\", \"newPassword\": \"Broken-Secret-77", headers(session)), String.class);
        assertEquals(400, broken.getStatusCode().value());

        Integer leaks = jdbc.queryForObject("""
                select count(*) from audit_log where detail::text like any (array['%Secret-Pass-4711%', '%Other-Secret-99%',
                  '%Broken-Secret-77%', '%Wrong-Guess-2026%', '%Whatever-123%'])""", Integer.class);
        assertEquals(0, leaks, "no password in any audit row");
        Integer tokenLeaks = jdbc.queryForObject("select count(*) from audit_log where detail::text like ?", Integer.class, "%" + session + "%");
        assertEquals(0, tokenLeaks);
    }

    @Test
    void searchFiltersByTimeOutcomeAndTextAndPagesNewestFirst() {
        String admin = AuthTestSupport.adminToken(jdbc);
        String operator = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        String operatorName = adminName(operator);
        String marker = unique("marker");
        // refused by a role rule: still recorded, as DENIED
        assertEquals(403, post(operator, "/api/admin/users", Map.of("username", marker, "role", "CITY_ADMIN")).getStatusCode().value());
        assertEquals(403, post(operator, "/api/admin/api-clients", Map.of("username", marker + "x")).getStatusCode().value());

        List<Map<String, Object>> denied = search(admin, "username=" + operatorName + "&outcome=DENIED");
        assertEquals(2, denied.size(), denied.toString());
        assertEquals("POST /api/admin/api-clients", denied.get(0).get("target"), "newest first");
        assertEquals(403, denied.get(1).get("status"));

        assertEquals(2, search(admin, "q=" + marker).size(), "free text finds the body");
        assertEquals(0, search(admin, "username=" + operatorName + "&outcome=SUCCESS").size());
        // the URL template encodes; UTC times so there is no '+' to lose
        String future = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).toString();
        String past = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString();
        assertEquals(0, search(admin, "username=" + operatorName + "&from=" + future).size());
        assertEquals(2, search(admin, "username=" + operatorName + "&from=" + past + "&to=" + future).size());

        ResponseEntity<Map> page = get(admin, "/api/admin/audit?username=" + operatorName + "&size=1&page=1");
        assertEquals(2, ((Number) page.getBody().get("total")).intValue());
        List<?> items = (List<?>) page.getBody().get("items");
        assertEquals(1, items.size());
        assertEquals("POST /api/admin/users", ((Map<?, ?>) items.get(0)).get("target"));

        assertEquals(400, get(admin, "/api/admin/audit?outcome=MAYBE").getStatusCode().value());
        assertEquals(400, get(admin, "/api/admin/audit?size=100000").getStatusCode().value());
        assertEquals(400, get(admin, "/api/admin/audit?from=yesterday").getStatusCode().value());
        assertEquals(200, get(admin, "/api/admin/audit?q=100%_\\").getStatusCode().value());
    }

    @Test
    void featuresRecordDomainEventsForTheCurrentUserWithSecretsMasked() {
        PowerWatchUser officer = new PowerWatchUser(4242, "officer-4242", Role.DISTRICT_OFFICER, List.of("610113"), null, false);
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(officer, null, List.of()));
        try {
            auditLog.record("ALARM_CONFIRMED", "alarm:77", Map.of("note", "现场核实", "nested", Map.of("apiToken", "tok-123", "n", 1)));
        } finally {
            SecurityContextHolder.clearContext();
        }
        String admin = AuthTestSupport.adminToken(jdbc);
        List<Map<String, Object>> rows = search(admin, "action=ALARM_CONFIRMED&username=officer-4242");
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals(4242, ((Number) row.get("userId")).intValue());
        assertEquals("DISTRICT_OFFICER", row.get("role"));
        assertEquals("alarm:77", row.get("target"));
        Map<?, ?> detail = (Map<?, ?>) row.get("detail");
        assertEquals("现场核实", detail.get("note"));
        assertEquals("***", ((Map<?, ?>) detail.get("nested")).get("apiToken"));
        assertFalse(detail.toString().contains("tok-123"));
    }
}
