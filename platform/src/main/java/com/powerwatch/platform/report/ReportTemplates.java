package com.powerwatch.platform.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Custom report templates ({@code report_template}): each user keeps their own (at most
 * {@code custom.max-templates-per-user}); another user's template is simply not found.
 */
@Repository
class ReportTemplates {

    static final List<String> SCHEDULES = List.of("NONE", "DAILY", "WEEKLY", "MONTHLY");

    record Template(long id, long ownerUserId, String name, CustomReportSpec spec, String schedule, OffsetDateTime updatedAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final int maxPerUser;

    ReportTemplates(NamedParameterJdbcTemplate jdbc, ObjectMapper json, ReportProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.maxPerUser = properties.custom().maxTemplatesPerUser();
    }

    List<Template> of(long userId) {
        return jdbc.query("select * from report_template where owner_user_id = :u order by name, id", Map.of("u", userId), this::row);
    }

    Template get(long userId, long id) {
        return jdbc.query("select * from report_template where id = :id and owner_user_id = :u", Map.of("id", id, "u", userId), this::row)
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("报表模板", id));
    }

    /** Templates run on a schedule (every user's). */
    List<Template> scheduled() {
        return jdbc.query("select t.* from report_template t join app_user u on u.id = t.owner_user_id"
                + " where t.schedule <> 'NONE' and u.enabled order by t.id", Map.of(), this::row);
    }

    Template save(long userId, Long id, String name, CustomReportSpec spec, String schedule) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.length() > 100) {
            throw ApiException.badRequest("name", "模板名称须为 1 到 100 个字");
        }
        String s = schedule == null || schedule.isBlank() ? "NONE" : schedule.trim();
        if (!SCHEDULES.contains(s)) {
            throw ApiException.badRequest("schedule", "定时应为 NONE（不定时）、DAILY（每日）、WEEKLY（每周）或 MONTHLY（每月）");
        }
        MapSqlParameterSource p = new MapSqlParameterSource("u", userId).addValue("name", n).addValue("spec", write(spec))
                .addValue("schedule", s).addValue("id", id);
        try {
            if (id == null) {
                Long count = jdbc.queryForObject("select count(*) from report_template where owner_user_id = :u", p, Long.class);
                if (count != null && count >= maxPerUser) {
                    throw ApiException.badRequest("name", "每人最多保存 " + maxPerUser + " 个报表模板，请先删除不用的模板");
                }
                id = jdbc.queryForObject("insert into report_template (owner_user_id, name, spec, schedule) values (:u, :name, :spec::jsonb, :schedule)"
                        + " returning id", p, Long.class);
            } else if (jdbc.update("update report_template set name = :name, spec = :spec::jsonb, schedule = :schedule, updated_at = now()"
                    + " where id = :id and owner_user_id = :u", p) == 0) {
                throw ApiException.notFound("报表模板", id);
            }
        } catch (DuplicateKeyException e) {
            throw ApiException.badRequest("name", "已有同名的报表模板：" + n);
        }
        return get(userId, id);
    }

    void delete(long userId, long id) {
        if (jdbc.update("delete from report_template where id = :id and owner_user_id = :u", Map.of("id", id, "u", userId)) == 0) {
            throw ApiException.notFound("报表模板", id);
        }
    }

    private Template row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        try {
            return new Template(rs.getLong("id"), rs.getLong("owner_user_id"), rs.getString("name"),
                    json.readValue(rs.getString("spec"), CustomReportSpec.class), rs.getString("schedule"),
                    rs.getObject("updated_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofHours(8)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable template " + rs.getLong("id"), e);
        }
    }

    private String write(CustomReportSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
