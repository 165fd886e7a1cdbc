package com.powerwatch.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.SmallDisk;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A day of faults for one platform, in order, with real parts: PostgreSQL is a real server this test starts and stops
 * (an external database, as in production), data loggers are real TCP sockets, the journal lives on a small real file
 * system (tmpfs) that the test fills up.
 *
 * <ol>
 *   <li>The platform starts while PostgreSQL is down: the gateway and the journal acknowledge frames, the API answers
 *       503 in plain Chinese, health says DOWN.</li>
 *   <li>PostgreSQL comes up: the schema is migrated, the consumers start, the frames acknowledged meanwhile are
 *       stored once, the API answers.</li>
 *   <li>PostgreSQL goes away again: ingestion status and health answer from memory with a recently validated token,
 *       database-backed requests fail at once with 503, a logout still takes effect on this node.</li>
 *   <li>The journal's disk runs full: frames are not acknowledged, health says DOWN; space returns and the journal
 *       takes frames again by itself.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsUnderFaultsTest {

    private static final String MN = "FAULTS00000000000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Path pgDir;
    private int pgPort;
    private EmbeddedPostgres postgres;
    private SmallDisk journalDisk;
    private ConfigurableApplicationContext app;
    private int gatewayPort;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger seq = new AtomicInteger();
    /** Frame i is dated {@code i} seconds before this, so no two frames share a DataTime. */
    private final LocalDateTime firstDataTime = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0);

    @BeforeAll
    void startThePlatformWhilePostgresIsDown() throws Exception {
        dir = Files.createTempDirectory("powerwatch-faults");
        pgDir = dir.resolve("external-pg");
        pgPort = portNoOneGetsByChance();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setPort(pgPort).start()) {
            assertEquals(pgPort, pg.getPort()); // an empty database; it is stopped before the platform starts
        }
        Path data = dir.resolve("data");
        try {
            journalDisk = SmallDisk.mount(data.resolve("journal"), 16L << 20);
        } catch (org.opentest4j.TestAbortedException noMount) {
            journalDisk = null; // the disk-full step is skipped; the rest runs
        }
        // a node restarted while the database is away: it has the copy of the data-logger passwords its previous run
        // wrote (none registered). A data directory without one refuses every frame it cannot judge (docs/ingest.md).
        Files.createDirectories(data);
        Files.writeString(data.resolve("device-credentials.tsv"), "# mn\thash\tpolicy\taddresses\n");
        app = new SpringApplicationBuilder(PowerWatchApplication.class).run(
                "--powerwatch.data-dir=" + data,
                "--server.port=0",
                "--powerwatch.gateway.port=0",
                "--powerwatch.gateway.bind-address=127.0.0.1",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--powerwatch.security.token-cache-ttl=1s",
                "--powerwatch.threshold-learning.cron=-");
        gatewayPort = app.getBean(TcpGateway.class).port();
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (journalDisk != null) {
            journalDisk.close();
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dir); // the external database's files too
    }

    @Test
    @Order(1)
    void withoutTheDatabaseSinceStartFramesAreAcknowledgedAndTheApiSays503() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertTrue(sendAcked(MN, seq.incrementAndGet()), "frame " + i + " acknowledged while PostgreSQL is down");
        }
        HttpResponse<String> api = get("/api/realtime/enterprises", null);
        assertEquals(503, api.statusCode(), api.body());
        assertChinese(api);
        HttpResponse<String> login = post("/api/auth/login", null, "{\"username\":\"admin\",\"password\":\"x\"}");
        assertEquals(503, login.statusCode(), login.body());
        HttpResponse<String> health = get("/actuator/health", null);
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DOWN", component(health, "database"), health.body());
    }

    @Test
    @Order(2)
    void whenTheDatabaseComesUpTheRestFollowsAndEveryAcknowledgedFrameIsStoredOnce() throws Exception {
        postgres = startPostgres();
        JdbcTemplate db = new JdbcTemplate(postgres.getPostgresDatabase());
        await("the 20 frames of the outage stored", () -> storedValues(db) == 20);
        assertEquals(0, db.queryForObject("select count(*) - count(distinct fields->>'Ia') from reading where mn = ?",
                Long.class, MN));
        String token = AuthTestSupport.token(db, Role.OPERATOR, List.of(), null);
        await("the API answers", () -> get("/api/ingest/stats", token).statusCode() == 200);
        await("health UP", () -> get("/actuator/health", null).statusCode() == 200);
    }

    @Test
    @Order(3)
    void duringAnOutageStatusAndHealthAnswerFromMemoryAndTheRestFailsFastWith503() throws Exception {
        JdbcTemplate db = new JdbcTemplate(postgres.getPostgresDatabase());
        String operator = AuthTestSupport.token(db, Role.OPERATOR, List.of(), null);
        String leaving = AuthTestSupport.token(db, Role.OPERATOR, List.of(), null);
        assertEquals(200, get("/api/ingest/stats", operator).statusCode());
        assertEquals(200, get("/api/ingest/stats", leaving).statusCode());

        postgres.close();
        postgres = null;
        for (int i = 0; i < 5; i++) {
            assertTrue(sendAcked(MN, seq.incrementAndGet()), "frame acknowledged during the outage");
        }
        await("the store writer reports RETRYING", () -> "RETRYING".equals(storeState(operator)));
        Thread.sleep(1500); // past the token cache TTL (1 s): the database would be asked, but it is away
        HttpResponse<String> stats = get("/api/ingest/stats", operator);
        assertEquals(200, stats.statusCode(), stats.body());
        assertEquals("RETRYING", JSON.readTree(stats.body()).path("store").path("state").asText());

        HttpResponse<String> trace = get("/api/ingest/raw-frames?from=2026-01-01T00:00:00%2B08:00&to=2036-01-01T00:00:00%2B08:00",
                operator);
        assertEquals(503, trace.statusCode(), trace.body());
        assertChinese(trace);

        HttpResponse<String> health = get("/actuator/health", null);
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DOWN", component(health, "database"), health.body());
        assertEquals("UP", component(health, "journal"), health.body());
        assertEquals("DOWN", component(health, "consumers"), "the store writer keeps failing: " + health.body());
        HttpResponse<String> withUncheckedToken = get("/actuator/health", "a-token-nobody-can-check-now");
        assertEquals("DOWN", component(withUncheckedToken, "database"), "health answers even when the token sent along "
                + "cannot be checked: " + withUncheckedToken.body());

        HttpResponse<String> logout = post("/api/auth/logout", leaving, "");
        assertEquals(503, logout.statusCode(), "the database cannot record the logout: " + logout.body());
        HttpResponse<String> afterLogout = get("/api/ingest/stats", leaving);
        assertEquals(503, afterLogout.statusCode(), "a token logged out on this node is no longer accepted from memory");

        postgres = startPostgres();
        JdbcTemplate back = new JdbcTemplate(postgres.getPostgresDatabase());
        await("the 5 frames of the outage stored", () -> storedValues(back) == 25);
        await("the API answers again", () -> get("/api/ingest/raw-frames?from=2026-01-01T00:00:00%2B08:00"
                + "&to=2036-01-01T00:00:00%2B08:00", operator).statusCode() == 200);
    }

    @Test
    @Order(4)
    void aFullJournalDiskIsReportedAndTheJournalRecoversByItself() throws Exception {
        Assumptions.assumeTrue(journalDisk != null, "no tmpfs for the journal (needs root)");
        journalDisk.fill();
        // a frame or two may still fit in a page the journal already has; then appends fail
        int stored = 25;
        int unacked = -1;
        for (int k = 0; k < 500 && unacked < 0; k++) {
            int i = seq.incrementAndGet();
            if (sendAcked(MN, i)) {
                stored++;
            } else {
                unacked = i;
            }
        }
        assertTrue(unacked > 0, "a frame is not acknowledged once the journal's disk is full");
        await("health reports the journal DOWN", () -> "DOWN".equals(component(get("/actuator/health", null), "journal")));
        journalDisk.free();
        int resent = unacked;
        await("the re-sent frame is acknowledged", () -> sendAcked(MN, resent));
        await("health reports the journal UP", () -> "UP".equals(component(get("/actuator/health", null), "journal")));
        JdbcTemplate db = new JdbcTemplate(postgres.getPostgresDatabase());
        int expected = stored + 1;
        await("every acknowledged frame stored", () -> storedValues(db) == expected);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * A free port below the range the system hands out for port 0: while PostgreSQL is stopped its port is free, and
     * the platform's own listeners (HTTP and gateway on port 0) must not get it by chance.
     */
    private static int portNoOneGetsByChance() throws IOException {
        int ephemeralLow = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .trim().split("\\s+")[0]);
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20000 + random.nextInt(Math.max(1, ephemeralLow - 20000));
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port below " + ephemeralLow);
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    private static long storedValues(JdbcTemplate db) {
        try {
            Long n = db.queryForObject("select count(*) from reading where mn = ?", Long.class, MN);
            return n == null ? 0 : n;
        } catch (org.springframework.dao.DataAccessException notYet) {
            return -1; // the schema is not there yet
        }
    }

    private String storeState(String token) {
        try {
            return JSON.readTree(get("/api/ingest/stats", token).body()).path("store").path("state").asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends one 2011 frame with the A bit set; true when its 9014 came back. */
    private boolean sendAcked(String mn, int i) {
        String qn = String.format("20260101%09d", i);
        Cp cp = Cp.builder().dataTime(firstDataTime.minusSeconds(i))
                .value("100000", "Ia", Integer.toString(i)).value("100000", "Flag", "N").build();
        try (Socket s = new Socket("127.0.0.1", gatewayPort)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(FrameEncoder.encode(Packet.of(qn, "32", "2011", "123456", mn, 5, null, null, cp)));
            InputStream in = s.getInputStream();
            StringBuilder text = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                text.append((char) b);
                if (text.toString().endsWith("\r\n")) {
                    if (text.toString().contains("QN=" + qn + ";ST=91;CN=9014")) {
                        return true;
                    }
                    text.setLength(0);
                }
            }
            return false;
        } catch (SocketTimeoutException noAck) {
            return false; // the device would re-send
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    private HttpResponse<String> post(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String component(HttpResponse<String> health, String name) {
        try {
            return JSON.readTree(health.body()).path("components").path(name).path("status").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void assertChinese(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.path("message").asText().matches(".*\\p{IsHan}.*"), response.body());
        assertTrue(!body.path("error").asText().isEmpty(), response.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
