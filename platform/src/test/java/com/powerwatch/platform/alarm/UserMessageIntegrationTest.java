package com.powerwatch.platform.alarm;

import com.powerwatch.platform.SseLines;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.message.MessageRetentionJob;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-app inbox: a handling opinion is stored for each person concerned (connected or not) and read later over
 * {@code /api/messages}; only its owner reads or marks it.
 */
class UserMessageIntegrationTest extends AlarmTestBase {

    @Autowired
    MessageRetentionJob retention;

    private static String deadline() {
        return OffsetDateTime.now().plusDays(3).toString();
    }

    private int rows(long userId, long alarmId, String event) {
        return jdbc.queryForObject("select count(*) from user_message where user_id = ? and alarm_id = ? and event = ?",
                Integer.class, userId, alarmId, event);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static Map<String, Object> get(User u, String url) {
        return ok(call(u.http(), HttpMethod.GET, url, null), 200);
    }

    private static long unread(User u) {
        return ((Number) get(u, "/api/messages/unread-count").get("unread")).longValue();
    }

    private static long id(Map<String, Object> m) {
        return ((Number) m.get("id")).longValue();
    }

    @Test
    void aHandlingOpinionWaitsInTheInboxOfEachPersonConcernedAndOnlyTheOwnerReadsIt() {
        Site s = site(YANTA);
        Site neighbour = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User field = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        User colleague = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        User outsider = user(Role.ENTERPRISE_USER, List.of(), neighbour.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);

        // nobody has a stream open
        ok(post(officer, "/api/alarms/" + id + "/dispatch", Map.of("assigneeUserId", field.id(), "deadline", deadline())), 200);
        ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", "请于今日18时前开启活性炭吸附装置")), 200);

        // one row per person concerned: the enterprise's users and the assignee; not the officer who wrote it
        await("the opinion stored for the enterprise's users and the assignee", () -> rows(company.id(), id, "HANDLED") == 1
                && rows(colleague.id(), id, "HANDLED") == 1 && rows(field.id(), id, "HANDLED") == 1);
        await("the dispatched task stored for the assignee", () -> rows(field.id(), id, "DISPATCHED") == 1);
        assertEquals(0, jdbc.queryForObject("select count(*) from user_message where alarm_id = ? and user_id in (?, ?)",
                Integer.class, id, officer.id(), outsider.id()));

        // the enterprise user, offline when it was sent, reads it later
        List<Map<String, Object>> inbox = items(get(company, "/api/messages"));
        assertEquals(1, inbox.size(), inbox.toString());
        Map<String, Object> message = inbox.get(0);
        assertEquals("HANDLED", message.get("event"));
        assertEquals(id, ((Number) message.get("alarmId")).longValue());
        assertEquals("LEVEL_2", message.get("level"));
        assertTrue(((String) message.get("title")).startsWith("报警处理意见：【二级】治污设施未开启"), message.toString());
        assertTrue(((String) message.get("text")).contains("处理意见：请于今日18时前开启活性炭吸附装置"), message.toString());
        assertNull(message.get("readAt"));
        assertTrue(((String) message.get("createdAt")).endsWith("+08:00"), message.toString());
        assertEquals(1, unread(company));
        assertEquals(2, unread(field));
        long messageId = id(message);

        // nobody else reads or marks it: a colleague, another enterprise's user, the officer — all 404
        for (User other : List.of(colleague, outsider, officer, admin())) {
            status(404, post(other, "/api/messages/" + messageId + "/read", null), "someone else marks the message");
            assertTrue(items(get(other, "/api/messages")).stream().noneMatch(m -> id(m) == messageId), "someone else lists it");
        }
        assertNull(jdbc.queryForObject("select read_at from user_message where id = ?", Object.class, messageId));
        assertEquals(1, unread(company));

        // its owner marks it read: the count goes down; reading again keeps the first time
        Map<String, Object> read = ok(post(company, "/api/messages/" + messageId + "/read", null), 200);
        assertNotNull(read.get("readAt"));
        assertEquals(0, unread(company));
        assertEquals(1, unread(colleague), "the colleague's own copy is still unread");
        assertEquals(read.get("readAt"), ok(post(company, "/api/messages/" + messageId + "/read", null), 200).get("readAt"));
        assertEquals(List.of(), items(get(company, "/api/messages?unread=true")));
        assertEquals(1, items(get(company, "/api/messages")).size());
        status(404, post(company, "/api/messages/999999999/read", null), "no such message");

        // read-all marks the assignee's two messages
        Map<String, Object> all = ok(post(field, "/api/messages/read-all", null), 200);
        assertEquals(2, ((Number) all.get("marked")).intValue());
        assertEquals(0, ((Number) all.get("unread")).intValue());
        assertEquals(0, unread(field));
        assertEquals(1, unread(colleague), "read-all touches only the caller's messages");
    }

    @Test
    void pagesAreNewestFirstWithAKeyAndReadAllStopsAtWhatWasSeen() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        Site t = site(YANTA);
        User other = user(Role.ENTERPRISE_USER, List.of(), t.enterpriseId());
        // another user's message, older than all of company's
        long theirs = openAlarm(t, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2);
        ok(post(officer, "/api/alarms/" + theirs + "/handle", Map.of("text", "另一企业的意见")), 200);
        await("the other user's message stored", () -> rows(other.id(), theirs, "HANDLED") == 1);
        long id = openAlarm(s, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2);
        for (int i = 1; i <= 5; i++) {
            ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", "第" + i + "次意见")), 200);
            int n = i;
            // one at a time, so the order of the inbox is the order of the opinions
            await("opinion " + i + " stored", () -> rows(company.id(), id, "HANDLED") == n);
        }

        Map<String, Object> first = get(company, "/api/messages?limit=2");
        assertEquals(List.of("第5次意见", "第4次意见"), opinions(first));
        Map<String, Object> second = get(company, "/api/messages?limit=2&before=" + first.get("nextBefore"));
        assertEquals(List.of("第3次意见", "第2次意见"), opinions(second));
        Map<String, Object> last = get(company, "/api/messages?limit=2&before=" + second.get("nextBefore"));
        assertEquals(List.of("第1次意见"), opinions(last));
        assertNull(last.get("nextBefore"), "the last page has no next one");

        // another user's message id as the key gives nothing (and tells nothing), although the caller has older messages
        long foreign = id(items(first).get(0));
        assertEquals(1, items(get(other, "/api/messages")).size());
        assertEquals(List.of(), items(get(other, "/api/messages?before=" + foreign)));
        status(400, call(company.http(), HttpMethod.GET, "/api/messages?limit=0", null), "limit 0");
        status(400, call(company.http(), HttpMethod.GET, "/api/messages?limit=201", null), "limit above 200");

        // the unread list skips a read message; read-all up to the newest one seen leaves later ones unread
        ok(post(company, "/api/messages/" + id(items(second).get(0)) + "/read", null), 200);
        assertEquals(List.of("第5次意见", "第4次意见", "第2次意见", "第1次意见"), opinions(get(company, "/api/messages?unread=true")));
        long seen = id(items(second).get(1)); // 第2次
        Map<String, Object> upTo = ok(post(company, "/api/messages/read-all?upTo=" + seen, null), 200);
        assertEquals(2, ((Number) upTo.get("marked")).intValue(), "第2次 and 第1次");
        assertEquals(List.of("第5次意见", "第4次意见"), opinions(get(company, "/api/messages?unread=true")));
    }

