package com.powerwatch.platform.message;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The in-app inbox ({@code user_message}): what the in-app channel stores for each recipient, and what a user reads
 * and marks. Every read and write names the owner in its WHERE clause, so nobody reaches another user's messages
 * (a foreign id is simply "not found").
 */
@Repository
public class UserMessages {

    /** How many messages one page holds at most. */
    public static final int MAX_LIMIT = 200;

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    /**
     * One message as the API shows it.
     *
     * @param alarmId the alarm it is about (null once that alarm is removed)
     * @param event   HANDLED, DISPATCHED, … (NotificationEvent)
     * @param level   the alarm's level when it was sent
     * @param readAt  null while unread
     */
    public record Message(long id, Long alarmId, String event, String title, String text, String level,
                          OffsetDateTime createdAt, OffsetDateTime readAt) {
    }

    /** A page, newest first; {@code nextBefore} is the {@code before} of the next page (null on the last one). */
    public record Page(List<Message> items, Long nextBefore) {
    }

    private static final String COLUMNS = "id, alarm_id, event, title, text, level, created_at, read_at";

    private static final RowMapper<Message> ROW = (rs, i) -> new Message(rs.getLong("id"), (Long) rs.getObject("alarm_id"),
            rs.getString("event"), rs.getString("title"), rs.getString("text"), rs.getString("level"),
            time(rs.getObject("created_at", OffsetDateTime.class)), time(rs.getObject("read_at", OffsetDateTime.class)));

    private final NamedParameterJdbcTemplate jdbc;

    public UserMessages(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores one message for one user (the in-app channel, on the notifier's thread); returns it with id and time. */
    public Message store(long userId, Long alarmId, String event, String title, String text, String level) {
        return jdbc.queryForObject("insert into user_message (user_id, alarm_id, event, title, text, level)"
                        + " values (:user, :alarm, :event, :title, :text, :level) returning " + COLUMNS,
                new MapSqlParameterSource("user", userId).addValue("alarm", alarmId).addValue("event", event)
                        .addValue("title", title).addValue("text", text == null ? "" : text).addValue("level", level), ROW);
    }

    /**
     * The user's messages, newest first. Keyset paging: {@code before} is the id of the last message of the previous
     * page (a new message arriving meanwhile neither shifts nor repeats a page); an id that is not one of the user's
     * messages gives an empty page.
     */
    public Page list(long userId, boolean unreadOnly, Long before, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "数量（limit）须在 1 到 " + MAX_LIMIT + " 之间");
        }
        MapSqlParameterSource p = new MapSqlParameterSource("user", userId).addValue("limit", limit).addValue("before", before);
        String sql = "select " + COLUMNS + " from user_message m where m.user_id = :user"
                + (unreadOnly ? " and m.read_at is null" : "")
                + (before == null ? "" : " and (m.created_at, m.id) < (select b.created_at, b.id from user_message b"
                + " where b.id = :before and b.user_id = :user)")
                + " order by m.created_at desc, m.id desc limit :limit";
        List<Message> items = jdbc.query(sql, p, ROW);
        return new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    public long unreadCount(long userId) {
        Long n = jdbc.queryForObject("select count(*) from user_message where user_id = :user and read_at is null",
                new MapSqlParameterSource("user", userId), Long.class);
        return n == null ? 0 : n;
    }

    /** Marks one of the user's messages read (again: keeps the first time); 404 when it is not the user's. */
    public Message markRead(long userId, long id) {
        return jdbc.query("update user_message set read_at = coalesce(read_at, now()) where id = :id and user_id = :user"
                        + " returning " + COLUMNS, new MapSqlParameterSource("id", id).addValue("user", userId), ROW)
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("消息", id));
    }

    /**
     * Marks all the user's unread messages read, or only those up to {@code upTo} (the newest id the user has seen,
     * so a message that arrives meanwhile stays unread). Returns how many.
     */
    public int markAllRead(long userId, Long upTo) {
        return jdbc.update("update user_message set read_at = now() where user_id = :user and read_at is null"
                        + (upTo == null ? "" : " and id <= :upTo"),
                new MapSqlParameterSource("user", userId).addValue("upTo", upTo));
    }

    private static OffsetDateTime time(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(CHINA);
    }

    /**
     * Deletes the messages created before {@code cutoff}, read or not, in rounds of 10,000 rows so that no round holds
     * its locks for long; returns how many. The alarms and their handling steps (the record) are not touched.
     */
    public int deleteCreatedBefore(OffsetDateTime cutoff) {
        int total = 0;
        int n;
        do {
            n = jdbc.update("""
                    delete from user_message where id in
                      (select id from user_message where created_at < :cutoff limit 10000)""", Map.of("cutoff", cutoff));
            total += n;
        } while (n == 10_000);
        return total;
    }
}
