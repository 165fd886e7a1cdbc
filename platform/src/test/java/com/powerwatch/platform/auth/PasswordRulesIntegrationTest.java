package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Common passwords and the last few passwords of a user are refused, with a message on the field. */
class PasswordRulesIntegrationTest extends AuthIntegrationTestBase {

    @Test
    void commonPasswordsAreRefusedNamingTheField() {
        String name = unique("common");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String token = loginToken(name, GOOD_PASSWORD);
        for (String common : List.of("Password123", "Admin@123456", "P@ssw0rd123", "Qwer@123456", "ADMIN@123456", "Huawei@123")) {
            ResponseEntity<Map> r = post(token, "/api/auth/password", Map.of("oldPassword", GOOD_PASSWORD, "newPassword", common));
            assertEquals(400, r.getStatusCode().value(), common + ": " + r.getBody());
            assertEquals("newPassword", r.getBody().get("field"), common);
            assertTrue(String.valueOf(r.getBody().get("message")).contains("常见"), common + ": " + r.getBody());
        }
        // an administrator cannot give one either
        String admin = AuthTestSupport.adminToken(jdbc);
        ResponseEntity<Map> created = post(admin, "/api/admin/users", Map.of("username", unique("new"), "role", "OPERATOR",
                "password", "Admin@123456"));
        assertEquals(400, created.getStatusCode().value(), String.valueOf(created.getBody()));
        assertEquals("password", created.getBody().get("field"));
    }

    @Test
    void theLastFivePasswordsCannotBeUsedAgain() {
        String name = unique("history");
        long id = user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String token = loginToken(name, GOOD_PASSWORD);
        List<String> passwords = List.of(GOOD_PASSWORD, "Green-Hill-2027", "Red-Canyon-2028", "Grey-Stone-2029",
                "Pale-Moon-2030", "Dark-Wood-2031", "Cold-Lake-2032");
        for (int i = 1; i < passwords.size(); i++) {
            change(token, passwords.get(i - 1), passwords.get(i), 200);
            if (i == 2) {
                ResponseEntity<Map> back = change(token, passwords.get(2), GOOD_PASSWORD, 400);
                assertEquals("newPassword", back.getBody().get("field"));
                assertTrue(String.valueOf(back.getBody().get("message")).contains("最近 5 次"), String.valueOf(back.getBody()));
            }
        }
        // the five before the current one are remembered; the first (Blue-River-2026) has dropped out
        change(token, "Cold-Lake-2032", "Green-Hill-2027", 400);
        change(token, "Cold-Lake-2032", GOOD_PASSWORD, 200);
        assertEquals(5, jdbc.queryForObject("select count(*) from password_history where user_id = ?", Integer.class, id),
                "only the last five are kept");

        // a password reset by the administrator does not let the user go back to the password before it
        String admin = AuthTestSupport.adminToken(jdbc);
        String temporary = (String) post(admin, "/api/admin/users/" + id + "/reset-password", null).getBody().get("temporaryPassword");
        String afterReset = loginToken(name, temporary);
        change(afterReset, temporary, GOOD_PASSWORD, 400);
    }

    private ResponseEntity<Map> change(String token, String from, String to, int expected) {
        ResponseEntity<Map> r = post(token, "/api/auth/password", Map.of("oldPassword", from, "newPassword", to));
        assertEquals(expected, r.getStatusCode().value(), from + " → " + to + ": " + r.getBody());
        return r;
    }
}
