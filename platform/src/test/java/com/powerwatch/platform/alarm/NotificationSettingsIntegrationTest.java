package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 通知设置 (read only): the channels of AlarmTestBase as the administrator sees them, without their secrets. */
class NotificationSettingsIntegrationTest extends AlarmTestBase {

    @Test
    @SuppressWarnings("unchecked")
    void theAdministratorSeesTheConfiguredChannelsWithTheirRoutingAndDeliveriesButNoSecrets() {
        jdbc.update("""
                insert into notification_log (channel, kind, event, recipient, attempt, outcome, status, error, title)
                values ('broken', 'WECOM', 'OPENED', null, 3, 'FAILED', 500, 'HTTP 500 {"errcode":500}', '测试')""");
        var r = call(admin().http(), HttpMethod.GET, "/api/admin/notification-settings", null);
        Map<String, Object> body = ok(r, 200);
        List<Map<String, Object>> channels = (List<Map<String, Object>>) body.get("channels");
        Map<String, Map<String, Object>> byName = channels.stream()
                .collect(Collectors.toMap(c -> (String) c.get("name"), c -> c));
        assertEquals("in-app", channels.get(0).get("name"), "the in-app channel first, always on");
        assertEquals(true, channels.get(0).get("enabled"));

        Map<String, Object> wecom = byName.get("wecom");
        assertEquals("WECOM", wecom.get("kind"));
        assertTrue(((String) wecom.get("target")).endsWith("/wecom"), "no query (the robot key): " + wecom.get("target"));
        assertEquals(List.of("LEVEL_1", "LEVEL_2"), wecom.get("levels"));
        Map<String, Object> dingtalk = byName.get("dingtalk");
        assertEquals(true, dingtalk.get("signed"));
        assertEquals(List.of("610100"), dingtalk.get("regions"));
        assertEquals(List.of("PRODUCTION"), dingtalk.get("types"));
        Map<String, Object> sms = byName.get("sms");
        assertEquals(List.of("139****0001"), sms.get("recipients"));
        assertEquals(true, sms.get("enterpriseContacts"));
        assertEquals(false, byName.get("sms-duty").get("userContacts"));
        assertEquals(List.of("d***@test.local"), byName.get("mail").get("recipients"));
        assertTrue(((String) byName.get("mail").get("target")).startsWith("127.0.0.1:"));
        assertNull(byName.get("mail").get("format"));

        Map<String, Object> failed = (Map<String, Object>) byName.get("broken").get("deliveries");
        assertTrue(((Number) failed.get("failed")).longValue() >= 1, "deliveries of the last 7 days: " + failed);
        assertTrue(((String) failed.get("lastError")).contains("500"));
        assertEquals(3, ((Number) ((Map<String, Object>) body.get("delivery")).get("maxAttempts")).intValue());
        assertFalse(((List<?>) body.get("escalation")).isEmpty());

        String text = r.getBody().toString();
        for (String secret : List.of("key=test", "access_token=test", "SECtest", "k-123", "13900000001", "duty@test.local")) {
            assertFalse(text.contains(secret), "leaks " + secret + ": " + text);
        }
        status(403, call(user(Role.OPERATOR, List.of(), null).http(), HttpMethod.GET, "/api/admin/notification-settings", null),
                "operators do not see notification settings");
    }
}
