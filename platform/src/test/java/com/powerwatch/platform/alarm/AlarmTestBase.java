package com.powerwatch.platform.alarm;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.auth.TokenHashing;
import com.sun.net.httpserver.HttpServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One application context for the alarm tests: a loopback HTTP server standing in for the WeCom / DingTalk robots
 * and the SMS gateway (and an endpoint that always fails), GreenMail as the SMTP server, a short escalation rule for
 * PATTERN_ANOMALY and a small photo limit.
 */
abstract class AlarmTestBase extends PlatformIntegrationTest {

    static final String YANTA = "610113";   // 西安市雁塔区
    static final String WEIYANG = "610112"; // 西安市未央区

    /** What the loopback server received, by path: "uri\nbody". */
    static final Map<String, BlockingQueue<String>> RECEIVED = new ConcurrentHashMap<>();
    static final HttpServer HOOKS;
    static final GreenMail MAIL;

    static {
        try {
            HOOKS = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String path : List.of("/wecom", "/dingtalk", "/sms", "/fail")) {
            RECEIVED.put(path, new LinkedBlockingQueue<>());
            HOOKS.createContext(path, exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                RECEIVED.get(path).add(exchange.getRequestURI() + "\n" + body);
                byte[] answer = path.equals("/fail") ? "{\"errcode\":500}".getBytes() : "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(path.equals("/fail") ? 500 : 200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
        }
        HOOKS.start();
        int smtp;
        try (ServerSocket s = new ServerSocket(0)) {
            smtp = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MAIL = new GreenMail(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        MAIL.start();
    }

    @DynamicPropertySource
    static void alarmProperties(DynamicPropertyRegistry r) {
        String base = "http://127.0.0.1:" + HOOKS.getAddress().getPort();
        String c = "powerwatch.alarm.notify.channels.";
        r.add("powerwatch.alarm.notify.backoff", () -> "100ms");
        r.add("powerwatch.alarm.notify.max-attempts", () -> "3");
        r.add(c + "wecom.kind", () -> "WECOM");
        r.add(c + "wecom.url", () -> base + "/wecom?key=test");
        r.add(c + "wecom.levels", () -> "LEVEL_1,LEVEL_2");
        r.add(c + "wecom.events", () -> "OPENED,ESCALATED,HANDLED");
        r.add(c + "dingtalk.kind", () -> "DINGTALK");
        r.add(c + "dingtalk.url", () -> base + "/dingtalk?access_token=test");
        r.add(c + "dingtalk.secret", () -> "SECtest");
        r.add(c + "dingtalk.format", () -> "text");
        r.add(c + "dingtalk.types", () -> "PRODUCTION");
        r.add(c + "dingtalk.regions", () -> "610100");
        r.add(c + "sms.kind", () -> "SMS");
        r.add(c + "sms.url", () -> base + "/sms?to={phone}");
        r.add(c + "sms.levels", () -> "LEVEL_1");
        r.add(c + "sms.recipients", () -> "13900000001");
        r.add(c + "sms.enterprise-contacts", () -> "true");
        r.add(c + "sms.sms-sign", () -> "【环保局】");
        r.add(c + "sms.headers.X-Api-Key", () -> "k-123");
        // a duty-phone SMS channel that does not reach users (user-contacts: false), for handling opinions only
        r.add(c + "sms-duty.kind", () -> "SMS");
        r.add(c + "sms-duty.url", () -> base + "/sms?to={phone}&channel=duty");
        r.add(c + "sms-duty.levels", () -> "LEVEL_1");
        r.add(c + "sms-duty.events", () -> "HANDLED");
        r.add(c + "sms-duty.recipients", () -> "13900000009");
        r.add(c + "sms-duty.user-contacts", () -> "false");
        r.add(c + "broken.kind", () -> "WECOM");
        r.add(c + "broken.url", () -> base + "/fail");
        r.add(c + "broken.types", () -> "METER_POWER_LOSS");
        r.add(c + "mail.kind", () -> "EMAIL");
        r.add(c + "mail.host", () -> "127.0.0.1");
        r.add(c + "mail.port", () -> String.valueOf(MAIL.getSmtp().getPort()));
        r.add(c + "mail.from", () -> "powerwatch@test.local");
        r.add(c + "mail.recipients", () -> "duty@test.local");
        r.add(c + "mail.levels", () -> "LEVEL_1");
        r.add("powerwatch.alarm.escalation.interval", () -> "1s");
        r.add("powerwatch.alarm.escalation.rules.PATTERN_ANOMALY.after", () -> "2s");
        r.add("powerwatch.alarm.escalation.rules.PATTERN_ANOMALY.ceiling", () -> "LEVEL_3");
        r.add("powerwatch.alarm.escalation.rules.DATA.after", () -> "1h");
        r.add("powerwatch.alarm.attachments.max-size", () -> "64KB");
        r.add("powerwatch.alarm.stream.flush", () -> "100ms");
    }

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;
    @Autowired
    AlarmRecorder recorder;
    @Autowired
    AlarmService alarms;

    /** A user with a token. */
    record User(long id, String token, TestRestTemplate http) {
    }

    User user(Role role, List<String> regions, Long enterpriseId) {
        String token = AuthTestSupport.token(jdbc, role, regions, enterpriseId);
        long id = jdbc.queryForObject("select user_id from auth_token where token_hash = ?", Long.class, TokenHashing.hash(token));
        return new User(id, token, AuthTestSupport.as(http, token));
    }

    User admin() {
        return user(Role.CITY_ADMIN, List.of(), null);
    }

    /** An enterprise (with a contact phone) and its production and treatment facilities. */
    record Site(long enterpriseId, long productionId, long treatmentId, String name) {
    }

    Site site(String district) {
        String name = "企业" + UUID.randomUUID().toString().substring(0, 8);
        long e = jdbc.queryForObject("""
                insert into enterprise (name, district_code, industry_code, contacts)
                values (?, ?, '3360', '[{"name":"王工","phone":"13800000002"}]'::jsonb) returning id""", Long.class, name, district);
        long p = jdbc.queryForObject("insert into facility (enterprise_id, name, kind, rated_kw) values (?, '喷涂室', 'PRODUCTION', 55) returning id",
                Long.class, e);
        long t = jdbc.queryForObject("insert into facility (enterprise_id, name, kind, rated_kw) values (?, '活性炭吸附', 'TREATMENT', 15) returning id",
                Long.class, e);
        return new Site(e, p, t, name);
    }

    static String subject() {
        return "facility:" + UUID.randomUUID();
    }

    AlarmSignal signal(String type, String subject, Site s, AlarmLevel level, Instant at, Map<String, Object> evidence) {
        return new AlarmSignal(type, subject, s.enterpriseId(), s.treatmentId(), null, null, level, at, evidence);
    }

    /** Raises a TREATMENT_NOT_STARTED alarm on the site's treatment facility and returns its id. */
    long openAlarm(Site s, String type, AlarmLevel level) {
        String key = subject();
        recorder.raise(signal(type, key, s, level, Instant.now().minusSeconds(600),
                Map.of("productionKw", 71.2, "productionThresholdKw", 50, "treatmentKw", 0, "treatmentThresholdKw", 10)));
        return jdbc.queryForObject("select id from alarm where subject_key = ? and status = 'ACTIVE'", Long.class, key);
    }

    static ResponseEntity<Map<String, Object>> call(TestRestTemplate t, HttpMethod method, String url, Object body) {
        return t.exchange(url, method, body == null ? null : new HttpEntity<>(body), MAP);
    }

    static ResponseEntity<Map<String, Object>> post(User u, String url, Object body) {
        return call(u.http(), HttpMethod.POST, url, body == null ? Map.of() : body);
    }

    static Map<String, Object> ok(ResponseEntity<Map<String, Object>> r, int status) {
        assertEquals(status, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    static void status(int expected, ResponseEntity<Map<String, Object>> r, String what) {
        assertEquals(expected, r.getStatusCode().value(), what + ": " + r.getBody());
    }
}
