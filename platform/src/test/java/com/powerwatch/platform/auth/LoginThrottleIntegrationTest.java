package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed logins are counted per (username, address) before the password is compared, unknown usernames exactly like
 * known ones; the whole account locks only at a much higher count, and then an address of {@code trusted-networks}
 * (the server itself by default) still lets the administrator in. Other addresses are 127.0.0.x (see {@link HttpFrom}).
 */
class LoginThrottleIntegrationTest extends AuthIntegrationTestBase {

    private static final String WRONG = "Wrong-Password-1";

    @LocalServerPort
    int port;

    @Test
    void thirtyParallelWrongPasswordsAreCountedBeforeComparingSoAtMostFiveAreCompared() throws Exception {
        String name = unique("parallel");
        long id = user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String password = "Wrong-Password-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    int status;
                    do { // a 429 (too many logins hashing at once) did not count: try again until the attempt is decided
                        status = HttpFrom.login(port, "127.0.0.1", name, password).status();
                    } while (status == 429);
                    return status;
                }));
            }
            start.countDown();
            Map<Integer, Integer> statuses = new HashMap<>();
            for (Future<Integer> a : answers) {
                statuses.merge(a.get(), 1, Integer::sum);
            }
            assertEquals(0, statuses.getOrDefault(200, 0), statuses.toString());
            assertEquals(4, statuses.getOrDefault(401, 0), "4 plain refusals, then locked: " + statuses);
            assertEquals(26, statuses.getOrDefault(423, 0), statuses.toString());
            // every compared wrong password leaves one audit row: LOGIN_FAILED, or ACCOUNT_LOCKED for the one that locks
            Integer compared = jdbc.queryForObject("""
                    select count(*) from audit_log where user_id = ?
                      and (action = 'ACCOUNT_LOCKED' or (action = 'LOGIN_FAILED' and detail->>'reason' = 'WRONG_PASSWORD'))""",
                    Integer.class, id);
            assertTrue(compared <= 5, "at most max-failed-logins (5) passwords compared, was " + compared + " " + statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(423, HttpFrom.login(port, "127.0.0.1", name, GOOD_PASSWORD).status(),
                "the right password right after the burst does not unlock");
    }

    @Test
    void anUnknownUsernameIsCountedAndLockedExactlyLikeAKnownOne() {
        String known = unique("known");
        user(known, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String unknown = unique("ghost");
        for (int i = 1; i <= 6; i++) {
            HttpFrom.Answer k = HttpFrom.login(port, "127.0.0.3", known, i == 6 ? GOOD_PASSWORD : WRONG);
            HttpFrom.Answer u = HttpFrom.login(port, "127.0.0.3", unknown, i == 6 ? GOOD_PASSWORD : WRONG);
            assertEquals(k.status(), u.status(), "attempt " + i + ": " + k.body() + " / " + u.body());
            assertEquals(withoutTime(k.body()), withoutTime(u.body()), "attempt " + i);
            assertEquals(i < 5 ? 401 : 423, k.status(), "attempt " + i + ": " + k.body());
        }
    }

    /** The answer with the lock's time taken out (two requests may straddle a minute). */
    private static Map<String, Object> withoutTime(Map<String, Object> body) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.computeIfPresent("message", (k, v) -> String.valueOf(v).replaceAll("\\d", "#"));
        copy.computeIfPresent("lockedUntil", (k, v) -> "present");
        return copy;
    }

    @Test
    void wrongPasswordsFromOneAddressDoNotLockTheOwnerOutElsewhere() {
        String owner = unique("owner");
        long id = user(owner, Role.CITY_ADMIN, GOOD_PASSWORD, List.of(), null);
        for (int i = 1; i <= 6; i++) {
            HttpFrom.login(port, "127.0.0.4", owner, WRONG);
        }
        assertEquals(423, HttpFrom.login(port, "127.0.0.4", owner, GOOD_PASSWORD).status(),
                "the address that guessed is locked, even with the right password");
        HttpFrom.Answer elsewhere = HttpFrom.login(port, "127.0.0.5", owner, GOOD_PASSWORD);
        assertEquals(200, elsewhere.status(), "the owner at another address is not locked out: " + elsewhere.body());

        // the administrator sees the lock and ends it
        String admin = AuthTestSupport.adminToken(jdbc);
        assertTrue(get(admin, "/api/admin/users/" + id).getBody().get("lockedUntil") != null, "an address lock is shown");
        assertEquals(200, post(admin, "/api/admin/users/" + id + "/unlock", null).getStatusCode().value());
        assertEquals(200, HttpFrom.login(port, "127.0.0.4", owner, GOOD_PASSWORD).status(), "unlocked everywhere");
    }

    @Test
    void manyAddressesLockTheAccountAndTheAdministratorStillGetsInFromTheServerItself() {
        String name = unique("cityadmin");
        long id = user(name, Role.CITY_ADMIN, GOOD_PASSWORD, List.of(), null);
        for (int a = 10; a < 20; a++) { // 10 addresses × 5 = account-max-failed-logins (50)
            for (int i = 0; i < 5; i++) {
                HttpFrom.login(port, "127.0.0." + a, name, WRONG);
            }
        }
        HttpFrom.Answer fresh = HttpFrom.login(port, "127.0.0.20", name, GOOD_PASSWORD);
        assertEquals(423, fresh.status(), "the account is locked for every untrusted address: " + fresh.body());
        assertEquals(1, jdbc.queryForObject("""
                select count(*) from audit_log where user_id = ? and action = 'ACCOUNT_LOCKED' and detail->>'scope' = 'ACCOUNT'""",
                Integer.class, id));

        HttpFrom.Answer recovery = HttpFrom.login(port, "127.0.0.1", name, GOOD_PASSWORD);
        assertEquals(200, recovery.status(), "a trusted address (the server itself) is the recovery path: " + recovery.body());
        assertEquals(200, HttpFrom.login(port, "127.0.0.20", name, GOOD_PASSWORD).status(),
                "the owner's successful login ends the account-wide lock");
        assertEquals(423, HttpFrom.login(port, "127.0.0.10", name, GOOD_PASSWORD).status(),
                "… but not the lock of an address that guessed");
    }

    @Test
    void wrongCurrentPasswordsAtPasswordChangeAreCountedLikeLoginFailures() {
        String name = unique("changer");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String token = loginToken(name, GOOD_PASSWORD);
        Map<String, String> change = Map.of("oldPassword", WRONG, "newPassword", "Green-Hill-2027");
        for (int i = 1; i <= 4; i++) {
            HttpFrom.Answer r = HttpFrom.post(port, "127.0.0.6", "/api/auth/password", change, token);
            assertEquals(400, r.status(), "attempt " + i + ": " + r.body());
            assertEquals("oldPassword", r.body().get("field"));
        }
        HttpFrom.Answer fifth = HttpFrom.post(port, "127.0.0.6", "/api/auth/password", change, token);
        assertEquals(423, fifth.status(), String.valueOf(fifth.body()));
        assertEquals("LOCKED", fifth.body().get("error"));
        assertEquals(423, HttpFrom.login(port, "127.0.0.6", name, GOOD_PASSWORD).status(), "login from there is locked too");
        assertEquals(423, HttpFrom.post(port, "127.0.0.6", "/api/auth/password",
                Map.of("oldPassword", GOOD_PASSWORD, "newPassword", "Green-Hill-2027"), token).status(), "and so is the change");
        assertEquals(200, HttpFrom.login(port, "127.0.0.7", name, GOOD_PASSWORD).status());
    }
}
