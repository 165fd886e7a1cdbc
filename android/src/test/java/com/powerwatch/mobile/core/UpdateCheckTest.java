package com.powerwatch.mobile.core;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The background check end to end on the JVM: the app's own HTTP code against a real HTTP server on loopback that
 * answers like the platform's {@code /api/mobile/updates}, the real storage logic over a map, notifications collected.
 */
class UpdateCheckTest {

    private HttpServer http;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "";
    private final MapStore store = new MapStore();
    private final List<NotificationSpec> shown = new ArrayList<>();
    private boolean inFront;
    private UpdateCheck check;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI() + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        http.start();
        new SessionStore(store).setServer(ServerAddress.parse("127.0.0.1:" + http.getAddress().getPort()));
        check = new UpdateCheck(store, shown::add, () -> inFront);
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static String answer(long latestAlarm, long latestMessage, String alarms, String messages) {
        return "{\"latestAlarmId\":" + latestAlarm + ",\"latestMessageId\":" + latestMessage + ",\"newAlarms\":"
                + (alarms.isEmpty() ? 0 : alarms.split("\"id\"").length - 1) + ",\"newMessages\":"
                + (messages.isEmpty() ? 0 : messages.split("\"id\"").length - 1) + ",\"alarms\":[" + alarms + "],\"messages\":["
                + messages + "]}";
    }

    private static final String ALARM_41 = "{\"id\":41,\"level\":\"LEVEL_2\",\"levelName\":\"二级\",\"typeName\":\"停产期间生产\","
            + "\"enterpriseName\":\"渭河化工\",\"districtName\":null,\"startedAt\":\"2026-11-23T09:05:00+08:00\"}";

    @Test
    void signedInItChecksWithTheTokenNotifiesWhatIsNewAndRemembersWhereItStands() {
        assertEquals(UpdateCheck.Outcome.NOT_SIGNED_IN, check.run(), "no session, no request");
        assertTrue(requests.isEmpty());

        SessionSync.pageSession(store, SessionStoreTest.pageSession("tok-1", 7));
        body = answer(40, 9, "", "");
        assertEquals(UpdateCheck.Outcome.DONE, check.run());
        assertEquals("/api/mobile/updates auth=Bearer tok-1", requests.get(0), "the first check asks for the newest ids only");
        assertTrue(shown.isEmpty());

        body = answer(41, 9, ALARM_41, "");
        assertEquals(UpdateCheck.Outcome.DONE, check.run());
        assertEquals("/api/mobile/updates?alarmsAfter=40&messagesAfter=9 auth=Bearer tok-1", requests.get(1));
        assertEquals(1, shown.size());
        assertEquals("【二级报警】停产期间生产", shown.get(0).title);
        assertEquals("渭河化工 · 开始于 11-23 09:05", shown.get(0).text, "a JSON null is no text, not \"null\"");
        assertEquals("/m/alarms/41", shown.get(0).path);

        assertEquals(UpdateCheck.Outcome.DONE, check.run());
        assertEquals("/api/mobile/updates?alarmsAfter=41&messagesAfter=9 auth=Bearer tok-1", requests.get(2));
        assertEquals(1, shown.size(), "the same answer again notifies nothing");
    }

    @Test
    void whileTheAppIsInFrontItOnlyMovesTheCursors() {
        SessionSync.pageSession(store, SessionStoreTest.pageSession("tok-1", 7));
        body = answer(40, 9, "", "");
        check.run();
        inFront = true;
        body = answer(41, 9, ALARM_41, "");
        check.run();
        assertTrue(shown.isEmpty());
        assertEquals(41L, WatchState.load(store).alarmCursor);
    }

    @Test
    void aRefusedTokenEndsTheSessionSaysSoOnceAndStopsTheChecks() {
        SessionSync.pageSession(store, SessionStoreTest.pageSession("tok-1", 7));
        status = 401;
        body = "{\"error\":\"UNAUTHORIZED\",\"message\":\"登录已失效\"}";
        assertEquals(UpdateCheck.Outcome.SESSION_ENDED, check.run());
        assertNull(new SessionStore(store).token());
        assertEquals(Collections.singletonList("登录已过期"), titles());
        assertEquals(UpdateCheck.Outcome.NOT_SIGNED_IN, check.run(), "no token, no more requests");
        assertEquals(1, requests.size());
        assertEquals(1, shown.size());
    }

    @Test
    void aFailingPlatformOrNetworkChangesNothingTheNextPeriodTriesAgain() throws IOException {
        SessionSync.pageSession(store, SessionStoreTest.pageSession("tok-1", 7));
        new WatchState(40L, 9L, Collections.<String>emptyList()).save(store);
        for (int s : new int[] {500, 502, 403}) {
            status = s;
            body = "<html>error</html>";
            assertEquals(UpdateCheck.Outcome.RETRY, check.run(), "HTTP " + s);
        }
        status = 200;
        body = "<html>a captive portal's login page</html>";
        assertEquals(UpdateCheck.Outcome.RETRY, check.run());
        assertEquals("tok-1", new SessionStore(store).token());
        assertEquals(40L, WatchState.load(store).alarmCursor);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        new SessionStore(store).setServer(ServerAddress.parse("127.0.0.1:" + closedPort));
        SessionSync.pageSession(store, SessionStoreTest.pageSession("tok-2", 7));
        assertEquals(UpdateCheck.Outcome.RETRY, check.run(), "connection refused");
        assertTrue(shown.isEmpty());
    }

    @Test
    void theHealthProbeTellsAPlatformFromAnythingElse() {
        ServerAddress server = new SessionStore(store).server();
        body = "{\"status\":\"UP\"}";
        assertNull(PlatformApi.probe(server));
        assertTrue(requests.get(0).startsWith("/actuator/health auth=null"), requests.toString());
        status = 404;
        body = "";
        assertEquals("HTTP 404", PlatformApi.probe(server));
    }

    private List<String> titles() {
        List<String> t = new ArrayList<>();
        for (NotificationSpec n : shown) {
            t.add(n.title);
        }
        return t;
    }
}
