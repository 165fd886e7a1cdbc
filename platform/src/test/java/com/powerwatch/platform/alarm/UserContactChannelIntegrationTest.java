package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.auth.Role;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMS and e-mail channels reach the people concerned at their own mobile number and e-mail address (set by the
 * users themselves), against the loopback SMS gateway and GreenMail; the numbers stay out of notification_log.
 */
class UserContactChannelIntegrationTest extends AlarmTestBase {

    @Autowired
    Notifier notifier;

    private final ObjectMapper json = new ObjectMapper();

    private static String mobile() {
        return "137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    /** A request the SMS gateway received that mentions all the texts (looked at, not taken off the queue). */
    private static String sms(String... texts) {
        String[] found = new String[1];
        await("an SMS with " + List.of(texts), () -> {
            for (String r : RECEIVED.get("/sms")) {
                if (Arrays.stream(texts).allMatch(r::contains)) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static boolean mailTo(String address, String text) {
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            try {
                boolean to = Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address));
                if (to && String.valueOf(m.getContent()).contains(text)) {
                    return true;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }

    @Test
    void aHandlingOpinionIsTextedAndMailedToThePeopleConcernedAtTheirOwnContacts() throws Exception {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User field = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        String phone = mobile();
        String email = "factory-" + company.id() + "@test.local";
        // the users set their own contacts; the assignee gives only a landline, which gets no SMS
        ok(call(company.http(), HttpMethod.PUT, "/api/auth/me/contact", Map.of("phone", phone, "email", email)), 200);
        ok(call(field.http(), HttpMethod.PUT, "/api/auth/me/contact", Map.of("phone", "029-88886666")), 200);

        long id = openAlarm(s, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1);
        ok(post(officer, "/api/alarms/" + id + "/dispatch", Map.of("assigneeUserId", field.id(),
                "deadline", OffsetDateTime.now().plusDays(1).toString())), 200);
        String opinion = "立即停产并提交整改报告" + id;
        ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", opinion)), 200);

        // the SMS gateway got one request for the user's own mobile, with the opinion
        String text = sms("/sms?to=" + phone, opinion);
        assertTrue(text.startsWith("/sms?to=" + phone + "\n"), "the sms channel (not the duty one): " + text);
        JsonNode body = json.readTree(text.substring(text.indexOf('\n') + 1));
        assertEquals(phone, body.get("phone").asText());
        assertTrue(body.get("text").asText().contains("处理意见：" + opinion), body.toString());
        assertEquals("【环保局】", body.get("sign").asText());
        // … and the e-mail channel wrote to the user's address
        await("the e-mail to the user", () -> mailTo(email, opinion));

        // once everything routed has been delivered: the log names the user, never the number or the address
        await("the notifier has nothing pending", () -> notifier.pending() == 0);
        assertEquals(List.of("user:" + company.id()), jdbc.queryForList("""
                select recipient from notification_log where alarm_id = ? and channel = 'sms' and event = 'HANDLED'
                  and recipient like 'user:%' and outcome = 'SENT'""", String.class, id));
        assertEquals(List.of("user:" + company.id()), jdbc.queryForList("""
                select recipient from notification_log where alarm_id = ? and channel = 'mail' and event = 'HANDLED'
                  and recipient like 'user:%' and outcome = 'SENT'""", String.class, id));
        assertEquals(0, jdbc.queryForObject("select count(*) from notification_log where recipient like ? or recipient like ?",
                Integer.class, "%" + phone + "%", "%" + email + "%"));
        // the landline got no SMS
        assertEquals(0, jdbc.queryForObject("select count(*) from notification_log where alarm_id = ? and recipient = ?",
                Integer.class, id, "user:" + field.id()) - inApp(id, field.id()));
        assertFalse(RECEIVED.get("/sms").stream().anyMatch(r -> r.contains("88886666")));

        // a channel with user-contacts: false texts only its fixed number
        sms("/sms?to=13900000009&channel=duty", opinion);
        assertEquals(List.of("13900000009"), jdbc.queryForList(
                "select recipient from notification_log where alarm_id = ? and channel = 'sms-duty'", String.class, id));
        assertEquals(1, RECEIVED.get("/sms").stream().filter(r -> r.contains(opinion) && r.contains(phone)).count(),
                "the user's mobile is texted once (by the channel with user-contacts), not by the duty channel");

        // the alarm as others see it does not carry the assignee's or the enterprise user's contact
        String detail = String.valueOf(call(officer.http(), HttpMethod.GET, "/api/alarms/" + id, null).getBody());
        assertFalse(detail.contains(phone) || detail.contains("88886666") || detail.contains(email), detail);
    }

    @Test
    void aUserWhoGaveNoContactIsNotAddedAndTheFixedRecipientsStay() {
        Site s = site(YANTA);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), s.enterpriseId());
        long id = openAlarm(s, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1);
        String opinion = "无联系方式的企业" + id;
        ok(post(officer, "/api/alarms/" + id + "/handle", Map.of("text", opinion)), 200);
        sms("/sms?to=13900000001", opinion);
        sms("/sms?to=13800000002", opinion); // the enterprise's registry contact
        await("the notifier has nothing pending", () -> notifier.pending() == 0);
        assertEquals(List.of("13800000002", "13900000001"), jdbc.queryForList("""
                select recipient from notification_log where alarm_id = ? and channel = 'sms' and event = 'HANDLED'
                order by recipient""", String.class, id));
        assertEquals(1, inApp(id, company.id()), "the user still gets the in-app message");
    }

    private int inApp(long alarmId, long userId) {
        return jdbc.queryForObject("select count(*) from notification_log where alarm_id = ? and recipient = ? and kind = 'IN_APP'",
                Integer.class, alarmId, "user:" + userId);
    }
}
