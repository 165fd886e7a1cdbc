package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The city administrator's user and API-client management, role rules, and scoping in SQL. */
class UserAdminIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    NamedParameterJdbcTemplate named;

    private Map<String, Object> fields(String username, Role role, List<String> regions, Long enterpriseId) {
        Map<String, Object> m = new HashMap<>();
        m.put("username", username);
        m.put("displayName", "测试 " + role);
        m.put("role", role == null ? null : role.name());
        m.put("regions", regions);
        m.put("enterpriseId", enterpriseId);
        return m;
    }

    @Test
    void anAdministratorCreatesUsersOfEveryRole() {
        long[] enterprises = enterprises();
        String admin = AuthTestSupport.adminToken(jdbc);
        Map<Role, Map<String, Object>> requests = Map.of(
                Role.CITY_ADMIN, fields(unique("city"), Role.CITY_ADMIN, null, null),
                Role.OPERATOR, fields(unique("ops"), Role.OPERATOR, List.of(), null),
                Role.DISTRICT_OFFICER, fields(unique("yanta"), Role.DISTRICT_OFFICER, List.of("610113"), null),
                Role.ENTERPRISE_USER, fields(unique("factory"), Role.ENTERPRISE_USER, null, enterprises[0]));
        for (var e : requests.entrySet()) {
            ResponseEntity<Map> r = post(admin, "/api/admin/users", e.getValue());
            assertEquals(201, r.getStatusCode().value(), e.getKey() + ": " + r.getBody());
            Map<?, ?> user = (Map<?, ?>) r.getBody().get("user");
            assertEquals(e.getKey().name(), user.get("role"));
            assertEquals(true, user.get("mustChangePassword"));
            String temporary = (String) r.getBody().get("temporaryPassword");
            assertNotNull(temporary);
            ResponseEntity<Map> login = login((String) e.getValue().get("username"), temporary);
            assertEquals(200, login.getStatusCode().value());
            assertEquals(true, login.getBody().get("mustChangePassword"), "a temporary password must be changed");
        }
        Map<?, ?> officer = (Map<?, ?>) getList(admin, "/api/admin/users?q=" + requests.get(Role.DISTRICT_OFFICER).get("username"))
                .getBody().get(0);
        assertEquals(List.of("610113"), officer.get("regions"));
        Map<?, ?> factory = (Map<?, ?>) getList(admin, "/api/admin/users?role=ENTERPRISE_USER&q="
                + requests.get(Role.ENTERPRISE_USER).get("username")).getBody().get(0);
        assertEquals(enterprises[0], ((Number) factory.get("enterpriseId")).longValue());

        // a password chosen by the administrator is checked and must still be changed
        Map<String, Object> withPassword = fields(unique("chosen"), Role.OPERATOR, null, null);
        withPassword.put("password", "weak");
        ResponseEntity<Map> weak = post(admin, "/api/admin/users", withPassword);
        assertEquals(400, weak.getStatusCode().value());
        assertEquals("password", weak.getBody().get("field"));
        withPassword.put("password", GOOD_PASSWORD);
        ResponseEntity<Map> chosen = post(admin, "/api/admin/users", withPassword);
        assertEquals(201, chosen.getStatusCode().value());
        assertNull(chosen.getBody().get("temporaryPassword"));
        assertEquals(true, login((String) withPassword.get("username"), GOOD_PASSWORD).getBody().get("mustChangePassword"));
    }

    @Test
    void invalidUsersAreRefusedWithTheFieldNamed() {
        long[] enterprises = enterprises();
        String admin = AuthTestSupport.adminToken(jdbc);
        record Case(Map<String, Object> body, int status, String field) {
        }
        String taken = unique("taken");
        assertEquals(201, post(admin, "/api/admin/users", fields(taken, Role.OPERATOR, null, null)).getStatusCode().value());
        List<Case> cases = List.of(
                new Case(fields(unique("o"), Role.DISTRICT_OFFICER, List.of(), null), 400, "regions"),
                new Case(fields(unique("o"), Role.DISTRICT_OFFICER, null, null), 400, "regions"),
                new Case(fields(unique("o"), Role.DISTRICT_OFFICER, List.of("999999"), null), 400, "regions"),
                new Case(fields(unique("e"), Role.ENTERPRISE_USER, null, null), 400, "enterpriseId"),
                new Case(fields(unique("e"), Role.ENTERPRISE_USER, null, 987654321L), 400, "enterpriseId"),
                new Case(fields(unique("e"), Role.ENTERPRISE_USER, List.of("610113"), enterprises[0]), 400, "regions"),
                new Case(fields(unique("p"), Role.OPERATOR, List.of("610113"), null), 400, "regions"),
                new Case(fields(unique("p"), Role.OPERATOR, null, enterprises[0]), 400, "enterpriseId"),
                new Case(fields(unique("p"), null, null, null), 400, "role"),
                new Case(fields(unique("c"), Role.API_CLIENT, null, null), 400, "role"),
                new Case(fields("x", Role.OPERATOR, null, null), 400, "username"),
                new Case(fields("bad name!", Role.OPERATOR, null, null), 400, "username"),
                new Case(fields(taken.toUpperCase(), Role.OPERATOR, null, null), 409, null));
        for (Case c : cases) {
            ResponseEntity<Map> r = post(admin, "/api/admin/users", c.body());
            assertEquals(c.status(), r.getStatusCode().value(), c.body() + " -> " + r.getBody());
            assertEquals(c.field(), r.getBody().get("field"), c.body() + " -> " + r.getBody());
            assertEquals(0, jdbc.queryForObject("select count(*) from app_user where username = ?", Integer.class, c.body().get("username")),
                    "nothing written for " + c.body());
        }
        Map<String, Object> badRole = fields(unique("r"), Role.OPERATOR, null, null);
        badRole.put("role", "KING");
        assertEquals(400, post(admin, "/api/admin/users", badRole).getStatusCode().value());
        assertEquals(404, get(admin, "/api/admin/users/987654321").getStatusCode().value());
    }

    @Test
    void onlyTheCityAdministratorManagesUsers() {
        long[] enterprises = enterprises();
        List<String> tokens = List.of(
                AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null),
                AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null),
                AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), enterprises[0]),
                AuthTestSupport.token(jdbc, Role.API_CLIENT, List.of(), null));
        for (String token : tokens) {
            String role = (String) get(token, "/api/auth/me").getBody().get("role");
            for (String url : List.of("/api/admin/users", "/api/admin/api-clients", "/api/admin/audit")) {
                assertEquals(403, get(token, url).getStatusCode().value(), role + " GET " + url);
            }
            String name = unique("sneaky");
            ResponseEntity<Map> r = post(token, "/api/admin/users", fields(name, Role.CITY_ADMIN, null, null));
            assertEquals(403, r.getStatusCode().value(), role);
            assertEquals("FORBIDDEN", r.getBody().get("error"));
            assertEquals(0, jdbc.queryForObject("select count(*) from app_user where username = ?", Integer.class, name));
        }
    }

    @Test
    void anApiClientReadsWithItsTokenCannotWriteAndIsRevoked() {
        String admin = AuthTestSupport.adminToken(jdbc);
        String name = unique("prometheus");
        ResponseEntity<Map> created = post(admin, "/api/admin/api-clients",
                Map.of("username", name, "displayName", "省厅数据共享平台", "regions", List.of("610100")));
        assertEquals(201, created.getStatusCode().value(), String.valueOf(created.getBody()));
        String token = (String) created.getBody().get("token");
        long id = ((Number) ((Map<?, ?>) created.getBody().get("client")).get("id")).longValue();
        assertEquals(0, jdbc.queryForObject("select count(*) from auth_token where token_hash = ?", Integer.class, token),
                "the token itself is never stored");
        assertEquals(1, jdbc.queryForObject("select count(*) from auth_token where token_hash = ? and kind = 'API'", Integer.class,
                TokenHashing.hash(token)));

        ResponseEntity<Map> me = get(token, "/api/auth/me");
        assertEquals(200, me.getStatusCode().value());
        assertEquals("API_CLIENT", me.getBody().get("role"));
        assertEquals(List.of("610100"), me.getBody().get("regions"));
        assertEquals(200, http.exchange("/actuator/prometheus", HttpMethod.GET,
                new org.springframework.http.HttpEntity<>(headers(token)), String.class).getStatusCode().value());
        // reading yes, writing never
        assertEquals(403, post(token, "/api/auth/password", Map.of("oldPassword", "x", "newPassword", "y")).getStatusCode().value());
        assertEquals(403, post(token, "/api/auth/logout", null).getStatusCode().value());
        assertEquals(403, call(token, HttpMethod.PUT, "/api/admin/users/" + id, Map.of()).getStatusCode().value());

        List<?> clients = getList(admin, "/api/admin/api-clients").getBody();
        Map<?, ?> listed = (Map<?, ?>) clients.stream().filter(c -> name.equals(((Map<?, ?>) ((Map<?, ?>) c).get("client")).get("username")))
                .findFirst().orElseThrow();
        List<?> tokenInfos = (List<?>) listed.get("tokens");
        assertEquals(1, tokenInfos.size());
        assertEquals(TokenHashing.hash(token).substring(0, 12), ((Map<?, ?>) tokenInfos.get(0)).get("tokenId"));
        assertFalse(listed.toString().contains(token));

        ResponseEntity<Map> rotated = post(admin, "/api/admin/api-clients/" + id + "/rotate", Map.of("validDays", 30));
        assertEquals(200, rotated.getStatusCode().value());
        String newToken = (String) rotated.getBody().get("token");
        assertNotNull(rotated.getBody().get("expiresAt"));
        assertEquals(401, get(token, "/api/auth/me").getStatusCode().value(), "the rotated-out token is dead at once");
        assertEquals(200, get(newToken, "/api/auth/me").getStatusCode().value());

        assertEquals(200, post(admin, "/api/admin/api-clients/" + id + "/revoke", null).getStatusCode().value());
        assertEquals(401, get(newToken, "/api/auth/me").getStatusCode().value(), "revoked");
        long operator = user(unique("op"), Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        assertEquals(404, post(admin, "/api/admin/api-clients/" + operator + "/rotate", null).getStatusCode().value(),
                "only API clients have API tokens");
        assertEquals(400, post(admin, "/api/admin/api-clients", Map.of("username", unique("c"), "regions", List.of("000001")))
                .getStatusCode().value());
    }

    @Test
    void disablingEndsSessionsResetSetsATemporaryPasswordAndUpdatesApplyAtOnce() {
        long[] enterprises = enterprises();
        String admin = AuthTestSupport.adminToken(jdbc);
        String name = unique("worker");
        long id = user(name, Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of("610113"), null);
        String session = loginToken(name, GOOD_PASSWORD);
        assertEquals(200, get(session, "/api/auth/me").getStatusCode().value()); // now cached

        // a change of scope applies to the running session immediately
        ResponseEntity<Map> updated = call(admin, HttpMethod.PUT, "/api/admin/users/" + id,
                Map.of("displayName", "李四", "role", "DISTRICT_OFFICER", "regions", List.of("610112", "610113")));
        assertEquals(200, updated.getStatusCode().value(), String.valueOf(updated.getBody()));
        assertEquals(List.of("610112", "610113"), get(session, "/api/auth/me").getBody().get("regions"));
        assertEquals(400, call(admin, HttpMethod.PUT, "/api/admin/users/" + id,
                Map.of("role", "DISTRICT_OFFICER", "regions", List.of())).getStatusCode().value(), "officer without a region");
        assertEquals(400, call(admin, HttpMethod.PUT, "/api/admin/users/" + id,
                Map.of("role", "API_CLIENT")).getStatusCode().value());
        ResponseEntity<Map> toEnterprise = call(admin, HttpMethod.PUT, "/api/admin/users/" + id,
                Map.of("role", "ENTERPRISE_USER", "enterpriseId", enterprises[1]));
        assertEquals(200, toEnterprise.getStatusCode().value());
        assertEquals("ENTERPRISE_USER", get(session, "/api/auth/me").getBody().get("role"));

        ResponseEntity<Map> disabled = post(admin, "/api/admin/users/" + id + "/disable", null);
        assertEquals(200, disabled.getStatusCode().value());
        assertEquals(false, disabled.getBody().get("enabled"));
        assertEquals(401, get(session, "/api/auth/me").getStatusCode().value(), "disabling ends the session at once");
        assertEquals(401, login(name, GOOD_PASSWORD).getStatusCode().value(), "and login");
        assertEquals(200, post(admin, "/api/admin/users/" + id + "/enable", null).getStatusCode().value());
        assertEquals(401, get(session, "/api/auth/me").getStatusCode().value(), "enabling does not revive old tokens");
        String again = loginToken(name, GOOD_PASSWORD);

        ResponseEntity<Map> reset = post(admin, "/api/admin/users/" + id + "/reset-password", null);
        assertEquals(200, reset.getStatusCode().value());
        String temporary = (String) reset.getBody().get("temporaryPassword");
        assertEquals(401, get(again, "/api/auth/me").getStatusCode().value(), "a reset ends the sessions");
        assertEquals(401, login(name, GOOD_PASSWORD).getStatusCode().value(), "the old password is gone");
        assertEquals(true, login(name, temporary).getBody().get("mustChangePassword"));
    }

    @Test
    void theLastActiveCityAdministratorCannotBeDisabledOrDemoted() {
        String name = unique("boss");
        long id = user(name, Role.CITY_ADMIN, GOOD_PASSWORD, List.of(), null);
        String boss = loginToken(name, GOOD_PASSWORD);
        List<Long> others = jdbc.queryForList("select id from app_user where role = 'CITY_ADMIN' and enabled and id <> ?", Long.class, id);
        jdbc.update("update app_user set enabled = false where id in (" + String.join(",", others.stream().map(String::valueOf).toList()) + ")");
        try {
            ResponseEntity<Map> disable = post(boss, "/api/admin/users/" + id + "/disable", null);
            assertEquals(409, disable.getStatusCode().value(), String.valueOf(disable.getBody()));
            assertTrue(String.valueOf(disable.getBody().get("message")).contains("唯一在用的市局管理员"));
            ResponseEntity<Map> demote = call(boss, HttpMethod.PUT, "/api/admin/users/" + id, Map.of("role", "OPERATOR"));
            assertEquals(409, demote.getStatusCode().value());
            assertEquals("CITY_ADMIN", jdbc.queryForObject("select role from app_user where id = ?", String.class, id));
            assertEquals(true, jdbc.queryForObject("select enabled from app_user where id = ?", Boolean.class, id));

            // with a second administrator it is allowed
            String second = unique("deputy");
            long deputy = user(second, Role.CITY_ADMIN, GOOD_PASSWORD, List.of(), null);
            ResponseEntity<Map> demoted = call(boss, HttpMethod.PUT, "/api/admin/users/" + deputy, Map.of("role", "OPERATOR"));
            assertEquals(200, demoted.getStatusCode().value(), "deputy demoted while boss remains");
            assertEquals(409, post(boss, "/api/admin/users/" + id + "/disable", null).getStatusCode().value(), "boss is last again");
        } finally {
            if (!others.isEmpty()) {
                jdbc.update("update app_user set enabled = true where id in (" + String.join(",", others.stream().map(String::valueOf).toList()) + ")");
            }
        }
    }

    /** The contract other features build on: AccessScope's filter, in SQL, shows each role exactly its enterprises. */
    @Test
    void scopeFiltersEnterprisesInSql() {
        long[] e = enterprises();
        record Expect(PowerWatchUser user, boolean seesYanta, boolean seesWeiyang) {
        }
        List<Expect> expectations = List.of(
                new Expect(new PowerWatchUser(1, "a", Role.CITY_ADMIN, List.of(), null, false), true, true),
                new Expect(new PowerWatchUser(2, "o", Role.OPERATOR, List.of(), null, false), true, true),
                new Expect(new PowerWatchUser(3, "d", Role.DISTRICT_OFFICER, List.of("610113"), null, false), true, false),
                new Expect(new PowerWatchUser(4, "c", Role.DISTRICT_OFFICER, List.of("610100"), null, false), true, true),
                new Expect(new PowerWatchUser(5, "n", Role.DISTRICT_OFFICER, List.of(), null, false), false, false),
                new Expect(new PowerWatchUser(6, "f", Role.ENTERPRISE_USER, List.of(), e[1], false), false, true),
                new Expect(new PowerWatchUser(7, "k", Role.API_CLIENT, List.of("610112"), null, false), false, true));
        List<String> wrong = new ArrayList<>();
        for (Expect x : expectations) {
            AccessScope scope = x.user().scope();
            List<Long> seen = named.queryForList("select e.id from enterprise e where e.id in (:ids) and " + scope.enterpriseFilter("e"),
                    new MapSqlParameterSource(scope.parameters()).addValue("ids", List.of(e[0], e[1])), Long.class);
            if (seen.contains(e[0]) != x.seesYanta() || seen.contains(e[1]) != x.seesWeiyang()) {
                wrong.add(x.user() + " saw " + seen);
            }
            assertEquals(x.seesYanta(), scope.allows("610113", e[0]), x.user().toString());
        }
        assertEquals(List.of(), wrong);
    }
}
