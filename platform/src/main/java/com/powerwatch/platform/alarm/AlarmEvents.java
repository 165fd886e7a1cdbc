package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.ContactDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes handling steps and, once the transaction has committed, tells the in-app stream (every state change) and
 * the notifier (the events worth a message). Nothing is pushed for a change that rolled back.
 */
@Component
class AlarmEvents {

    private static final Logger log = LoggerFactory.getLogger(AlarmEvents.class);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmQueries queries;
    private final AlarmStream stream;
    private final Notifier notifier;
    private final ObjectMapper json;

    AlarmEvents(NamedParameterJdbcTemplate jdbc, AlarmQueries queries, AlarmStream stream, Notifier notifier, ObjectMapper json) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.stream = stream;
        this.notifier = notifier;
        this.json = json;
    }

    /** A row of alarm_step; {@code actor} null = the system (the engine, the escalation timer). */
    long step(long alarmId, String action, AuditLog.Actor actor, String text, Long assigneeUserId, String assigneeRegion,
              Instant deadline, String result, Map<String, ?> detail) {
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("alarm", alarmId).addValue("action", action)
                .addValue("userId", actor == null ? null : actor.userId())
                .addValue("username", actor == null ? "system" : actor.username())
                .addValue("role", actor == null ? null : actor.role()).addValue("text", text)
                .addValue("assigneeUser", assigneeUserId).addValue("assigneeRegion", assigneeRegion)
                .addValue("deadline", deadline == null ? null : Timestamp.from(deadline)).addValue("result", result)
                .addValue("detail", toJson(detail == null ? Map.of() : detail));
        return jdbc.queryForObject("""
                insert into alarm_step (alarm_id, action, actor_user_id, actor_username, actor_role, text, assignee_user_id,
                                        assignee_region, deadline, result, detail)
                values (:alarm, :action, :userId, :username, :role, :text, :assigneeUser, :assigneeRegion, :deadline, :result,
                        cast(:detail as jsonb)) returning id""", p, Long.class);
    }

    /**
     * After commit: the alarm's new state to in-app subscribers in scope, and, when {@code event} is not null, a
     * notification (with {@code message} as its text and {@code userIds} as the people concerned).
     */
    void changed(long alarmId, String change, NotificationEvent event, String message, List<Long> userIds) {
        Runnable publish = () -> {
            try {
                Map<String, Object> a = queries.find(alarmId);
                a.put("change", change);
                long enterpriseId = ((Number) a.get("enterpriseId")).longValue();
                String district = (String) a.get("districtCode");
                stream.publish(new AlarmStream.Change(alarmId, enterpriseId, district, a));
                if (event != null) {
                    notifier.publish(notification(a, event, message, userIds));
                }
            } catch (RuntimeException e) {
                // the change is committed; a lost push is repaired by the client's next reload
                log.warn("could not publish the change {} of alarm {}: {}", change, alarmId, e.toString());
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish.run();
                }
            });
        } else {
            publish.run();
        }
    }

    private Notification notification(Map<String, Object> a, NotificationEvent event, String message, List<Long> userIds) {
        AlarmLevel level = AlarmLevel.valueOf((String) a.get("level"));
        String enterprise = (String) a.get("enterpriseName");
        String typeName = (String) a.get("typeName");
        String subject = a.get("facilityName") != null ? enterprise + " " + a.get("facilityName") : enterprise;
        String title = "【" + level.label() + "】" + typeName + " - " + subject;
        if (event != NotificationEvent.OPENED) {
            title = event.label() + "：" + title;
        }
        StringBuilder text = new StringBuilder();
        if (message != null && !message.isBlank()) {
            text.append(message).append("。");
        }
        text.append(subject).append(" ").append(typeName);
        Object evidence = a.get("lastEvidence");
        if (evidence instanceof Map<?, ?> m && !m.isEmpty()) {
            text.append("：").append(m.containsKey("message") ? String.valueOf(m.get("message"))
                    : m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("，")));
        }
        if (a.get("startedAt") != null) {
            text.append("，首次异常时间：").append(SHOWN.format((java.time.temporal.TemporalAccessor) a.get("startedAt")));
        }
        long enterpriseId = ((Number) a.get("enterpriseId")).longValue();
        return new Notification(event, ((Number) a.get("id")).longValue(), enterpriseId, enterprise,
                (String) a.get("districtCode"), (String) a.get("type"), typeName, (String) a.get("category"), level, title,
                text.toString(), userIds, phones(enterpriseId), contacts(userIds));
    }

    /**
     * The phone / e-mail of the people concerned who gave one, for the SMS and e-mail channels. Only events that name
     * people (handling, dispatch, i.e. API threads) pay for this query; the engine's events name nobody.
     */
    private Map<Long, ContactDetails> contacts(List<Long> userIds) {
        if (userIds == null || userIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, ContactDetails> out = new HashMap<>();
        jdbc.query("select id, phone, email from app_user where id in (:ids) and enabled and (phone is not null or email is not null)",
                Map.of("ids", userIds), rs -> {
                    out.put(rs.getLong("id"), new ContactDetails(rs.getString("phone"), rs.getString("email")));
                });
        return out;
    }

    /** The phone numbers in the enterprise's contacts (registry), for SMS channels that opt in. */
    private List<String> phones(long enterpriseId) {
        List<String> out = new ArrayList<>();
        jdbc.query("""
                select distinct c ->> 'phone' from enterprise e, jsonb_array_elements(e.contacts) c
                where e.id = :id and coalesce(c ->> 'phone', '') <> ''""", Map.of("id", enterpriseId),
                rs -> { out.add(rs.getString(1)); });
        return out;
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("evidence is not serialisable as JSON: " + e.getOriginalMessage());
        }
    }
}
