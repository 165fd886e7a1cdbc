package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anonymous logins cost an Argon2 hash each: only as many are hashed at once as there are cores (a few more wait
 * briefly, the rest get 429 with Retry-After), and one address gets a bounded login rate. A logged-in user's calls
 * do not hash and keep answering during a login flood.
 */
class LoginFloodIntegrationTest extends AuthIntegrationTestBase {

    @LocalServerPort
    int port;

    @Test
    void duringALoginFloodLoginsAreRefusedWith429AndAnAuthenticatedCallStillAnswers() throws Exception {
        String token = AuthTestSupport.adminToken(jdbc);
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<HttpFrom.Answer> refused = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(80);
        List<Future<?>> flood = new ArrayList<>();
        try {
            // the server itself is exempt from the per-address rate: this is the hashing bound alone
            for (int t = 0; t < 80; t++) {
                flood.add(pool.submit(() -> {
                    while (flooding.get()) {
                        HttpFrom.Answer a = HttpFrom.login(port, "127.0.0.1", unique("flood"), "Wrong-Password-1");
                        answered.incrementAndGet();
                        if (a.status() == 429) {
                            refused.add(a);
                        }
                    }
                    return null;
                }));
            }
            await("the flood to be answered", () -> answered.get() >= 80);
            ResponseEntity<Map> me = get(token, "/api/auth/me");
            assertEquals(200, me.getStatusCode().value(), "a logged-in user's call answers during the flood");
            assertTrue(flooding.get());
        } finally {
            flooding.set(false);
            for (Future<?> f : flood) {
                f.get();
            }
            pool.shutdownNow();
        }
        assertTrue(!refused.isEmpty(), "80 parallel logins cannot all be hashed at once: some get 429");
        HttpFrom.Answer r = refused.peek();
        assertEquals("TOO_MANY_REQUESTS", r.body().get("error"), String.valueOf(r.body()));
        assertTrue(String.valueOf(r.body().get("message")).contains("稍后"), String.valueOf(r.body()));
        assertNotNull(r.header("Retry-After"), "429 says when to retry");
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r.header("Retry-After"));
    }

    @Test
    void oneAddressGetsABoundedLoginRateOthersAreNotAffected() {
        HttpFrom.Answer limited = null;
        int attempts = 0;
        while (limited == null && attempts < 60) {
            attempts++;
            HttpFrom.Answer a = HttpFrom.login(port, "127.0.0.40", unique("rate"), "Wrong-Password-1");
            if (a.status() == 429) {
                limited = a;
            } else {
                assertEquals(401, a.status(), String.valueOf(a.body()));
            }
        }
        assertNotNull(limited, "one address is limited (per-address burst 30, then 20 a minute)");
        assertTrue(attempts > 20, "the burst is allowed first, was limited at attempt " + attempts);
        assertEquals("TOO_MANY_REQUESTS", limited.body().get("error"));
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
        assertEquals(401, HttpFrom.login(port, "127.0.0.41", unique("rate"), "Wrong-Password-1").status(),
                "another address is not limited");
        assertEquals(1, jdbc.queryForObject("select count(*) from audit_log where action = 'LOGIN_THROTTLED' and ip = '127.0.0.40'",
                Integer.class), "the first refusal of an address is audited, not every one");
        HttpFrom.Answer again = HttpFrom.login(port, "127.0.0.40", unique("rate"), "Wrong-Password-1");
        assertEquals(429, again.status());
        assertEquals(1, jdbc.queryForObject("select count(*) from audit_log where action = 'LOGIN_THROTTLED' and ip = '127.0.0.40'",
                Integer.class));
    }
}
