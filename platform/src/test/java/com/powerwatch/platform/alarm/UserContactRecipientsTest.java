package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.auth.ContactDetails;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who the SMS and e-mail channels reach among the people concerned, and that their contacts stay out of error texts. */
class UserContactRecipientsTest {

    private static AlarmProperties.Channel channel(NotificationChannel.Kind kind, List<String> recipients, boolean userContacts) {
        return new AlarmProperties.Channel(kind, true, "http://127.0.0.1:9/sms?to={phone}", null, null, null, null, null, null,
                null, recipients, true, userContacts, null, "127.0.0.1", 25, null, null, "pw@test.local", false);
    }

    private static Notification handled(List<Long> users, Map<Long, ContactDetails> contacts) {
        return new Notification(NotificationEvent.HANDLED, 7, 1, "测试企业", "610113", "TREATMENT_STOPPED", "治污设施停运",
                "TREATMENT", AlarmLevel.LEVEL_1, "t", "x", users, List.of("13800000002"), contacts);
    }

    private static SmsGatewayChannel sms(List<String> recipients, boolean userContacts) {
        return new SmsGatewayChannel("sms", channel(NotificationChannel.Kind.SMS, recipients, userContacts), HttpClient.newHttpClient(),
                new ObjectMapper(), Duration.ofSeconds(1));
    }

    @Test
    void smsReachesUsersWithAMobileOnceAndNeverALandline() {
        Notification n = handled(List.of(1L, 2L, 3L, 4L, 5L), Map.of(
                1L, new ContactDetails("13700000001", null),      // a mobile
                2L, new ContactDetails("029-88886666", "b@x.cn"), // a landline: no SMS
                3L, new ContactDetails("13900000001", null),      // already a fixed recipient
                4L, new ContactDetails("13800000002", null)));    // already an enterprise contact; user 5 gave nothing
        assertEquals(List.of("13900000001", "13800000002", "user:1"), sms(List.of("13900000001"), true).recipients(n));
        assertEquals(List.of("13900000001", "13800000002"), sms(List.of("13900000001"), false).recipients(n));
    }

    @Test
    void emailReachesUsersWithAnAddressOnce() {
        Notification n = handled(List.of(1L, 2L, 3L), Map.of(
                1L, new ContactDetails(null, "a@x.cn"), 2L, new ContactDetails("13700000001", null),
                3L, new ContactDetails(null, "Duty@Test.Local")));
        EmailChannel mail = new EmailChannel("mail", channel(NotificationChannel.Kind.EMAIL, List.of("duty@test.local"), true),
                Duration.ofSeconds(1));
        assertEquals(List.of("duty@test.local", "user:1"), mail.recipients(n));
    }

    @Test
    void aFailureQuotingTheUsersAddressIsLoggedWithTheUserIdInstead() {
        Exception rejected = new IllegalStateException("550 5.1.1 <A@X.cn>: Recipient address rejected");
        Exception scrubbed = RoutedChannel.scrubbed(rejected, "user:1", "a@x.cn");
        assertFalse(scrubbed.getMessage().toLowerCase().contains("a@x.cn"), scrubbed.getMessage());
        assertTrue(scrubbed.getMessage().contains("<user:1>"), scrubbed.getMessage());
        DeliveryException http = new DeliveryException(503, "HTTP 503 for 13700000001");
        DeliveryException kept = (DeliveryException) RoutedChannel.scrubbed(http, "user:1", "13700000001");
        assertEquals(503, kept.status);
        assertFalse(kept.getMessage().contains("13700000001"));
        // a configured recipient is not a user: its failure is passed on unchanged
        assertEquals(rejected, RoutedChannel.scrubbed(rejected, "a@x.cn", "a@x.cn"));
    }
}
