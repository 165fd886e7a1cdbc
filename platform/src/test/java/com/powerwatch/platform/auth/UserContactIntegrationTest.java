package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users' own phone and e-mail: checked with a clear 400, set by the administrator or by the user, shown to those two
 * only, and kept out of the audit log.
 */
class UserContactIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    NamedParameterJdbcTemplate named;

    private static Map<String, Object> operator(String username, String phone, String email) {
        Map<String, Object> m = new HashMap<>();
        m.put("username", username);
        m.put("displayName", "运维 " + username);
        m.put("role", "OPERATOR");
        m.put("phone", phone);
        m.put("email", email);
        return m;
    }

    private static void invalid(ResponseEntity<Map> r, String field, String words) {
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals("INVALID", r.getBody().get("error"));
        assertEquals(field, r.getBody().get("field"));
        assertTrue(String.valueOf(r.getBody().get("message")).contains(words), String.valueOf(r.getBody()));
    }

    @Test
    void invalidPhonesAndAddressesAreRefusedWithAClearMessage() {
        String admin = AuthTestSupport.adminToken(jdbc);
        String self = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(), null);
        List<String> usernames = new java.util.ArrayList<>();
        for (String phone : List.of("12345", "12000000000", "138000000001", "1380000000a", "88886666", "029-886")) {
            usernames.add(unique("ops"));
            invalid(post(admin, "/api/admin/users", operator(usernames.get(usernames.size() - 1), phone, null)), "phone",
                    "11位大陆手机号");
            invalid(call(self, HttpMethod.PUT, "/api/auth/me/contact", Map.of("phone", phone)), "phone", "带区号的座机号");
        }
        for (String email : List.of("no-at-sign", "a@b", "two@@example.cn", "with space@example.cn")) {
            usernames.add(unique("ops"));
            invalid(post(admin, "/api/admin/users", operator(usernames.get(usernames.size() - 1), null, email)), "email",
                    "电子邮箱格式不正确");
            invalid(call(self, HttpMethod.PUT, "/api/auth/me/contact", Map.of("email", email)), "email", "电子邮箱格式不正确");
        }
        // nothing was created or changed
        assertEquals(0, named.queryForObject("select count(*) from app_user where username in (:names)",
                Map.of("names", usernames), Integer.class));
        assertNull(get(self, "/api/auth/me").getBody().get("phone"));
    }

    @Test
    void theAdministratorAndTheUserSeeTheContactOthersDoNot() {
        String admin = AuthTestSupport.adminToken(jdbc);
        // typed with spaces and the country code; stored as the 11 digits
        String username = unique("ops");
        ResponseEntity<Map> created = post(admin, "/api/admin/users", operator(username, "+86 138 0013 8000", "ops@example.gov.cn"));
        assertEquals(201, created.getStatusCode().value(), String.valueOf(created.getBody()));
        Map<?, ?> user = (Map<?, ?>) created.getBody().get("user");
        assertEquals("13800138000", user.get("phone"));
        assertEquals("ops@example.gov.cn", user.get("email"));
        long id = ((Number) user.get("id")).longValue();
        assertEquals("13800138000", get(admin, "/api/admin/users/" + id).getBody().get("phone"));

        // the administrator replaces them (a landline with area code and extension is fine)
        Map<String, Object> update = operator(username, "029-88886666-123", "duty@example.gov.cn");
        ResponseEntity<Map> updated = call(admin, HttpMethod.PUT, "/api/admin/users/" + id, update);
        assertEquals(200, updated.getStatusCode().value(), String.valueOf(updated.getBody()));
        assertEquals("029-88886666-123", updated.getBody().get("phone"));
        assertEquals(Boolean.TRUE, jdbc.queryForObject("""
                select (detail ->> 'phoneChanged')::boolean from audit_log where action = 'USER_UPDATED' and target = ?""",
                Boolean.class, "user:" + id));

        // the user sets their own, sees them in "me", and clears the e-mail with a blank
        String token = changedPasswordToken(username, id);
        ResponseEntity<Map> mine = call(token, HttpMethod.PUT, "/api/auth/me/contact", Map.of("phone", "13912345678", "email", " "));
        assertEquals(200, mine.getStatusCode().value(), String.valueOf(mine.getBody()));
        assertEquals("13912345678", mine.getBody().get("phone"));
        assertNull(mine.getBody().get("email"));
        Map<?, ?> me = get(token, "/api/auth/me").getBody();
        assertEquals("13912345678", me.get("phone"));
        assertEquals("13912345678", get(admin, "/api/admin/users/" + id).getBody().get("phone"));

        // another user: no way to the user list or the user, and "me" is their own
        String other = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(), null);
        assertEquals(403, get(other, "/api/admin/users/" + id).getStatusCode().value());
        assertEquals(403, get(other, "/api/admin/users?q=" + username).getStatusCode().value());
        assertFalse(String.valueOf(get(other, "/api/auth/me").getBody()).contains("13912345678"));

        // personal data stays out of the audit log; the change itself is recorded
        assertEquals(0, jdbc.queryForObject("""
                select count(*) from audit_log where detail::text like any (array['%13800138000%', '%13912345678%',
                  '%88886666%', '%ops@example.gov.cn%', '%duty@example.gov.cn%'])""", Integer.class));
        assertEquals(Boolean.TRUE, jdbc.queryForObject("""
                select (detail ->> 'phoneChanged')::boolean from audit_log where action = 'USER_CONTACT_CHANGED' and target = ?""",
                Boolean.class, "user:" + id));
        assertTrue(jdbc.queryForObject("select count(*) from audit_log where action = 'API_REQUEST' and path = '/api/auth/me/contact'"
                + " and user_id = ?", Integer.class, id) >= 1, "the request is recorded, with its values masked");
    }

    /** Logs in with the administrator's temporary password replaced by a known one (as a real user would). */
    private String changedPasswordToken(String username, long id) {
        jdbc.update("update app_user set password_hash = ?, must_change_password = false where id = ?", encoder.encode(GOOD_PASSWORD), id);
        return loginToken(username, GOOD_PASSWORD);
    }
}
