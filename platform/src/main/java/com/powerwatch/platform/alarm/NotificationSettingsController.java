package com.powerwatch.platform.alarm;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 通知设置, read only: the notification channels as configured in {@code powerwatch.alarm.notify} (application.yml, read
 * at start), with their routing and what was delivered over the last 7 days. Secrets never leave the server: webhook
 * URLs lose their query (the robot keys), SMS headers and passwords are not shown, fixed recipients are masked.
 */
@RestController
@RequestMapping("/api/admin/notification-settings")
@PreAuthorize("hasRole('CITY_ADMIN')")
@Tag(name = "Notification settings", description = "通知设置（只读）：已配置的通知渠道、路由规则和近 7 天发送情况")
public class NotificationSettingsController {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final AlarmProperties properties;
    private final JdbcTemplate jdbc;

    public NotificationSettingsController(AlarmProperties properties, JdbcTemplate jdbc) {
        this.properties = properties;
        this.jdbc = jdbc;
    }

    @GetMapping
    @Operation(summary = "The configured channels (in-app always on), their routing, the delivery settings and escalation, "
            + "and per channel the deliveries of the last 7 days")
    public Map<String, Object> settings() {
        AlarmProperties.Notify notify = properties.notifications();
        Map<String, Map<String, Object>> deliveries = deliveries();
        List<Map<String, Object>> channels = new ArrayList<>();
        Map<String, Object> inApp = new LinkedHashMap<>();
        inApp.put("name", "in-app");
        inApp.put("kind", NotificationChannel.Kind.IN_APP.name());
        inApp.put("enabled", true);
        inApp.put("deliveries", deliveries.getOrDefault("in-app", Map.of()));
        channels.add(inApp);
        new TreeMap<>(notify.channels()).forEach((name, c) -> channels.add(channel(name, c, deliveries.getOrDefault(name, Map.of()))));

        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("queueCapacity", notify.queueCapacity());
        delivery.put("threads", notify.threads());
        delivery.put("maxAttempts", notify.maxAttempts());
        delivery.put("backoffSeconds", notify.backoff().toMillis() / 1000.0);
        delivery.put("timeoutSeconds", notify.timeout().toMillis() / 1000.0);

        List<Map<String, Object>> escalation = new ArrayList<>();
        new TreeMap<>(properties.escalation().rules()).forEach((key, rule) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("appliesTo", key);
            r.put("afterMinutes", rule.after() == null ? null : rule.after().toMinutes());
            r.put("ceiling", rule.ceiling().name());
            escalation.add(r);
        });

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", "application.yml: powerwatch.alarm.notify (read at start; a change needs a restart)");
        out.put("channels", channels);
        out.put("delivery", delivery);
        out.put("escalation", escalation);
        return out;
    }

    private static Map<String, Object> channel(String name, AlarmProperties.Channel c, Map<String, Object> deliveries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", c.kind() == null ? null : c.kind().name());
        m.put("enabled", c.enabled());
        m.put("target", c.kind() == NotificationChannel.Kind.EMAIL
                ? (c.host() == null ? null : c.host() + ":" + c.port() + (c.starttls() ? " (STARTTLS)" : ""))
                : withoutQuery(c.url()));
        m.put("format", c.kind() == NotificationChannel.Kind.WECOM || c.kind() == NotificationChannel.Kind.DINGTALK ? c.format() : null);
        m.put("signed", c.secret() != null && !c.secret().isBlank());
        m.put("from", c.from());
        m.put("smsSign", c.smsSign());
        m.put("levels", c.levels().stream().map(Enum::name).toList());
        m.put("types", c.types());
        m.put("regions", c.regions());
        m.put("events", c.events().stream().map(Enum::name).toList());
        m.put("recipients", c.recipients().stream().map(NotificationSettingsController::mask).toList());
        m.put("enterpriseContacts", c.enterpriseContacts());
        m.put("userContacts", c.userContacts());
        m.put("deliveries", deliveries);
        return m;
    }

    /** Per channel over the last 7 days: attempts by outcome, the last attempt and the last failure. */
    private Map<String, Map<String, Object>> deliveries() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        jdbc.query("""
                select channel,
                       count(*) filter (where outcome = 'SENT') sent, count(*) filter (where outcome = 'FAILED') failed,
                       count(*) filter (where outcome = 'RETRYING') retrying, count(*) filter (where outcome = 'DROPPED') dropped,
                       max(at) last_at, max(at) filter (where outcome in ('FAILED', 'DROPPED')) last_failure_at,
                       (array_agg(left(error, 300) order by at desc) filter (where outcome in ('FAILED', 'DROPPED')))[1] last_error
                from notification_log where at > now() - interval '7 days' group by channel""", rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", rs.getLong("sent"));
            m.put("failed", rs.getLong("failed"));
            m.put("retrying", rs.getLong("retrying"));
            m.put("dropped", rs.getLong("dropped"));
            m.put("lastAt", time(rs.getObject("last_at", OffsetDateTime.class)));
            m.put("lastFailureAt", time(rs.getObject("last_failure_at", OffsetDateTime.class)));
            m.put("lastError", rs.getString("last_error"));
            out.put(rs.getString("channel"), m);
        });
        return out;
    }

    private static OffsetDateTime time(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(CHINA).toOffsetDateTime();
    }

    /** scheme://host[:port]/path of a URL: its query holds the robot's key or token. */
    static String withoutQuery(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(url.replace("{phone}", "PHONE"));
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + path;
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    /** 139****5678, d***@example.gov.cn: enough to tell recipients apart, not enough to use them. */
    static String mask(String recipient) {
        if (recipient == null) {
            return null;
        }
        String r = recipient.trim();
        int at = r.indexOf('@');
        if (at > 0) {
            return r.charAt(0) + "***" + r.substring(at);
        }
        if (r.length() >= 7) {
            return r.substring(0, 3) + "****" + r.substring(r.length() - 4);
        }
        return "***";
    }
}
