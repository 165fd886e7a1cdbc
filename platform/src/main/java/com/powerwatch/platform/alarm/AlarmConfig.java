package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.message.UserMessages;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The in-app stream and the notifier with its channels (in-app with its inbox always; the others only when configured). */
@Configuration(proxyBeanMethods = false)
class AlarmConfig {

    private static final Logger log = LoggerFactory.getLogger(AlarmConfig.class);

    @Bean(destroyMethod = "close")
    AlarmStream alarmStream(AlarmProperties properties) {
        return new AlarmStream(properties.stream());
    }

    @Bean(destroyMethod = "close")
    Notifier alarmNotifier(AlarmProperties properties, AlarmStream stream, UserMessages inbox, JdbcTemplate jdbc,
                           ObjectMapper json, MeterRegistry meters) {
        AlarmProperties.Notify notify = properties.notifications();
        HttpClient http = HttpClient.newBuilder().connectTimeout(notify.timeout()).build();
        List<NotificationChannel> channels = new ArrayList<>();
        channels.add(new InAppChannel(stream, inbox));
        for (Map.Entry<String, AlarmProperties.Channel> e : new TreeMap<>(notify.channels()).entrySet()) {
            AlarmProperties.Channel c = e.getValue();
            if (!c.enabled()) {
                continue;
            }
            if (c.kind() == null) {
                throw new IllegalStateException("powerwatch.alarm.notify.channels." + e.getKey() + ".kind is required (WECOM, DINGTALK, SMS, EMAIL)");
            }
            channels.add(switch (c.kind()) {
                case WECOM, DINGTALK -> new RobotWebhookChannel(e.getKey(), c, http, json, notify.timeout());
                case SMS -> new SmsGatewayChannel(e.getKey(), c, http, json, notify.timeout());
                case EMAIL -> new EmailChannel(e.getKey(), c, notify.timeout());
                case IN_APP -> throw new IllegalStateException("the in-app channel is always on; do not configure it");
            });
            log.info("alarm notification channel {} ({}) configured", e.getKey(), c.kind());
        }
        Notifier.DeliveryLog deliveryLog = (channel, n, recipient, attempt, outcome, status, error) -> jdbc.update("""
                        insert into notification_log (channel, kind, event, alarm_id, recipient, attempt, outcome, status, error, title)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                channel.name(), channel.kind().name(), n.event().name(), n.alarmRef(), recipient, attempt, outcome, status,
                error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error, n.title());
        Notifier notifier = new Notifier(channels, deliveryLog, notify.queueCapacity(), notify.threads(), notify.maxAttempts(),
                notify.backoff());
        Gauge.builder("powerwatch.alarm.notifications.pending", notifier, Notifier::pending).register(meters);
        FunctionCounter.builder("powerwatch.alarm.notifications.dropped", notifier, Notifier::dropped).register(meters);
        FunctionCounter.builder("powerwatch.alarm.notifications.sent", notifier, Notifier::sent).register(meters);
        FunctionCounter.builder("powerwatch.alarm.notifications.failed", notifier, Notifier::failed).register(meters);
        return notifier;
    }
}
