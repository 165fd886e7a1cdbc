package com.powerwatch.platform.alarm;

import com.powerwatch.platform.SseLines;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handling flow end to end, its state machine and who may take which step. */
class AlarmHandlingIntegrationTest extends AlarmTestBase {

    private static String url(long id, String action) {
        return "/api/alarms/" + id + "/" + action;
    }

    private static String deadline() {
        return OffsetDateTime.now().plusDays(3).toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWholeFlowFromRaiseToReviewKeepsEveryStepWithWhoAndWhen() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User field = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);

        // in the officer's real-time list, with the evidence
        Map<String, Object> page = ok(call(officer.http(), HttpMethod.GET, "/api/alarms?enterpriseId=" + s.enterpriseId(), null), 200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertEquals(1, items.size());
        assertEquals("治污设施未开启", items.get(0).get("typeName"));
        assertEquals("二级", items.get(0).get("levelName"));
        assertEquals(s.name(), items.get(0).get("enterpriseName"));
        assertEquals(71.2, ((Map<String, Object>) items.get(0).get("firstEvidence")).get("productionKw"));

        ok(post(officer, url(id, "confirm"), Map.of("text", "已知悉")), 200);
        ok(post(company, url(id, "reason"), Map.of("text", "风机检修，已报备")), 200);
        ok(post(officer, url(id, "dispatch"), Map.of("assigneeUserId", field.id(), "deadline", deadline(), "text", "现场核查")), 200);
        ok(post(officer, url(id, "handle"), Map.of("text", "请企业立即开启治污设施并书面说明")), 200);
        ok(post(field, url(id, "feedback"), Map.of("text", "现场检查：风机已恢复运行")), 200);
        ok(post(officer, url(id, "verify"), Map.of("result", "ENTERPRISE_ABNORMAL", "text", "企业未按规定运行")), 200);
        Map<String, Object> rejected = ok(post(officer, url(id, "review"), Map.of("result", "REJECTED", "text", "缺少照片")), 200);
        assertEquals("DISPATCHED", rejected.get("workflow"), "a rejected review goes back to the assignee");
        ok(post(field, url(id, "feedback"), Map.of("text", "补充照片")), 200);
        ok(post(officer, url(id, "verify"), Map.of("result", "ENTERPRISE_ABNORMAL")), 200);
        Map<String, Object> done = ok(post(officer, url(id, "review"), Map.of("result", "PASSED")), 200);
        assertEquals("REVIEWED", done.get("workflow"));
        assertEquals("HANDLED", done.get("handling"));

        List<Map<String, Object>> steps = (List<Map<String, Object>>) done.get("steps");
        assertEquals(List.of("RAISED", "CONFIRMED", "REASON", "DISPATCHED", "HANDLED", "FEEDBACK", "VERIFIED", "REVIEWED",
                "FEEDBACK", "VERIFIED", "REVIEWED"), steps.stream().map(st -> st.get("action")).toList());
        for (Map<String, Object> st : steps.subList(1, steps.size())) {
            assertNotNull(st.get("actorUserId"), st.toString());
            assertNotNull(st.get("at"), st.toString());
        }
        assertEquals(company.id(), ((Number) steps.get(2).get("actorUserId")).longValue());
        assertEquals("ENTERPRISE_USER", steps.get(2).get("actorRole"));
        assertEquals(field.id(), ((Number) steps.get(3).get("assigneeUserId")).longValue());
        assertNotNull(steps.get(3).get("deadline"));
        assertEquals("PASSED", steps.get(10).get("result"));

        // each step also in the audit log, as a domain event
        assertEquals(10, jdbc.queryForObject("select count(*) from audit_log where target = ? and action like 'ALARM_%'",
                Integer.class, "alarm:" + id));
        // the handling opinion went to the enterprise's user and to the assignee as in-app messages
        await("in-app messages of the handling opinion", () -> jdbc.queryForObject("""
                select count(*) from notification_log where alarm_id = ? and kind = 'IN_APP' and event = 'HANDLED' and outcome = 'SENT'
                  and recipient in (?, ?)""", Integer.class, id, "user:" + company.id(), "user:" + field.id()) == 2);
    }

