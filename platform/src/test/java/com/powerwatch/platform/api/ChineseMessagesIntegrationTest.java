package com.powerwatch.platform.api;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The officers read the API's error messages next to form fields and in notices: every one is Simplified Chinese,
 * whatever language the browser asks for, and none shows internals. The error codes, fields and statuses stay.
 */
class ChineseMessagesIntegrationTest extends AuthIntegrationTestBase {

    private static final Pattern CJK = Pattern.compile("\\p{IsHan}");
    /** What must never reach an officer: SQL, Java and parser internals, or English sentences. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)exception|constraint|duplicate key|violates|sql|jdbc|java\\.|org\\.|com\\.|\\bat \\w|JSON parse|Cannot deserialize|"
                    + "\\b(must|is|are|the|not|required)\\b");

    @Autowired
    Validator validator;

    /** As a browser set to English sends it: the messages are Chinese anyway. */
    private ResponseEntity<Map> english(String token, HttpMethod method, String url, Object body) {
        HttpHeaders h = headers(token);
        h.set(HttpHeaders.ACCEPT_LANGUAGE, "en-US,en;q=0.9");
        return http.exchange(url, method, new HttpEntity<>(body, h), Map.class);
    }

    private static String chinese(ResponseEntity<Map> r, int status, String code) {
        assertEquals(status, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals(code, r.getBody().get("error"), String.valueOf(r.getBody()));
        String message = String.valueOf(r.getBody().get("message"));
        assertTrue(CJK.matcher(message).find(), "not Chinese: " + r.getBody());
        assertFalse(INTERNALS.matcher(message).find(), "internals or English in: " + message);
        return message;
    }

    @Test
    void badRequestsAreExplainedInChineseNamingTheField() {
        String admin = AuthTestSupport.adminToken(jdbc);
        long enterprise = enterprises()[0];

        // a history range that ends before it starts
        ResponseEntity<Map> range = english(admin, HttpMethod.GET, "/api/history/series?subject=enterprise&id=" + enterprise
                + "&from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z", null);
        assertEquals("开始时间必须早于结束时间", chinese(range, 400, "INVALID"));
        assertEquals("from", range.getBody().get("field"));

        // a time that is not one
        ResponseEntity<Map> badTime = english(admin, HttpMethod.GET, "/api/history/series?subject=enterprise&id=" + enterprise
                + "&from=yesterday&to=2026-11-21", null);
        assertTrue(chinese(badTime, 400, "INVALID").startsWith("开始时间格式不正确"), badTime.getBody().toString());

        // a missing parameter is named, a parameter of the wrong type too
        ResponseEntity<Map> missing = english(admin, HttpMethod.GET, "/api/history/series?subject=enterprise&id=" + enterprise
                + "&to=2026-11-21", null);
        assertEquals("缺少必填参数 from", chinese(missing, 400, "INVALID"));
        assertEquals("from", missing.getBody().get("field"));
        ResponseEntity<Map> notANumber = english(admin, HttpMethod.GET, "/api/registry/enterprises/abc", null);
        assertTrue(chinese(notANumber, 400, "INVALID").contains("应为数字"), notANumber.getBody().toString());
        assertEquals("id", notANumber.getBody().get("field"));

        // a user's phone that is neither a mobile nor a landline number
        Map<String, Object> user = new HashMap<>(Map.of("username", unique("ops"), "role", "OPERATOR", "phone", "12345"));
        ResponseEntity<Map> phone = english(admin, HttpMethod.POST, "/api/admin/users", user);
        assertTrue(chinese(phone, 400, "INVALID").startsWith("手机号须为11位大陆手机号（13–19开头"), phone.getBody().toString());
        assertEquals("phone", phone.getBody().get("field"));

        // an unknown role in the body: the allowed values are listed, the parser's text is not shown
        user.put("phone", null);
        user.put("role", "KING");
        ResponseEntity<Map> role = english(admin, HttpMethod.POST, "/api/admin/users", user);
        assertTrue(chinese(role, 400, "INVALID").contains("CITY_ADMIN"), role.getBody().toString());

        // a body that is not JSON at all
        ResponseEntity<Map> garbage = english(admin, HttpMethod.POST, "/api/admin/users", "{not json");
        chinese(garbage, 400, "INVALID");
    }

    @Test
    void aWeakPasswordIsRefusedInChinese() {
        String name = unique("weak");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        String token = loginToken(name, GOOD_PASSWORD);
        ResponseEntity<Map> r = english(token, HttpMethod.POST, "/api/auth/password",
                Map.of("oldPassword", GOOD_PASSWORD, "newPassword", "short"));
        assertEquals("密码至少 10 位", chinese(r, 400, "INVALID"));
        assertEquals("newPassword", r.getBody().get("field"));
    }

    @Test
    void beanValidationMessagesAreChineseForEveryFieldWhateverTheBrowserLanguage() {
        String admin = AuthTestSupport.adminToken(jdbc);
        Map<String, Object> enterprise = new HashMap<>();
        enterprise.put("name", " ");
        enterprise.put("districtCode", "61011");
        enterprise.put("longitude", 200);
        enterprise.put("contacts", List.of(Map.of("name", "张三", "phone", "phone?")));
        ResponseEntity<Map> r = english(admin, HttpMethod.POST, "/api/registry/enterprises", enterprise);
        chinese(r, 400, "INVALID");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) r.getBody().get("errors");
        Map<String, String> byField = new HashMap<>();
        errors.forEach(e -> byField.put(e.get("field"), e.get("message")));
        assertEquals("请填写企业名称", byField.get("name"), errors.toString());
        assertEquals("区县代码须为6位行政区划代码（GB/T 2260）", byField.get("districtCode"), errors.toString());
        assertEquals("经度须在 -180 到 180 之间", byField.get("longitude"), errors.toString());
        assertTrue(byField.get("contacts[0].phone").startsWith("联系电话格式不正确"), errors.toString());
        for (Map<String, String> e : errors) {
            assertTrue(CJK.matcher(e.get("message")).find(), e.toString());
        }

        // a constraint without its own message (as new code may add) falls back to Chinese defaults, not English ones
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.US);
            var violations = validator.validate(new Sample("", "abcdef"));
            List<String> messages = violations.stream().map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().toList();
            assertEquals(List.of("code 长度须在 0 到 3 之间", "name 不能为空"), messages);
        } finally {
            Locale.setDefault(before);
        }
    }

    record Sample(@NotBlank String name, @Size(max = 3) String code) {
    }

    @Test
    void unauthorisedAndForbiddenAnswersAreChinese() {
        assertEquals("请先登录（接口调用须在请求头 Authorization 中携带 Bearer 令牌）",
                String.valueOf(english(null, HttpMethod.GET, "/api/auth/me", null).getBody().get("message")));
        chinese(english(null, HttpMethod.GET, "/api/auth/me", null), 401, "UNAUTHORIZED");
        assertTrue(chinese(english("not-a-token", HttpMethod.GET, "/api/auth/me", null), 401, "UNAUTHORIZED")
                .contains("请重新登录"));

        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        // refused by the URL rules (security filter) and by a method's @PreAuthorize (Spring's "Access Denied")
        assertEquals("您的角色无权进行此操作", chinese(english(officer, HttpMethod.GET, "/api/admin/users", null), 403, "FORBIDDEN"));
        assertEquals("您的角色无权进行此操作", chinese(english(officer, HttpMethod.POST, "/api/data-checks/runs", Map.of()), 403, "FORBIDDEN"));
        // an enterprise outside the officer's districts
        long elsewhere = enterprises()[1];
        assertTrue(chinese(english(officer, HttpMethod.GET, "/api/registry/enterprises/" + elsewhere, null), 403, "FORBIDDEN")
                .contains("不在您的管辖范围内"));
        // not found names the thing in Chinese
        assertEquals("编号为 999999999 的企业不存在",
                chinese(english(AuthTestSupport.adminToken(jdbc), HttpMethod.GET, "/api/registry/enterprises/999999999", null), 404, "NOT_FOUND"));

        // a user who must change the password first
        String name = unique("must");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        jdbc.update("update app_user set must_change_password = true where username = ?", name);
        assertEquals("请先修改密码，再使用系统",
                chinese(english(loginToken(name, GOOD_PASSWORD), HttpMethod.GET, "/api/alarms", null), 403, "PASSWORD_CHANGE_REQUIRED"));
    }

    @Test
    void wrongPasswordsAndALockedAccountAreExplainedWithTheBeijingTime() {
        String name = unique("locked");
        user(name, Role.OPERATOR, GOOD_PASSWORD, List.of(), null);
        assertEquals("用户名或密码错误", chinese(english(null, HttpMethod.POST, "/api/auth/login",
                Map.of("username", name, "password", "Wrong-Password-1")), 401, "BAD_CREDENTIALS"));
        ResponseEntity<Map> locked = null;
        for (int i = 2; i <= 5; i++) {
            locked = english(null, HttpMethod.POST, "/api/auth/login", Map.of("username", name, "password", "Wrong-Password-" + i));
        }
        String message = chinese(locked, 423, "LOCKED");
        String until = OffsetDateTime.parse((String) locked.getBody().get("lockedUntil"))
                .atZoneSameInstant(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        assertEquals("密码错误次数过多，账号已锁定至 " + until + "（北京时间），请届时再试或联系管理员解锁", message);
        // the right password while locked gets the same explanation
        assertEquals(message, chinese(english(null, HttpMethod.POST, "/api/auth/login",
                Map.of("username", name, "password", GOOD_PASSWORD)), 423, "LOCKED"));
    }

    @Test
    void aDatabaseConstraintIsAPlainSentenceWithoutTheConstraintText() {
        ResponseEntity<Map<String, Object>> r = new ApiErrors().conflict(new DataIntegrityViolationException(
                "could not execute statement",
                new RuntimeException("ERROR: duplicate key value violates unique constraint \"enterprise_credit_code_key\"")));
        assertEquals(409, r.getStatusCode().value());
        assertEquals("CONFLICT", r.getBody().get("error"));
        String message = (String) r.getBody().get("message");
        assertTrue(CJK.matcher(message).find(), message);
        assertFalse(INTERNALS.matcher(message).find(), message);
    }
}
