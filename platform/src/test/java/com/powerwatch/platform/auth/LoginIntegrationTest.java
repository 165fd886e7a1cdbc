package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Login, logout, lockout, the first administrator, forced password change and the password policy. */
class LoginIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    InitialAdministrator initialAdministrator;

    @Test
    void loginMeAndLogout() {
        String name = unique("officer");
        long id = user(name, Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of(), null);
        jdbc.update("update app_user set display_name = '张三' where id = ?", id);

        ResponseEntity<Map> r = login(name.toUpperCase(), GOOD_PASSWORD); // usernames are case-insensitive
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        Map<?, ?> body = r.getBody();
        String token = (String) body.get("token");
        assertNotNull(token);
        assertEquals(false, body.get("mustChangePassword"));
        OffsetDateTime expires = OffsetDateTime.parse((String) body.get("expiresAt"));
        assertTrue(expires.isAfter(OffsetDateTime.now().plusHours(11)) && expires.isBefore(OffsetDateTime.now().plusHours(13)),
                "12 h session: " + expires);
        Map<?, ?> user = (Map<?, ?>) body.get("user");
        assertEquals(name, user.get("username"));
        assertEquals("张三", user.get("displayName"));
        assertEquals("DISTRICT_OFFICER", user.get("role"));
        assertEquals(((Number) user.get("id")).longValue(), id);
        assertNotNull(jdbc.queryForObject("select last_login_at from app_user where id = ?", OffsetDateTime.class, id));

        ResponseEntity<Map> me = get(token, "/api/auth/me");
        assertEquals(200, me.getStatusCode().value());
        assertEquals(name, me.getBody().get("username"));
        assertFalse(me.getBody().containsKey("passwordHash"));

        assertEquals(200, post(token, "/api/auth/logout", null).getStatusCode().value());
        assertEquals(401, get(token, "/api/auth/me").getStatusCode().value(), "logged-out token");
        assertNotNull(jdbc.queryForObject("select revoked_at from auth_token where token_hash = ?", OffsetDateTime.class,
                TokenHashing.hash(token)));
    }

    @Test
    void passwordsAreStoredAsArgon2AndWrongOrUnknownLookTheSame() {
        String name = unique("hash");
        long id = user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String hash = jdbc.queryForObject("select password_hash from app_user where id = ?", String.class, id);
        assertTrue(hash.startsWith("{argon2}$argon2id$"), hash);
        assertTrue(encoder.matches(GOOD_PASSWORD, hash));
        assertFalse(encoder.matches(GOOD_PASSWORD + "x", hash));

        ResponseEntity<Map> wrong = login(name, "Wrong-Password-1");
        ResponseEntity<Map> unknown = login(unique("nobody"), "Wrong-Password-1");
        assertEquals(401, wrong.getStatusCode().value());
        assertEquals(401, unknown.getStatusCode().value());
        assertEquals(wrong.getBody(), unknown.getBody(), "no hint whether the user exists");
        assertEquals("BAD_CREDENTIALS", wrong.getBody().get("error"));

        assertEquals(400, login("", "x").getStatusCode().value(), "blank username is a bad request");
        // an API client has no password to log in with
        String client = unique("client");
        jdbc.update("insert into app_user (username, role) values (?, 'API_CLIENT')", client);
        assertEquals(wrong.getBody(), login(client, "Anything-123").getBody());
    }

    @Test
    void fiveWrongPasswordsLockTheAccountUntilTheLockEndsOrAnAdminUnlocks() {
        String name = unique("locky");
        long id = user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        for (int i = 1; i <= 4; i++) {
            assertEquals(401, login(name, "Wrong-Password-" + i).getStatusCode().value(), "attempt " + i);
        }
        ResponseEntity<Map> fifth = login(name, "Wrong-Password-5");
        assertEquals(423, fifth.getStatusCode().value(), String.valueOf(fifth.getBody()));
        assertEquals("LOCKED", fifth.getBody().get("error"));
        OffsetDateTime until = OffsetDateTime.parse((String) fifth.getBody().get("lockedUntil"));
        assertTrue(until.isAfter(OffsetDateTime.now().plusMinutes(14)) && until.isBefore(OffsetDateTime.now().plusMinutes(16)), until.toString());

        ResponseEntity<Map> whileLocked = login(name, GOOD_PASSWORD);
        assertEquals(423, whileLocked.getStatusCode().value(), "the right password does not open a locked account");
        assertEquals("LOCKED", whileLocked.getBody().get("error"));

        // the lock time passes
        jdbc.update("update login_failure set locked_until = now() - interval '1 second' where username = lower(?)", name);
        assertEquals(200, login(name, GOOD_PASSWORD).getStatusCode().value());
        assertEquals(0, jdbc.queryForObject("select count(*) from login_failure where username = lower(?)", Integer.class, name),
                "a success starts the count again");

        // a success resets the count: four more failures do not lock
        for (int i = 1; i <= 4; i++) {
            login(name, "Wrong-Password-" + i);
        }
        assertEquals(200, login(name, GOOD_PASSWORD).getStatusCode().value(), "4 failures, then success");

        // locked again, an administrator unlocks
        for (int i = 1; i <= 5; i++) {
            login(name, "Wrong-Password-" + i);
        }
        assertEquals(423, login(name, GOOD_PASSWORD).getStatusCode().value());
        String admin = AuthTestSupport.adminToken(jdbc);
        ResponseEntity<Map> listed = get(admin, "/api/admin/users/" + id);
        assertNotNull(listed.getBody().get("lockedUntil"), "the administrator sees the lock");
        ResponseEntity<Map> unlocked = post(admin, "/api/admin/users/" + id + "/unlock", null);
        assertEquals(200, unlocked.getStatusCode().value());
        assertNull(unlocked.getBody().get("lockedUntil"));
        assertEquals(200, login(name, GOOD_PASSWORD).getStatusCode().value());
    }

    @Test
    void theFirstAdministratorIsCreatedOnceAndMustChangeThePassword() throws Exception {
        assertEquals(1, jdbc.queryForObject("select count(*) from app_user where username = 'admin'", Integer.class));
        assertEquals(true, jdbc.queryForObject("select must_change_password from app_user where username = 'admin'", Boolean.class));
        Path file = dataDir.resolve("initial-admin-password.txt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readAllLines(file).stream().filter(l -> l.startsWith("password: ")).findFirst()
                .orElseThrow().substring("password: ".length());
        String before = Files.readString(file);

        assertFalse(initialAdministrator.ensure(), "a second start creates nobody");
        assertEquals(1, jdbc.queryForObject("select count(*) from app_user where username = 'admin'", Integer.class));
        assertEquals(before, Files.readString(file), "and does not touch the file");

        ResponseEntity<Map> login = login("admin", password);
        assertEquals(200, login.getStatusCode().value(), String.valueOf(login.getBody()));
        assertEquals(true, login.getBody().get("mustChangePassword"));
        String token = (String) login.getBody().get("token");

        // everything but me / password / logout is closed until the password is changed
        for (String url : List.of("/api/admin/users", "/api/ingest/stats", "/api/admin/audit")) {
            ResponseEntity<Map> r = get(token, url);
            assertEquals(403, r.getStatusCode().value(), url);
            assertEquals("PASSWORD_CHANGE_REQUIRED", r.getBody().get("error"), url);
        }
        assertEquals(403, post(token, "/api/admin/users", Map.of()).getStatusCode().value());
        assertEquals(200, get(token, "/api/auth/me").getStatusCode().value());
        assertEquals(true, get(token, "/api/auth/me").getBody().get("mustChangePassword"));

        ResponseEntity<Map> weak = post(token, "/api/auth/password", Map.of("oldPassword", password, "newPassword", "short"));
        assertEquals(400, weak.getStatusCode().value());
        assertEquals("newPassword", weak.getBody().get("field"));

        assertEquals(200, post(token, "/api/auth/password", Map.of("oldPassword", password, "newPassword", GOOD_PASSWORD))
                .getStatusCode().value());
        assertEquals(200, getList(token, "/api/admin/users").getStatusCode().value(), "the same session goes on after the change");
        assertEquals(false, login("admin", GOOD_PASSWORD).getBody().get("mustChangePassword"));
        assertEquals(401, login("admin", password).getStatusCode().value(), "the initial password is gone");
    }

    @Test
    void anAutomatedDeploymentSetsTheFirstPasswordByProperty() throws Exception {
        // pretend a fresh installation: no city administrator, no 'admin'
        List<Long> admins = jdbc.queryForList("select id from app_user where role = 'CITY_ADMIN'", Long.class);
        jdbc.update("update app_user set role = 'OPERATOR', username = username || '-was' where role = 'CITY_ADMIN'");
        Path dir = Files.createTempDirectory("powerwatch-first-admin");
        try {
            AuthProperties weak = withInitialPassword("admin12345");
            InitialAdministrator refused = new InitialAdministrator(jdbc, encoder, new PasswordPolicy(weak), weak, null, dir);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, refused::ensure);
            assertTrue(e.getMessage().contains("initial-admin-password"), e.getMessage());

            AuthProperties set = withInitialPassword("Deploy-Secret-2026");
            InitialAdministrator byProperty = new InitialAdministrator(jdbc, encoder, new PasswordPolicy(set), set,
                    new com.powerwatch.platform.audit.AuditLog(jdbc, new com.fasterxml.jackson.databind.ObjectMapper()), dir);
            assertTrue(byProperty.ensure());
            assertFalse(Files.exists(dir.resolve("initial-admin-password.txt")), "nothing written when the operator chose it");
            ResponseEntity<Map> login = login("admin", "Deploy-Secret-2026");
            assertEquals(200, login.getStatusCode().value());
            assertEquals(true, login.getBody().get("mustChangePassword"), "still must be changed");
            assertFalse(byProperty.ensure(), "idempotent");
        } finally {
            jdbc.update("delete from app_user where username = 'admin'");
            jdbc.update("update app_user set role = 'CITY_ADMIN', username = left(username, length(username) - 4) where id in ("
                    + String.join(",", admins.stream().map(String::valueOf).toList()) + ")");
        }
    }

    @Autowired
    AuthProperties properties;

    /** This application's settings with another initial administrator password. */
    private AuthProperties withInitialPassword(String password) {
        AuthProperties p = properties;
        return new AuthProperties(p.maxFailedLogins(), p.lockDuration(), p.sessionLifetime(), p.sessionIdleTimeout(),
                p.tokenCacheTtl(), p.tokenOutageGrace(), password, p.password(), p.login());
    }

    @Test
    void thePasswordPolicyExplainsWhatIsWrong() {
        String name = unique("policy");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String token = loginToken(name, GOOD_PASSWORD);
        String other = loginToken(name, GOOD_PASSWORD);

        Map<String, String> cases = Map.of(
                "Ab1-xyz", "密码至少 10 位",
                "alllowercaseletters", "中的至少 3 种",
                "ALLUPPER12345", "中的至少 3 种",
                "Xx-" + name + "-9", "密码不能包含用户名",
                GOOD_PASSWORD, "新密码不能与当前密码相同");
        for (var c : cases.entrySet()) {
            ResponseEntity<Map> r = post(token, "/api/auth/password", Map.of("oldPassword", GOOD_PASSWORD, "newPassword", c.getKey()));
            assertEquals(400, r.getStatusCode().value(), c.getKey());
            assertEquals("newPassword", r.getBody().get("field"), c.getKey());
            assertTrue(String.valueOf(r.getBody().get("message")).contains(c.getValue()), c.getKey() + ": " + r.getBody());
        }
        ResponseEntity<Map> wrongOld = post(token, "/api/auth/password", Map.of("oldPassword", "Not-The-Old-1", "newPassword", "Green-Hill-2027"));
        assertEquals(400, wrongOld.getStatusCode().value());
        assertEquals("oldPassword", wrongOld.getBody().get("field"));
        assertEquals(400, post(token, "/api/auth/password", Map.of("oldPassword", GOOD_PASSWORD)).getStatusCode().value(),
                "missing new password");

        assertEquals(200, post(token, "/api/auth/password", Map.of("oldPassword", GOOD_PASSWORD, "newPassword", "Green-Hill-2027"))
                .getStatusCode().value());
        assertEquals(200, get(token, "/api/auth/me").getStatusCode().value(), "this session stays");
        assertEquals(401, get(other, "/api/auth/me").getStatusCode().value(), "other sessions end with a password change");
        assertEquals(200, login(name, "Green-Hill-2027").getStatusCode().value());
    }
}
