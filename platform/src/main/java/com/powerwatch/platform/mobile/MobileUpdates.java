package com.powerwatch.platform.mobile;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What is new for one user since the app last looked: open alarms in the user's scope (scoped in SQL like every alarm
 * query) and the user's unread inbox messages, each past a cursor (the newest id the app has seen). Small on purpose:
 * the app asks every 15 minutes over a mobile network.
 */
@Repository
public class MobileUpdates {

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    /** An open alarm, as its notification shows it. */
    public record Alarm(long id, String level, String levelName, String typeName, String enterpriseName, String districtName,
                        OffsetDateTime startedAt) {
    }

    /** An unread message of the inbox. */
    public record Message(long id, Long alarmId, String event, String title, String text, String level, OffsetDateTime createdAt) {
    }

    /**
     * @param latestAlarmId   the newest alarm id in the caller's scope, open or not (0: none) — the next cursor
     * @param latestMessageId the newest message id of the caller (0: none)
     * @param newAlarms       open alarms past the cursor in all; {@code alarms} lists the newest of them
     * @param newMessages     unread messages past the cursor in all; {@code messages} lists the newest of them
     */
    public record Answer(long latestAlarmId, long latestMessageId, long newAlarms, long newMessages, List<Alarm> alarms,
                         List<Message> messages) {
    }

    private static final String OPEN_ALARMS_AFTER = " from alarm a join enterprise e on e.id = a.enterprise_id"
            + " join alarm_type t on t.code = a.type left join region r on r.code = e.district_code"
            + " where a.id > :after and a.status = 'ACTIVE' and a.handling <> 'CANCELLED' and ";

    private final NamedParameterJdbcTemplate jdbc;

    MobileUpdates(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Null cursors: only the newest ids (the app's baseline after signing in). */
    public Answer since(long userId, AccessScope scope, Long alarmsAfter, Long messagesAfter, int limit) {
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("user", userId).addValue("limit", limit);
        String inScope = scope.enterpriseFilter("e");
        // newest first along the primary key: one short backward index scan whatever the scope
        Long latestAlarm = jdbc.query("select a.id from alarm a join enterprise e on e.id = a.enterprise_id where " + inScope
                + " order by a.id desc limit 1", p, (rs, i) -> rs.getLong(1)).stream().findFirst().orElse(0L);
        Long latestMessage = jdbc.queryForObject("select coalesce(max(id), 0) from user_message where user_id = :user", p, Long.class);
        if (alarmsAfter == null || messagesAfter == null) {
            return new Answer(latestAlarm, latestMessage, 0, 0, List.of(), List.of());
        }
        p.addValue("after", alarmsAfter).addValue("afterMessage", messagesAfter);
        long newAlarms = jdbc.queryForObject("select count(*)" + OPEN_ALARMS_AFTER + inScope, p, Long.class);
        List<Alarm> alarms = newAlarms == 0 ? List.of() : jdbc.query("select a.id, a.level, t.name as type_name,"
                + " e.name as enterprise_name, r.name as district_name, a.started_at" + OPEN_ALARMS_AFTER + inScope
                + " order by a.id desc limit :limit", p,
                (rs, i) -> new Alarm(rs.getLong("id"), rs.getString("level"), AlarmLevel.valueOf(rs.getString("level")).label(),
                        rs.getString("type_name"), rs.getString("enterprise_name"), rs.getString("district_name"),
                        china(rs.getObject("started_at", OffsetDateTime.class))));
        String unread = " from user_message where user_id = :user and read_at is null and id > :afterMessage";
        long newMessages = jdbc.queryForObject("select count(*)" + unread, p, Long.class);
        List<Message> messages = newMessages == 0 ? List.of() : jdbc.query(
                "select id, alarm_id, event, title, text, level, created_at" + unread + " order by id desc limit :limit", p,
                (rs, i) -> new Message(rs.getLong("id"), (Long) rs.getObject("alarm_id"), rs.getString("event"),
                        rs.getString("title"), rs.getString("text"), rs.getString("level"),
                        china(rs.getObject("created_at", OffsetDateTime.class))));
        return new Answer(latestAlarm, latestMessage == null ? 0 : latestMessage, newAlarms, newMessages, alarms, messages);
    }

    private static OffsetDateTime china(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(CHINA);
    }
}
