package com.powerwatch.platform.alarm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code powerwatch.alarm.*}: escalation, attachments, the in-app stream and notification channels (docs/alarms.md).
 * ({@code notify} is bound to {@code notifications}: a record component cannot be called notify.)
 */
@ConfigurationProperties(prefix = "powerwatch.alarm")
public record AlarmProperties(@DefaultValue Escalation escalation,
                              @DefaultValue Attachments attachments,
                              @DefaultValue Stream stream,
                              @DefaultValue @Name("notify") Notify notifications) {

    /**
     * @param interval how often the escalation timer runs
     * @param rules    by type code, category code (TREATMENT, PRODUCTION, DATA, WARNING) or "*", the first that matches:
     *                 an alarm still unconfirmed this long after its last level change goes one level up
     */
    public record Escalation(@DefaultValue("1m") Duration interval, Map<String, EscalationRule> rules) {
        public Escalation {
            rules = rules == null ? Map.of() : Map.copyOf(rules);
        }

        EscalationRule ruleFor(String type, String category) {
            EscalationRule r = rules.get(type);
            if (r == null) {
                r = rules.get(category);
            }
            return r != null ? r : rules.get("*");
        }
    }

    /** @param ceiling escalation never goes above this level */
    public record EscalationRule(Duration after, @DefaultValue("LEVEL_1") AlarmLevel ceiling) {
    }

    /** @param maxSize largest photo accepted (the multipart limit of 10 MB applies before it) */
    public record Attachments(@DefaultValue("5MB") DataSize maxSize) {
    }

    /**
     * In-app server-sent events ({@code GET /api/alarms/stream}): coalescing flush, heartbeat, pending events per
     * subscriber before a resync, streams per user (a new one beyond closes the user's oldest) and a stream's lifetime.
     */
    public record Stream(@DefaultValue("500ms") Duration flush, @DefaultValue("20s") Duration heartbeat,
                         @DefaultValue("1000") int queueLimit, @DefaultValue("5") int maxPerUser,
                         @DefaultValue("30m") Duration maxLifetime) {
    }

    /**
     * @param queueCapacity deliveries waiting (and in flight) before new ones are dropped and counted
     * @param threads       delivery threads
     * @param maxAttempts   attempts per delivery (first one included)
     * @param backoff       wait before the second attempt, doubled for each further one
     * @param timeout       connect and request timeout of HTTP channels
     * @param channels      external channels by name; none unless configured
     */
    public record Notify(@DefaultValue("1000") int queueCapacity, @DefaultValue("1") int threads,
                         @DefaultValue("4") int maxAttempts, @DefaultValue("2s") Duration backoff,
                         @DefaultValue("10s") Duration timeout, Map<String, Channel> channels) {
        public Notify {
            channels = channels == null ? Map.of() : Map.copyOf(channels);
        }
    }

    /**
     * One external channel. Routing: empty lists mean "all".
     *
     * @param kind       WECOM, DINGTALK, SMS or EMAIL
     * @param url        webhook URL (WeCom/DingTalk) or SMS gateway URL template ({phone} is replaced)
     * @param format     text or markdown (robot webhooks)
     * @param secret     DingTalk robot signing secret (加签), optional
     * @param headers    extra HTTP headers (e.g. the SMS gateway's API key)
     * @param levels     alarm levels sent
     * @param types      alarm type codes or category codes sent
     * @param regions    region codes (a city or province covers all under it) of the enterprises whose alarms are sent
     * @param events     OPENED, ESCALATED, RECOVERED, HANDLED, DISPATCHED; empty means OPENED, ESCALATED, HANDLED
     * @param recipients phone numbers (SMS, robot @mentions) or e-mail addresses
     * @param enterpriseContacts SMS: also text the phone numbers in the enterprise's contacts
     * @param userContacts SMS and e-mail: also reach the people concerned (the users named in the notification) at
     *                     their own mobile number / e-mail address, when they gave one (default true)
     */
    public record Channel(NotificationChannel.Kind kind, @DefaultValue("true") boolean enabled, String url,
                          @DefaultValue("markdown") String format, String secret, Map<String, String> headers,
                          List<AlarmLevel> levels, List<String> types, List<String> regions,
                          List<NotificationEvent> events, List<String> recipients,
                          @DefaultValue("false") boolean enterpriseContacts, @DefaultValue("true") boolean userContacts,
                          String smsSign,
                          String host, @DefaultValue("25") int port, String username, String password,
                          String from, @DefaultValue("false") boolean starttls) {
        public Channel {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            levels = levels == null ? List.of() : List.copyOf(levels);
            types = types == null ? List.of() : List.copyOf(types);
            regions = regions == null ? List.of() : List.copyOf(regions);
            events = events == null || events.isEmpty()
                    ? List.of(NotificationEvent.OPENED, NotificationEvent.ESCALATED, NotificationEvent.HANDLED) : List.copyOf(events);
            recipients = recipients == null ? List.of() : List.copyOf(recipients);
        }
    }
}