    @Test
    void stepsOutOfOrderAre409AndMissingInputIs400() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        long id = openAlarm(s, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2);

        status(409, post(officer, url(id, "review"), Map.of("result", "PASSED")), "review before verify");
        status(409, post(officer, url(id, "verify"), Map.of("result", "NO_ABNORMALITY")), "verify before feedback");
        status(409, post(admin(), url(id, "feedback"), Map.of("text", "x")), "feedback before dispatch");
        status(403, post(officer, url(id, "feedback"), Map.of("text", "x")), "feedback by someone not assigned");
        status(400, post(officer, url(id, "handle"), Map.of()), "handle without an opinion");
        status(400, post(officer, url(id, "dispatch"), Map.of("assigneeRegion", YANTA)), "dispatch without a deadline");
        status(400, post(officer, url(id, "dispatch"), Map.of("deadline", deadline())), "dispatch without an assignee");
        status(400, post(officer, url(id, "dispatch"), Map.of("assigneeRegion", WEIYANG, "deadline", deadline())),
                "a unit that does not cover the enterprise");
        status(400, post(officer, url(id, "dispatch"), Map.of("assigneeRegion", YANTA,
                "deadline", OffsetDateTime.now().minusHours(1).toString())), "a deadline in the past");
        status(400, post(officer, url(id, "verify"), Map.of("result", "MAYBE")), "unknown verification result");

        ok(post(officer, url(id, "confirm"), Map.of()), 200);
        var again = post(officer, url(id, "confirm"), Map.of());
        status(409, again, "confirm twice");
        assertEquals("INVALID_STATE", again.getBody().get("error"));
        ok(post(officer, url(id, "dispatch"), Map.of("assigneeRegion", YANTA, "deadline", deadline())), 200);
        status(409, post(officer, url(id, "review"), Map.of("result", "PASSED")), "review right after dispatch");
        ok(post(officer, url(id, "cancel"), Map.of("text", "误报")), 200);
        status(409, post(officer, url(id, "cancel"), Map.of()), "cancel twice");
        status(409, post(officer, url(id, "handle"), Map.of("text", "x")), "handle a cancelled alarm");

