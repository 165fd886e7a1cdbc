package com.powerwatch.platform.mobile;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.auth.TokenHashing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/mobile/updates}, what the Android app's background check asks: new open alarms in the caller's
 * scope (scoped in SQL), the caller's own unread messages, past the app's cursors; small and bounded.
 */
class MobileUpdatesIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    AlarmRecorder recorder;

    private AlarmFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new AlarmFixtures(jdbc, recorder);
    }

    private Map<String, Object> updates(String token, String query) {
        ResponseEntity<Map> r = get(token, "/api/mobile/updates" + query);
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    private static long n(Map<String, Object> m, String field) {
        return ((Number) m.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String field) {
        return (List<Map<String, Object>>) m.get(field);
    }

    private static String after(Map<String, Object> baseline) {
        return "?alarmsAfter=" + n(baseline, "latestAlarmId") + "&messagesAfter=" + n(baseline, "latestMessageId");
    }

    @Test
    void anOfficerHearsOfNewOpenAlarmsInTheirDistrictOnly() {
        String home = fixtures.district("手机甲区");
        String elsewhere = fixtures.district("手机乙区");
        AlarmFixtures.Enterprise mine = fixtures.enterprise(home, "3360", "甲区喷涂");
        AlarmFixtures.Enterprise theirs = fixtures.enterprise(elsewhere, "3360", "乙区喷涂");
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(home), null);
        String company = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), theirs.id());

        Map<String, Object> baseline = updates(officer, "");
        assertEquals(List.of(), list(baseline, "alarms"), "without cursors: only the newest ids");
        Map<String, Object> companyBaseline = updates(company, "");

        Instant at = Instant.parse("2026-11-23T00:15:00Z");
        long open = fixtures.raise(mine, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, at);
        long other = fixtures.raise(theirs, "TREATMENT_STOPPED", AlarmLevel.LEVEL_1, at);
        long cancelled = fixtures.raise(mine, "TREATMENT_STOPPED", AlarmLevel.LEVEL_3, at);
        jdbc.update("update alarm set handling = 'CANCELLED' where id = ?", cancelled);
        long recovered = fixtures.raise(mine, "TREATMENT_STOPPED", AlarmLevel.LEVEL_3, at);
        jdbc.update("update alarm set status = 'RECOVERED', ended_at = now() where id = ?", recovered);

        Map<String, Object> u = updates(officer, after(baseline));
        assertEquals(recovered, n(u, "latestAlarmId"), "the next cursor: the newest alarm in scope, open or not");
        assertEquals(1, n(u, "newAlarms"));
        List<Map<String, Object>> alarms = list(u, "alarms");
        assertEquals(1, alarms.size(), alarms.toString());
        Map<String, Object> a = alarms.get(0);
        assertEquals(open, n(a, "id"));
        assertEquals("LEVEL_2", a.get("level"));
        assertEquals("二级", a.get("levelName"));
        assertEquals(mine.name(), a.get("enterpriseName"));
        assertEquals("手机甲区", a.get("districtName"));
        assertEquals("2026-11-23T08:15:00+08:00", a.get("startedAt"), "Beijing time");
        assertTrue(!String.valueOf(a.get("typeName")).isBlank());

        Map<String, Object> none = updates(officer, "?alarmsAfter=" + n(u, "latestAlarmId") + "&messagesAfter=" + n(u, "latestMessageId"));
        assertEquals(0, n(none, "newAlarms"));
        assertEquals(List.of(), list(none, "alarms"));

        Map<String, Object> forCompany = updates(company, after(companyBaseline));
        assertEquals(List.of(other), list(forCompany, "alarms").stream().map(x -> n(x, "id")).toList(), "its own enterprise only");
        assertEquals(other, n(forCompany, "latestAlarmId"));
    }

    @Test
    void aUserHearsOfTheirOwnUnreadMessagesNewestFirstAtMostTheLimitAllCounted() {
        String token = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(fixtures.district("手机丙区")), null);
        long me = jdbc.queryForObject("select user_id from auth_token where token_hash = ?", Long.class, TokenHashing.hash(token));
        String someoneElse = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(), null);
        long other = jdbc.queryForObject("select user_id from auth_token where token_hash = ?", Long.class, TokenHashing.hash(someoneElse));
        Map<String, Object> baseline = updates(token, "");

        String insert = "insert into user_message (user_id, alarm_id, event, title, text, level) values (?, null, 'DISPATCHED', ?, '请核查', 'LEVEL_2') returning id";
        long first = 0;
        long last = 0;
        for (int i = 1; i <= 26; i++) {
            last = jdbc.queryForObject(insert, Long.class, me, "任务派发 " + i);
            first = first == 0 ? last : first;
        }
        long readOnThePc = first;
        jdbc.update("update user_message set read_at = now() where id = ?", readOnThePc);
        jdbc.queryForObject(insert, Long.class, other, "别人的消息");

        Map<String, Object> u = updates(token, after(baseline));
        assertEquals(last, n(u, "latestMessageId"));
        assertEquals(25, n(u, "newMessages"), "26 sent, one read");
        List<Map<String, Object>> messages = list(u, "messages");
        assertEquals(20, messages.size(), "powerwatch.mobile.updates-limit (20) listed, the rest only counted");
        assertEquals(last, n(messages.get(0), "id"), "newest first");
        assertEquals("任务派发 26", messages.get(0).get("title"));
        assertTrue(messages.stream().noneMatch(m -> n(m, "id") == readOnThePc));
        assertTrue(messages.stream().noneMatch(m -> "别人的消息".equals(m.get("title"))));
    }

    @Test
    void cursorsComeTogetherAndAreNotNegativeAndAnonymousCallersAreRefused() {
        String token = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(), null);
        ResponseEntity<Map> one = get(token, "/api/mobile/updates?alarmsAfter=3");
        assertEquals(400, one.getStatusCode().value());
        assertEquals("messagesAfter", one.getBody().get("field"));
        assertTrue(String.valueOf(one.getBody().get("message")).contains("同时给出"), one.getBody().toString());
        ResponseEntity<Map> negative = get(token, "/api/mobile/updates?alarmsAfter=-1&messagesAfter=0");
        assertEquals(400, negative.getStatusCode().value());
        assertEquals("alarmsAfter", negative.getBody().get("field"));
        assertEquals(401, get(null, "/api/mobile/updates").getStatusCode().value());
    }

    @Test
    void theLimitIsAConfiguredNumberWithinBounds() {
        assertEquals(20, new MobileProperties("", "", 20).updatesLimit());
        assertThrows(IllegalArgumentException.class, () -> new MobileProperties("", "", 0));
        assertThrows(IllegalArgumentException.class, () -> new MobileProperties("", "", 51));
        assertThrows(IllegalArgumentException.class, () -> new MobileProperties("", "javascript:alert(1)", 20));
        assertEquals("https://gov.example.cn/powerwatch", new MobileProperties("", "https://gov.example.cn/powerwatch", 20).publicUrl());
    }
}
