package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.auth.Role;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** External channels against real servers on loopback: robot webhooks, the SMS gateway, SMTP; failures are retried and logged. */
class AlarmNotificationIntegrationTest extends AlarmTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    Notifier notifier;

    private final ObjectMapper json = new ObjectMapper();

    /** The next request on a path that mentions the text (other tests' alarms may arrive too). */
    private static String received(String path, String... texts) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            String r = RECEIVED.get(path).poll(200, TimeUnit.MILLISECONDS);
            if (r != null && java.util.Arrays.stream(texts).allMatch(r::contains)) {
                return r;
            }
        }
        throw new AssertionError("nothing on " + path + " about " + List.of(texts));
    }

    @Test
    void aLevel1AlarmGoesToTheRobotsTheSmsGatewayAndEmail() throws Exception {
        Site s = site(YANTA);
        long id = openAlarm(s, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1);

        String wecom = received("/wecom", s.name());
        JsonNode body = json.readTree(wecom.substring(wecom.indexOf('\n') + 1));
        assertEquals("markdown", body.get("msgtype").asText());
        String content = body.get("markdown").get("content").asText();
        assertTrue(content.contains("停产期间生产") && content.contains("一级") && content.contains("首次异常时间"), content);
        assertTrue(content.contains("productionKw=71.2"), content);

        // DingTalk: text format, signed (加签) URL, routed by category PRODUCTION and region 610100
        String ding = received("/dingtalk", s.name());
        assertTrue(ding.lines().findFirst().orElseThrow().matches(".*access_token=test&timestamp=\\d+&sign=.+"), ding);
        JsonNode dingBody = json.readTree(ding.substring(ding.indexOf('\n') + 1));
        assertEquals("text", dingBody.get("msgtype").asText());
        assertTrue(dingBody.get("text").get("content").asText().startsWith("【【一级】停产期间生产"), dingBody.toString());

        // SMS: one request per phone: the configured one and the enterprise's contact
        String sms1 = received("/sms", "13900000001", s.name());
        assertTrue(sms1.startsWith("/sms?to=13900000001"), sms1);
        assertTrue(json.readTree(sms1.substring(sms1.indexOf('\n') + 1)).get("text").asText().contains(s.name()));
        String sms2 = received("/sms", "13800000002", s.name());
        assertTrue(sms2.contains("【环保局】"), sms2);

        await("the e-mail", () -> {
            for (MimeMessage m : MAIL.getReceivedMessages()) {
                try {
                    if (m.getSubject().contains(s.name())) {
                        return true;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return false;
        });
        await("every delivery logged", () -> jdbc.queryForObject(
                "select count(distinct channel) from notification_log where alarm_id = ? and outcome = 'SENT'", Integer.class, id) == 4);
    }

    @Test
    void routingByLevelAndEvent() throws Exception {
        Site s = site(YANTA);
        long notice = openAlarm(s, "FROZEN_VALUE", AlarmLevel.NOTICE);
        long level2 = openAlarm(s, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2);
        received("/wecom", "治污设施停运");
        // the notice went nowhere external (levels: LEVEL_1, LEVEL_2 at most)
        await("the level-2 alarm logged", () -> jdbc.queryForObject(
                "select count(*) from notification_log where alarm_id = ? and channel = 'wecom'", Integer.class, level2) == 1);
        assertEquals(0, jdbc.queryForObject("select count(*) from notification_log where alarm_id = ?", Integer.class, notice));
        // recovery is not in the webhook's events
        recorder.clear("TREATMENT_STOPPED", jdbc.queryForObject("select subject_key from alarm where id = ?", String.class, level2),
                java.time.Instant.now(), Map.of());
        // routing is decided when the event is published (before clear returns); once the queue is empty, whatever
        // was routed has been delivered and logged
        await("the notifier has nothing pending", () -> notifier.pending() == 0);
        assertEquals(0, jdbc.queryForObject("select count(*) from notification_log where alarm_id = ? and event = 'RECOVERED'",
                Integer.class, level2));
    }

    @Test
    void aFailingEndpointIsRetriedLoggedAndBlocksNothing() throws Exception {
        Site s = site(YANTA);
        // METER_POWER_LOSS is routed to the "broken" channel (HTTP 500); LEVEL_2 also goes to the WeCom robot
        long id = openAlarm(s, "METER_POWER_LOSS", AlarmLevel.LEVEL_2);
        received("/wecom", s.name()); // the working channel delivered regardless
        await("three failed attempts logged", () -> jdbc.queryForObject(
                "select count(*) from notification_log where alarm_id = ? and channel = 'broken'", Integer.class, id) == 3);
        List<Map<String, Object>> log = jdbc.queryForList(
                "select attempt, outcome, status, error from notification_log where alarm_id = ? and channel = 'broken' order by attempt", id);
        assertEquals(List.of("RETRYING", "RETRYING", "FAILED"), log.stream().map(r -> r.get("outcome")).toList());
        assertEquals(500, log.get(2).get("status"));
        assertNotNull(log.get(2).get("error"));
        assertEquals(3, RECEIVED.get("/fail").stream().filter(r -> r.contains(s.name())).count());
    }

    @Test
    void aHandlingOpinionReachesTheEnterprisesUsersInAppAndTheRobot() throws Exception {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2);
        ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", "限期整改并提交说明")), 200);
        String wecom = received("/wecom", "限期整改并提交说明");
        assertTrue(wecom.contains("报警处理意见"), wecom);
        await("the in-app message to the enterprise's user", () -> jdbc.queryForObject("""
                select count(*) from notification_log where alarm_id = ? and kind = 'IN_APP' and recipient = ?""",
                Integer.class, id, "user:" + company.id()) == 1);
    }
}
