package com.powerwatch.platform.auth;

import com.powerwatch.platform.PlatformIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The app as IngestIntegrationTest boots it (temp data dir, embedded PostgreSQL and gateway on port 0), shared by
 * the auth and audit test classes so they run against one context. Helpers call the API with or without a token.
 */
@AutoConfigureObservability // /actuator/prometheus exists as in production
public abstract class AuthIntegrationTestBase extends PlatformIntegrationTest {

    /** A password that passes the policy. */
    protected static final String GOOD_PASSWORD = "Blue-River-2026";

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected TestRestTemplate http;
    @Autowired
    protected PasswordEncoder encoder;

    /** A user with a known password (no change required); returns its id. */
    protected long user(String username, Role role, String password, List<String> regions, Long enterpriseId) {
        Long id = jdbc.queryForObject("""
                insert into app_user (username, role, enterprise_id, password_hash) values (?, ?, ?, ?) returning id""",
                Long.class, username, role.name(), enterpriseId, encoder.encode(password));
        for (String region : regions) {
            jdbc.update("insert into app_user_region (user_id, region_code) values (?, ?)", id, region);
        }
        return id;
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Regions 610000 > 610100 > 610113 / 610112 and one enterprise in each district; returns {enterprise in 610113, in 610112}. */
    protected long[] enterprises() {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values
                  ('610000', '陕西省', 1, null), ('610100', '西安市', 2, '610000'),
                  ('610113', '雁塔区', 3, '610100'), ('610112', '未央区', 3, '610100')
                on conflict do nothing""");
        long a = jdbc.queryForObject("insert into enterprise (name, district_code) values (?, '610113') returning id", Long.class,
                unique("雁塔企业"));
        long b = jdbc.queryForObject("insert into enterprise (name, district_code) values (?, '610112') returning id", Long.class,
                unique("未央企业"));
        return new long[]{a, b};
    }

    protected ResponseEntity<Map> login(String username, String password) {
        return call(null, HttpMethod.POST, "/api/auth/login", Map.of("username", username, "password", password));
    }

    protected String loginToken(String username, String password) {
        ResponseEntity<Map> r = login(username, password);
        if (!r.getStatusCode().is2xxSuccessful()) {
            throw new AssertionError("login of " + username + " failed: " + r.getStatusCode() + " " + r.getBody());
        }
        return (String) r.getBody().get("token");
    }

    protected ResponseEntity<Map> get(String token, String url) {
        return call(token, HttpMethod.GET, url, null);
    }

    protected ResponseEntity<Map> post(String token, String url, Object body) {
        return call(token, HttpMethod.POST, url, body);
    }

    protected ResponseEntity<List> getList(String token, String url) {
        return http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), List.class);
    }

    /** Any call; {@code token} null = anonymous. Never throws on 4xx/5xx. */
    protected ResponseEntity<Map> call(String token, HttpMethod method, String url, Object body) {
        return http.exchange(url, method, new HttpEntity<>(body, headers(token)), Map.class);
    }

    protected static HttpHeaders headers(String token) {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            h.setBearerAuth(token);
        }
        return h;
    }
}