    @Test
    void aConnectedUserGetsTheStoredMessageLiveWithItsId() throws Exception {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        BlockingQueue<String> lines = SseLines.open(http.getRootUri() + "/api/alarms/stream?access_token=" + company.token());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", "在线推送的意见")), 200);

        String line = waitFor(lines, "在线推送的意见");
        List<Map<String, Object>> inbox = items(get(company, "/api/messages"));
        assertEquals(1, inbox.size());
        assertTrue(line.contains("\"id\":" + id(inbox.get(0))), "the pushed message carries the inbox id: " + line);
        assertEquals(1, unread(company), "pushed and stored: unread until marked");
    }

    @SuppressWarnings("unchecked")
    private static List<String> opinions(Map<String, Object> page) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) page.get("items")) {
            String text = (String) m.get("text");
            out.add(text.substring("处理意见：".length(), text.indexOf('。')));
        }
        return out;
    }

    private static String waitFor(BlockingQueue<String> lines, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no stream line with " + text);
    }

    @Test
    void messagesPastTheRetentionAreDeletedAndTheAlarmStays() {
        Site s = site(YANTA);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        for (int daysAgo : new int[]{400, 181, 179, 0}) {
            jdbc.update("""
                    insert into user_message (user_id, alarm_id, event, title, text, created_at, read_at)
                    values (?, ?, 'HANDLED', '处理意见', '请整改', now() - make_interval(days => ?), null)""",
                    company.id(), id, daysAgo);
        }
        assertTrue(retention.run() >= 2, "at least this test's two old messages");
        assertEquals(List.of(0, 179), jdbc.queryForList("""
                select (extract(epoch from now() - created_at) / 86400)::int from user_message where user_id = ?
                order by created_at desc""", Integer.class, company.id()), "the two within 180 days are kept");
        assertEquals(1, jdbc.queryForObject("select count(*) from alarm where id = ?", Integer.class, id), "the alarm stays");
    }
}
