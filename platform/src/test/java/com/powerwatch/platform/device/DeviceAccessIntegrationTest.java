package com.powerwatch.platform.device;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, "Devices can be impersonated": a data logger proves who it is with the access password (PW) the registry
 * holds for its MN, on every frame, over real TCP into the real PostgreSQL. Refused frames are traced with their
 * reason, never acked, never stored as readings, never bind the session (so server commands only reach the device).
 */
class DeviceAccessIntegrationTest extends PlatformIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    static final AtomicLong QN = new AtomicLong(20261123_100_000_000L + (System.nanoTime() % 1_000_000) * 1000);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate anonymous;
    @Autowired
    TcpGateway gateway;
    @Autowired
    DeviceCredentials credentials;
    TestRestTemplate admin;

    @BeforeEach
    void signIn() {
        admin = AuthTestSupport.as(anonymous, AuthTestSupport.adminToken(jdbc));
    }

    static String qn() {
        return Long.toString(QN.incrementAndGet());
    }

    static ResponseEntity<Map<String, Object>> call(TestRestTemplate t, HttpMethod method, String url, Object body) {
        return t.exchange(url, method, body == null ? null : new HttpEntity<>(body), MAP);
    }

    static Map<String, Object> ok(ResponseEntity<Map<String, Object>> r, int status) {
        assertEquals(status, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    long enterprise(String district) {
        jdbc.update("insert into region (code, name, level, parent_code) values (?, ?, 3, '610100') on conflict do nothing",
                district, "测试区" + district);
        return jdbc.queryForObject("insert into enterprise (name, district_code) values (?, ?) returning id", Long.class,
                "设备测试企业" + UUID.randomUUID().toString().substring(0, 8), district);
    }

    /** A logger registered one at a time through the API: a generated password, shown once; policy REJECT. */
    Map<String, Object> register(long enterprise) {
        return ok(call(admin, HttpMethod.POST, "/api/registry/enterprises/" + enterprise + "/data-loggers", Map.of("vendor", "测试")), 201);
    }

    String verdict(String qn) {
        await("frame " + qn + " traced", () -> jdbc.queryForObject("select count(*) from raw_frame where qn = ?", Long.class, qn) > 0);
        return jdbc.queryForObject("select verdict || ' ' || coalesce(reason, '') from raw_frame where qn = ?", String.class, qn);
    }

    @Test
    void aRegisteredLoggerIsAcceptedOnlyWithItsPassword() throws Exception {
        Map<String, Object> logger = register(enterprise("610113"));
        String mn = (String) logger.get("mn");
        String password = (String) logger.get("password");
        assertNotNull(password, "the new logger's password is shown once, at registration");
        assertEquals(9, password.length());
        assertEquals("REJECT", logger.get("accessPolicy"));
        assertEquals(true, logger.get("hasPassword"));
        Map<String, Object> again = ok(call(admin, HttpMethod.GET, "/api/registry/data-loggers/" + mn, null), 200);
        assertFalse(again.containsKey("password") || again.toString().contains(password), "never shown again: " + again);

        String forged = qn();
        String free = qn();
        try (LoggerSocket impostor = new LoggerSocket(gateway.port())) {
            impostor.send(Packet.of(forged, "32", "2011", "123456", mn, 5, null, null,
                    Cp.builder().dataTime(LoggerSocket.NOW).value("100000", "Pt", "99.9").build()));
            impostor.send("ITDEVFREE" + forged.substring(12), "123456", free); // an unregistered MN is still acked
            String answers = impostor.readUntil(free);
            assertFalse(answers.contains(forged), "the forged frame is not acked: " + answers);
        }
        String genuine = qn();
        String devicePeer;
        try (LoggerSocket device = new LoggerSocket(gateway.port())) {
            device.send(mn, password, genuine);
            assertTrue(device.readUntil(genuine).contains("QN=" + genuine + ";ST=91;CN=9014"));
            devicePeer = "/127.0.0.1:" + device.socket.getLocalPort();
            Map<?, ?> session = onlyDevice(mn);
            assertEquals(devicePeer, session.get("peer"));
            assertEquals("VERIFIED", session.get("admission"));
        }
        assertTrue(verdict(forged).startsWith("AUTH_FAILED 访问密码错误"), verdict(forged));
        assertEquals("VALID ", verdict(genuine));
        await("the genuine reading stored", () -> "12.5".equals(jdbc.query(
                "select fields->>'Pt' from reading where mn = ?", rs -> rs.next() ? rs.getString(1) : null, mn)));
        assertEquals(0L, jdbc.queryForObject("select count(*) from reading_correction where mn = ?", Long.class, mn),
                "the forged value never reached the store");

        Map<String, Object> trace = ok(call(admin, HttpMethod.GET, "/api/ingest/raw-frames?mn=" + mn
                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", null), 200);
        String shown = trace.toString();
        assertFalse(shown.contains("PW=" + password) || shown.contains("PW=123456"), "the trace never shows a PW: " + shown);
        assertTrue(shown.contains("PW=******"), shown);
    }

    private Map<?, ?> onlyDevice(String mn) {
        Map<String, Object> page = ok(call(admin, HttpMethod.GET, "/api/ingest/devices?q=" + mn, null), 200);
        List<?> items = (List<?>) page.get("items");
        assertEquals(1, items.size(), page.toString());
        return (Map<?, ?>) items.get(0);
    }

    @Test
    void theTimeCommandGoesOnlyToTheDeviceAndOnlyItsAnswerCounts() throws Exception {
        Map<String, Object> logger = register(enterprise("610113"));
        String mn = (String) logger.get("mn");
        String password = (String) logger.get("password");
        try (LoggerSocket device = new LoggerSocket(gateway.port()); LoggerSocket impostor = new LoggerSocket(gateway.port())) {
            String first = qn();
            device.send(mn, password, first).readUntil(first);
            String forged = qn();
            String free = qn();
            impostor.send(mn, "123456", forged).send("ITDEVFREE" + free.substring(12), "x", free).readUntil(free);

            CompletableFuture<Map<String, Object>> command = CompletableFuture.supplyAsync(() ->
                    ok(call(admin, HttpMethod.POST, "/api/ingest/devices/" + mn + "/commands", Map.of("type", "set-time")), 200));
            String qn = await1012(device);
            device.send(Packet.of(qn, "91", "9011", password, mn, 4, null, null, Cp.builder().param("QnRtn", "1").build()));
            device.send(Packet.of(qn, "91", "9012", password, mn, 4, null, null, Cp.builder().param("ExeRtn", "1").build()));
            Map<String, Object> answer = command.get(60, TimeUnit.SECONDS);
            assertEquals(1, ((Map<?, ?>) answer.get("executed")).get("code"), answer.toString());
            assertFalse(answer.get("command").toString().contains(password), "the answer masks the PW: " + answer);
            String later = qn();
            impostor.send("ITDEVFREE" + later.substring(12), "x", later);
            assertFalse(impostor.readUntil(later).contains("CN=1012"), "the impostor never saw the command");
        }
    }

    /** The QN of the 1012 (set time) the device receives. */
    private static String await1012(LoggerSocket device) throws Exception {
        String text = device.readUntilText("CN=1012;");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("QN=(\\d+);ST=\\d+;CN=1012").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    @Test
    void oldDevicesFollowTheirLoggersPolicy() throws Exception {
        long enterprise = enterprise("610113");
        String mn = "ITOLD" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        // as every logger registered before passwords existed: no password, policy WARN (the migration's default)
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterprise);
        credentials.reload(); // what the periodic refresh does for rows written outside the API
        String warned = qn();
        try (LoggerSocket old = new LoggerSocket(gateway.port())) {
            assertTrue(old.send(mn, "123456", warned).readUntil(warned).contains("CN=9014"), "accepted while the policy is WARN");
        }
        assertTrue(verdict(warned).matches("VALID .*未设置访问密码.*告警放行.*"), verdict(warned));

        String url = "/api/registry/data-loggers/" + mn + "/access";
        assertEquals("policy", ok(call(admin, HttpMethod.PUT, url, Map.of("policy", "MAYBE")), 400).get("field"));
        assertEquals("allowedAddresses", ok(call(admin, HttpMethod.PUT, url,
                Map.of("policy", "ALLOWLIST", "allowedAddresses", List.of("300.1.1.1"))), 400).get("field"));
        assertEquals("allowedAddresses", ok(call(admin, HttpMethod.PUT, url, Map.of("policy", "ALLOWLIST")), 400).get("field"));

        ok(call(admin, HttpMethod.PUT, url, Map.of("policy", "ALLOWLIST", "allowedAddresses", List.of("10.0.0.0/8"))), 200);
        assertEquals("AUTH_FAILED", frameVerdict(mn, "123456"));
        Map<String, Object> listed = ok(call(admin, HttpMethod.PUT, url,
                Map.of("policy", "ALLOWLIST", "allowedAddresses", List.of("10.0.0.0/8", "127.0.0.1"))), 200);
        assertEquals(List.of("10.0.0.0/8", "127.0.0.1/32"), listed.get("allowedAddresses"));
        assertEquals("VALID", frameVerdict(mn, "123456"));
        ok(call(admin, HttpMethod.PUT, url, Map.of("policy", "REJECT")), 200);
        assertEquals("AUTH_FAILED", frameVerdict(mn, "123456"));

        // the installer set the device's password in the field; the operator enters the same one
        String pwUrl = "/api/registry/data-loggers/" + mn + "/password";
        assertEquals("password", ok(call(admin, HttpMethod.POST, pwUrl, Map.of("password", "12;3456")), 400).get("field"));
        assertEquals("password", ok(call(admin, HttpMethod.POST, pwUrl, Map.of("password", "123456")), 400).get("field"),
                "the factory default is no password");
        Map<String, Object> set = ok(call(admin, HttpMethod.POST, pwUrl, Map.of("password", "Kq7Tz2Lm")), 200);
        assertFalse(set.containsKey("password"), "a password the operator typed is not echoed");
        assertEquals("VALID", frameVerdict(mn, "Kq7Tz2Lm"));
        assertEquals("AUTH_FAILED", frameVerdict(mn, "123456"));
        // a generated one replaces it and is shown once
        String generated = (String) ok(call(admin, HttpMethod.POST, pwUrl, null), 200).get("password");
        assertEquals("VALID", frameVerdict(mn, generated));
        assertEquals("AUTH_FAILED", frameVerdict(mn, "Kq7Tz2Lm"));
        assertTrue(jdbc.queryForObject("select count(*) from audit_log where action = 'DEVICE_PASSWORD_SET' and target = ?",
                Long.class, "data-logger:" + mn) >= 2);
        assertEquals(0L, jdbc.queryForObject("select count(*) from audit_log where detail::text like ? or detail::text like ?",
                Long.class, "%" + generated + "%", "%Kq7Tz2Lm%"), "no password in the audit log");
    }

    private String frameVerdict(String mn, String pw) throws Exception {
        String qn = qn();
        try (LoggerSocket s = new LoggerSocket(gateway.port())) {
            s.send(mn, pw, qn);
        }
        return verdict(qn).split(" ")[0];
    }

    @Test
    void aFleetWithoutPasswordsIsRolledOutInBulk() throws Exception {
        String district = "619911";
        long e1 = enterprise(district);
        long e2 = enterprise(district);
        String mn1 = "ITBULK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String mn2 = "ITBULK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?), (?, ?)", mn1, e1, mn2, e2);
        long elsewhere = enterprise("610113");
        String other = "ITBULK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", other, elsewhere);
        credentials.reload();

        TestRestTemplate officer = AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(district), null));
        ResponseEntity<byte[]> sheet = officer.exchange("/api/registry/data-loggers/passwords", HttpMethod.POST,
                new HttpEntity<>(Map.of("regionCode", district)), byte[].class);
        assertEquals(200, sheet.getStatusCode().value());
        Map<String, String> passwords = new HashMap<>();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(sheet.getBody()))) {
            Sheet s = wb.getSheetAt(0);
            int mnCol = -1;
            int pwCol = -1;
            for (int c = 0; c < s.getRow(0).getLastCellNum(); c++) {
                String h = s.getRow(0).getCell(c).getStringCellValue();
                mnCol = h.equals("MN") ? c : mnCol;
                pwCol = h.equals("访问密码") ? c : pwCol;
            }
            for (int r = 1; r <= s.getLastRowNum(); r++) {
                Row row = s.getRow(r);
                passwords.put(row.getCell(mnCol).getStringCellValue(), row.getCell(pwCol).getStringCellValue());
            }
        }
        assertEquals(java.util.Set.of(mn1, mn2), passwords.keySet(), "the officer's district only");
        assertEquals(1L, jdbc.queryForObject("select count(*) from data_logger where mn = ? and pw_hash is null", Long.class, other));
        assertEquals("VALID", frameVerdict(mn1, passwords.get(mn1)));

        Map<String, Object> switched = ok(call(officer, HttpMethod.POST, "/api/registry/data-loggers/access",
                Map.of("regionCode", district, "policy", "REJECT")), 200);
        assertEquals(2, switched.get("updated"));
        assertEquals("AUTH_FAILED", frameVerdict(mn2, "123456"));
        assertEquals("VALID", frameVerdict(mn2, passwords.get(mn2)));
        assertEquals("WARN", jdbc.queryForObject("select access_policy from data_logger where mn = ?", String.class, other));

        String audit = jdbc.queryForObject("select detail::text from audit_log where action = 'DEVICE_PASSWORDS_GENERATED' "
                + "order by id desc limit 1", String.class);
        assertTrue(audit.contains("\"count\": 2") && audit.contains(mn1) && audit.contains(district), audit);
        for (String pw : passwords.values()) {
            assertFalse(audit.contains(pw), "no password in the audit log");
        }
        assertEquals(0, ok(call(AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null)),
                HttpMethod.POST, "/api/registry/data-loggers/access", Map.of("regionCode", district, "policy", "WARN")), 200)
                .get("updated"), "outside one's districts nothing changes");
    }

    @Test
    void theGatewayKnowsThePasswordsWithoutTheDatabase() throws Exception {
        Map<String, Object> logger = register(enterprise("610113"));
        String mn = (String) logger.get("mn");
        String password = (String) logger.get("password");
        Path file = dataDir.resolve("device-credentials.tsv");
        await("the snapshot holds the new logger", () -> {
            try {
                return Files.exists(file) && Files.readString(file).contains(mn);
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertFalse(Files.readString(file).contains(password), "only hashes are written");
        DeviceCredentials fromFile = DeviceCredentials.fromSnapshot(file);
        assertEquals(com.powerwatch.ingest.gateway.DeviceAuthenticator.Outcome.VERIFIED,
                fromFile.check(mn, password, java.net.InetAddress.getLoopbackAddress()).outcome());
        assertEquals(com.powerwatch.ingest.gateway.DeviceAuthenticator.Outcome.REJECTED,
                fromFile.check(mn, "123456", java.net.InetAddress.getLoopbackAddress()).outcome());
    }
}
