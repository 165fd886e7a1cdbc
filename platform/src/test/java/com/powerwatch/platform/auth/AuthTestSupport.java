package com.powerwatch.platform.auth;

import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.UUID;

/**
 * Tests' way in: a user of the given role with a bearer token, created directly in the database, and a
 * {@link TestRestTemplate} that sends the token on every request.
 */
public final class AuthTestSupport {

    private AuthTestSupport() {
    }

    /** Creates a user (unique name) and returns a valid bearer token for it. */
    public static String token(JdbcTemplate jdbc, Role role, List<String> regionCodes, Long enterpriseId) {
        String username = role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Long id = jdbc.queryForObject("insert into app_user (username, role, enterprise_id) values (?, ?, ?) returning id",
                Long.class, username, role.name(), enterpriseId);
        for (String region : regionCodes) {
            jdbc.update("insert into app_user_region (user_id, region_code) values (?, ?)", id, region);
        }
        String token = TokenHashing.newToken();
        jdbc.update("insert into auth_token (token_hash, user_id, kind) values (?, ?, ?)",
                TokenHashing.hash(token), id, role == Role.API_CLIENT ? "API" : "SESSION");
        return token;
    }

    public static String adminToken(JdbcTemplate jdbc) {
        return token(jdbc, Role.CITY_ADMIN, List.of(), null);
    }

    /** A copy of {@code http} that authenticates every request with {@code token}. */
    public static TestRestTemplate as(TestRestTemplate http, String token) {
        TestRestTemplate copy = new TestRestTemplate(http.getRestTemplate().getUriTemplateHandler() == null
                ? new org.springframework.boot.web.client.RestTemplateBuilder()
                : new org.springframework.boot.web.client.RestTemplateBuilder().uriTemplateHandler(http.getRestTemplate().getUriTemplateHandler()));
        copy.getRestTemplate().getInterceptors().add((request, body, execution) -> {
            request.getHeaders().setBearerAuth(token);
            return execution.execute(request, body);
        });
        return copy;
    }
}