        // a cancelled alarm leaves the real-time list and stays in history
        assertEquals(0L, total(officer, "/api/alarms?enterpriseId=" + s.enterpriseId()));
        assertEquals(1L, total(officer, "/api/alarms?status=all&enterpriseId=" + s.enterpriseId()));
        assertEquals(1L, total(officer, "/api/alarms?status=cancelled&enterpriseId=" + s.enterpriseId()));
    }

    @Test
    void aDistrictUnitsOfficersGiveFeedbackOthersDoNot() {
        Site s = site(YANTA);
        User dispatcher = user(Role.CITY_ADMIN, List.of(), null);
        User yanta = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User city = user(Role.DISTRICT_OFFICER, List.of("610100"), null); // a city officer covers the 雁塔 unit
        User weiyang = user(Role.DISTRICT_OFFICER, List.of(WEIYANG), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3);
        ok(post(dispatcher, url(id, "dispatch"), Map.of("assigneeRegion", YANTA, "deadline", deadline())), 200);
        status(403, post(weiyang, url(id, "feedback"), Map.of("text", "x")), "an officer of another district");
        status(403, post(company, url(id, "feedback"), Map.of("text", "x")), "the enterprise");
        ok(post(yanta, url(id, "feedback"), Map.of("text", "已核实")), 200);
        ok(post(dispatcher, url(id, "verify"), Map.of("result", "DEVICE_ABNORMAL")), 200);
        ok(post(dispatcher, url(id, "review"), Map.of("result", "REJECTED", "text", "补充说明")), 200);
        ok(post(city, url(id, "feedback"), Map.of("text", "补充说明")), 200);
        assertEquals("FEEDBACK", jdbc.queryForObject("select workflow from alarm where id = ?", String.class, id));
        // the unit's officers received the dispatch as an in-app message
        await("dispatch message to the unit", () -> jdbc.queryForObject("""
                select count(*) from notification_log where alarm_id = ? and event = 'DISPATCHED' and recipient = ?""",
                Integer.class, id, "user:" + yanta.id()) == 1);
    }

    @Test
    void whoMayTakeWhichStep() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User otherOfficer = user(Role.DISTRICT_OFFICER, List.of(WEIYANG), null);
        User operator = user(Role.OPERATOR, List.of(), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        Site neighbour = site(YANTA);
        User neighbourUser = user(Role.ENTERPRISE_USER, List.of(), neighbour.enterpriseId());
        User apiClient = user(Role.API_CLIENT, List.of(), null);
        long treatment = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        long offline = openAlarm(s, "LOGGER_OFFLINE", AlarmLevel.LEVEL_3);

        // scope: another district's officer and another enterprise's user neither see nor touch it
        status(403, call(otherOfficer.http(), HttpMethod.GET, "/api/alarms/" + treatment, null), "read out of scope");
        status(403, post(otherOfficer, url(treatment, "confirm"), Map.of()), "confirm out of scope");
        status(403, post(neighbourUser, url(treatment, "reason"), Map.of("text", "x")), "another enterprise's reason");
        assertEquals(0L, total(otherOfficer, "/api/alarms?status=all&enterpriseId=" + s.enterpriseId()));
        assertEquals(0L, total(neighbourUser, "/api/alarms?status=all&enterpriseId=" + s.enterpriseId()));
        status(404, post(officer, url(999_999_999L, "confirm"), Map.of()), "no such alarm");

        // enterprise users: reasons (and photos), nothing else
        status(403, post(company, url(treatment, "confirm"), Map.of()), "enterprise confirms");
        status(403, post(company, url(treatment, "handle"), Map.of("text", "x")), "enterprise handles");
        status(403, post(company, url(treatment, "dispatch"), Map.of("assigneeRegion", YANTA, "deadline", deadline())), "enterprise dispatches");
        ok(post(company, url(treatment, "reason"), Map.of("text", "停电检修")), 200);
        status(400, post(company, url(treatment, "reason"), Map.of()), "a reason without text");
        // officers do not file the enterprise's reasons
        status(403, post(officer, url(treatment, "reason"), Map.of("text", "x")), "officer files a reason");

        // operators: confirm and cancel communication and data-quality alarms only
        status(403, post(operator, url(treatment, "confirm"), Map.of()), "operator confirms a treatment alarm");
        ok(post(operator, url(offline, "confirm"), Map.of()), 200);
        ok(post(operator, url(offline, "cancel"), Map.of("text", "网络运营商故障")), 200);
        status(403, post(operator, url(treatment, "handle"), Map.of("text", "x")), "operator handles");

        // API clients read, never write
        ok(call(apiClient.http(), HttpMethod.GET, "/api/alarms/" + treatment, null), 200);
        status(403, post(apiClient, url(treatment, "confirm"), Map.of()), "API client confirms");

        // officers in scope and administrators do the rest
        ok(post(officer, url(treatment, "handle"), Map.of("text", "请整改")), 200);
        // the enterprise user sees its alarm with the steps
        Map<String, Object> seen = ok(call(company.http(), HttpMethod.GET, "/api/alarms/" + treatment, null), 200);
        assertEquals("HANDLED", seen.get("handling"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void filtersAndCountsForTheRealTimeList() {
        Site yanta = site(YANTA);
        Site weiyang = site(WEIYANG);
        User officer = user(Role.DISTRICT_OFFICER, List.of("610100"), null); // the whole city
        long a1 = openAlarm(yanta, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1);
        openAlarm(yanta, "FROZEN_VALUE", AlarmLevel.NOTICE);
        openAlarm(weiyang, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        String both = "&enterpriseId=" + yanta.enterpriseId();
        assertEquals(1L, total(officer, "/api/alarms?level=LEVEL_1" + both));
        assertEquals(1L, total(officer, "/api/alarms?category=DATA" + both));
        assertEquals(1L, total(officer, "/api/alarms?type=FROZEN_VALUE" + both));
        assertEquals(2L, total(officer, "/api/alarms?industry=C" + both), "industry C covers 3360");
        assertEquals(0L, total(officer, "/api/alarms?industry=D" + both));
        assertEquals(2L, total(officer, "/api/alarms?district=" + YANTA + both));
        assertEquals(0L, total(officer, "/api/alarms?district=" + WEIYANG + both));
        assertEquals(2L, total(officer, "/api/alarms?handling=UNCONFIRMED" + both));
        assertEquals(0L, total(officer, "/api/alarms?minCount=2" + both));
        jdbc.update("update alarm set repeats = 4 where id = ?", a1);
        assertEquals(1L, total(officer, "/api/alarms?minCount=5" + both));
        status(400, call(officer.http(), HttpMethod.GET, "/api/alarms?level=RED", null), "unknown level");
        status(400, call(officer.http(), HttpMethod.GET, "/api/alarms?status=open", null), "unknown status");

        Map<String, Object> counts = ok(call(officer.http(), HttpMethod.GET, "/api/alarms/counts?enterpriseId=" + yanta.enterpriseId(), null), 200);
        assertEquals(2, ((Number) counts.get("total")).intValue());
        assertEquals(1, ((Number) ((Map<String, Object>) counts.get("byLevel")).get("LEVEL_1")).intValue());
        assertEquals(0, ((Number) ((Map<String, Object>) counts.get("byLevel")).get("LEVEL_2")).intValue());
        List<Map<String, Object>> byDistrict = (List<Map<String, Object>>) counts.get("byDistrict");
        assertEquals(YANTA, byDistrict.get(0).get("districtCode"));
        Map<String, Object> types = ok(call(officer.http(), HttpMethod.GET, "/api/alarms/counts", null), 200);
        assertTrue(((Number) types.get("total")).intValue() >= 3);
        List<Map<String, Object>> catalogue = officer.http().exchange("/api/alarms/types", HttpMethod.GET, null, LIST).getBody();
        assertEquals(16, catalogue.size());
    }

    @Test
    void theStreamPushesChangesInScopeAndMessagesToTheirUser() throws Exception {
        Site mine = site(YANTA);
        Site other = site(WEIYANG);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), mine.enterpriseId());
        BlockingQueue<String> officerLines = open(officer);
        BlockingQueue<String> companyLines = open(company);

        long theirs = openAlarm(other, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        long id = openAlarm(mine, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        List<String> seen = new java.util.ArrayList<>();
        String first = waitFor(officerLines, "\"id\":" + id, seen);
        assertTrue(first.contains("OPENED"), first);
        ok(post(officer, url(id, "handle"), Map.of("text", "请立即开启治污设施")), 200);
        String message = waitFor(companyLines, "请立即开启治污设施", new java.util.ArrayList<>());
        assertTrue(message.contains("\"alarmId\":" + id), message);
        seen.addAll(officerLines);
        assertFalse(seen.stream().anyMatch(l -> l.contains("\"id\":" + theirs)), "another district's alarm: " + seen);
    }

    private BlockingQueue<String> open(User u) throws Exception {
        return SseLines.open(http.getRootUri() + "/api/alarms/stream?access_token=" + u.token());
    }

    private static String waitFor(BlockingQueue<String> lines, String text, List<String> seen) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
            }
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no stream line with " + text);
    }

    private long total(User u, String url) {
        Map<String, Object> page = ok(call(u.http(), HttpMethod.GET, url, null), 200);
        return ((Number) page.get("total")).longValue();
    }
}
