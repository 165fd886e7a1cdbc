package com.powerwatch.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit log: filters on the indexed columns (time, user, action) plus free text. */
@Component
public class AuditSearch {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public record Criteria(OffsetDateTime from, OffsetDateTime to, String username, String action,
                           AuditLog.Outcome outcome, String text) {
    }

    public record Row(long id, OffsetDateTime at, Long userId, String username, String role, String action, String target,
                      String outcome, String ip, String httpMethod, String path, String route, Integer status,
                      Integer durationMs, JsonNode detail) {
    }

    public record Page(List<Row> items, int page, int size, long total) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public AuditSearch(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Page find(Criteria c, int page, int size) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (c.from() != null) {
            where.add("at >= :from");
            p.addValue("from", c.from());
        }
        if (c.to() != null) {
            where.add("at < :to");
            p.addValue("to", c.to());
        }
        if (c.username() != null && !c.username().isBlank()) {
            where.add("lower(username) = lower(:username)");
            p.addValue("username", c.username().trim());
        }
        if (c.action() != null && !c.action().isBlank()) {
            where.add("action = :action");
            p.addValue("action", c.action().trim().toUpperCase());
        }
        if (c.outcome() != null) {
            where.add("outcome = :outcome");
            p.addValue("outcome", c.outcome().name());
        }
        if (c.text() != null && !c.text().isBlank()) {
            where.add("(target ilike :text or path ilike :text or detail::text ilike :text or ip = :plain)");
            p.addValue("text", "%" + c.text().trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            p.addValue("plain", c.text().trim());
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        Long total = jdbc.queryForObject("select count(*) from audit_log" + condition, p, Long.class);
        p.addValue("limit", size).addValue("offset", (long) page * size);
        List<Row> rows = jdbc.query("""
                        select id, at, user_id, username, role, action, target, outcome, ip, http_method, path, route, status,
                               duration_ms, detail::text detail
                        from audit_log""" + condition + " order by at desc, id desc limit :limit offset :offset", p,
                (rs, i) -> new Row(rs.getLong("id"),
                        rs.getObject("at", OffsetDateTime.class).atZoneSameInstant(CHINA).toOffsetDateTime(),
                        (Long) rs.getObject("user_id"), rs.getString("username"), rs.getString("role"),
                        rs.getString("action"), rs.getString("target"), rs.getString("outcome"), rs.getString("ip"),
                        rs.getString("http_method"), rs.getString("path"), rs.getString("route"),
                        (Integer) rs.getObject("status"), (Integer) rs.getObject("duration_ms"), parse(rs.getString("detail"))));
        return new Page(rows, page, size, total == null ? 0 : total);
    }

    private JsonNode parse(String detail) {
        try {
            return json.readTree(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
