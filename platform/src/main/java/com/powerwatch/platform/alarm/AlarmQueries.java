package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of alarms: the real-time list, history, counts, one alarm with its steps. Every query is scoped in SQL. */
@Component
public class AlarmQueries {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final ZoneOffset CHINA_OFFSET = ZoneOffset.ofHours(8);
    private static final int MAX_PAGE_SIZE = 500;

    static final String FROM = " " + """
             from alarm a join alarm_type t on t.code = a.type join enterprise e on e.id = a.enterprise_id
             left join region r on r.code = e.district_code left join industry i on i.code = e.industry_code
             left join facility f on f.id = a.facility_id left join app_user u on u.id = a.assignee_user_id""";
    static final String COLUMNS = """
            a.id, a.type, t.name as type_name, t.category, t.category_name, a.level, a.initial_level, a.status, a.handling,
            a.workflow, a.subject_key, a.enterprise_id, e.name as enterprise_name, e.district_code, r.name as district_name,
            e.industry_code, i.name as industry_name, a.facility_id, f.name as facility_name, a.point_id, a.mn, a.started_at,
            a.last_seen_at, a.ended_at, a.repeats, a.first_evidence, a.last_evidence, a.end_evidence, a.assignee_user_id,
            u.username as assignee_username, a.assignee_region, a.deadline, a.level_changed_at, a.created_at, a.updated_at""";

    /** The real-time list's order: most severe first, then the latest. */
    private static final String BY_SEVERITY = " order by case a.level when 'LEVEL_1' then 1 when 'LEVEL_2' then 2 when 'LEVEL_3' then 3"
            + " else 4 end, a.last_seen_at desc, a.id desc";
    /** History's order: the latest start first. */
    private static final String BY_TIME = " order by a.started_at desc, a.id desc";

    /** The ORDER BY of {@code sort}: severity (default) or time; anything else is a 400 on {@code sort}. */
    static String order(String sort) {
        if (sort == null || sort.isBlank() || sort.equals("severity")) {
            return BY_SEVERITY;
        }
        if (sort.equals("time")) {
            return BY_TIME;
        }
        throw ApiException.badRequest("sort", "排序方式 sort 应为 severity（级别优先）或 time（时间倒序）");
    }

    /** SQL: the codes of an industry and everything under it (GB/T 4754 letters do not prefix their divisions). */
    private static final String INDUSTRY_TREE = """
            (with recursive sub as (select code from industry where code = :industry
                                    union all select i2.code from industry i2 join sub on i2.parent_code = sub.code)
             select code from sub)""";

    /** Filters of the list and the counts; null means "any". */
    public record Filter(String status, String from, String to, List<String> levels, List<String> types, String category,
                         String handling, String workflow, String district, String industry, Long enterpriseId,
                         Long facilityId, Integer minCount) {
    }

    public record Page(List<Map<String, Object>> items, long total, int page, int size) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    AlarmQueries(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Page list(Filter f, int page, int size) {
        return list(f, page, size, null);
    }

    /** A page of the list; {@code sort} {@code severity} (default: most severe first, then latest) or {@code time} (latest start first). */
    public Page list(Filter f, int page, int size, String sort) {
        String order = order(sort);
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = where(f, p);
        int safeSize = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        Long total = jdbc.queryForObject("select count(*)" + FROM + where, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("select " + COLUMNS + FROM + where + order + " limit :limit offset :offset", p,
                (rs, i) -> row(rs));
        return new Page(items, total == null ? 0 : total, safePage, safeSize);
    }

    public Map<String, Object> counts(Filter f) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = where(f, p);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", jdbc.queryForObject("select count(*)" + FROM + where, p, Long.class));
        Map<String, Long> byLevel = new LinkedHashMap<>();
        for (AlarmLevel l : AlarmLevel.values()) {
            byLevel.put(l.name(), 0L);
        }
        jdbc.query("select a.level, count(*)" + FROM + where + " group by a.level", p,
                rs -> { byLevel.put(rs.getString(1), rs.getLong(2)); });
        out.put("byLevel", byLevel);
        Map<String, Long> byCategory = new LinkedHashMap<>();
        jdbc.query("select t.category, count(*)" + FROM + where + " group by t.category order by t.category", p,
                rs -> { byCategory.put(rs.getString(1), rs.getLong(2)); });
        out.put("byCategory", byCategory);
        out.put("byType", jdbc.query("select a.type, t.name, count(*)" + FROM + where
                + " group by a.type, t.name, t.sort_order order by t.sort_order", p, (rs, i) -> Map.of("type", rs.getString(1),
                "name", rs.getString(2), "count", rs.getLong(3))));
        out.put("byDistrict", jdbc.query("select e.district_code, r.name, count(*)" + FROM + where
                + " group by e.district_code, r.name order by count(*) desc, e.district_code", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("districtCode", rs.getString(1));
            m.put("districtName", rs.getString(2));
            m.put("count", rs.getLong(3));
            return m;
        }));
        return out;
    }

    /** One alarm with its steps and attachments; 404 when there is none, 403 outside the caller's scope. */
    public Map<String, Object> detail(long id) {
        Map<String, Object> a = find(id);
        AccessScope.current().require((String) a.get("districtCode"), ((Number) a.get("enterpriseId")).longValue());
        a.put("steps", steps(id));
        a.put("attachments", jdbc.query("""
                select id, file_name, content_type, size_bytes, sha256, note, uploaded_by, uploaded_by_name, uploaded_at
                from alarm_attachment where alarm_id = :id order by id""", Map.of("id", id), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("fileName", rs.getString("file_name"));
            m.put("contentType", rs.getString("content_type"));
            m.put("sizeBytes", rs.getLong("size_bytes"));
            m.put("sha256", rs.getString("sha256"));
            m.put("note", rs.getString("note"));
            m.put("uploadedBy", rs.getString("uploaded_by_name"));
            m.put("uploadedAt", time(rs.getTimestamp("uploaded_at")));
            m.put("url", "/api/alarms/" + id + "/attachments/" + rs.getLong("id"));
            return m;
        }));
        return a;
    }

    List<Map<String, Object>> steps(long id) {
        return jdbc.query("""
                select id, action, actor_user_id, actor_username, actor_role, at, text, assignee_user_id, assignee_region,
                       deadline, result, detail from alarm_step where alarm_id = :id order by id""", Map.of("id", id), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("action", rs.getString("action"));
            m.put("actionName", AlarmHandling.actionLabel(rs.getString("action")));
            m.put("actorUserId", (Long) rs.getObject("actor_user_id"));
            m.put("actor", rs.getString("actor_username"));
            m.put("actorRole", rs.getString("actor_role"));
            m.put("at", time(rs.getTimestamp("at")));
            m.put("text", rs.getString("text"));
            m.put("assigneeUserId", (Long) rs.getObject("assignee_user_id"));
            m.put("assigneeRegion", rs.getString("assignee_region"));
            m.put("deadline", time(rs.getTimestamp("deadline")));
            m.put("result", rs.getString("result"));
            m.put("detail", jsonValue(rs.getString("detail")));
            return m;
        });
    }

    /** One alarm without a scope check (the recorder, events); 404 when there is none. */
    Map<String, Object> find(long id) {
        List<Map<String, Object>> found = jdbc.query("select " + COLUMNS + FROM + " where a.id = :id", Map.of("id", id),
                (rs, i) -> row(rs));
        if (found.isEmpty()) {
            throw ApiException.notFound("报警", id);
        }
        return found.get(0);
    }

    /** The WHERE clause of a filter within the caller's scope; its parameters go into {@code p}. */
    String where(Filter f, MapSqlParameterSource p) {
        AccessScope scope = AccessScope.current();
        p.addValues(scope.parameters());
        StringBuilder w = new StringBuilder(" where ").append(scope.enterpriseFilter("e"));
        String status = f.status() == null || f.status().isBlank() ? "active" : f.status().trim().toLowerCase();
        switch (status) {
            case "active" -> w.append(" and a.status = 'ACTIVE' and a.handling <> 'CANCELLED'");
            case "recovered" -> w.append(" and a.status = 'RECOVERED'");
            case "cancelled" -> w.append(" and a.handling = 'CANCELLED'");
            case "all" -> { }
            default -> throw ApiException.badRequest("status", "状态须为 active（实时报警）、recovered（已恢复）、cancelled（已取消）或 all（全部）");
        }
        if (f.from() != null && !f.from().isBlank()) {
            w.append(" and a.started_at >= :from");
            p.addValue("from", Timestamp.from(parseTime("from", f.from()).toInstant()));
        }
        if (f.to() != null && !f.to().isBlank()) {
            w.append(" and a.started_at < :to");
            p.addValue("to", Timestamp.from(parseTime("to", f.to()).toInstant()));
        }
        if (f.levels() != null && !f.levels().isEmpty()) {
            List<String> levels = new ArrayList<>();
            for (String l : f.levels()) {
                try {
                    levels.add(AlarmLevel.valueOf(l.trim()).name());
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("level", "报警等级须为 LEVEL_1（一级）、LEVEL_2（二级）、LEVEL_3（三级）或 NOTICE（提示），收到：" + l);
                }
            }
            w.append(" and a.level in (:levels)");
            p.addValue("levels", levels);
        }
        if (f.types() != null && !f.types().isEmpty()) {
            w.append(" and a.type in (:types)");
            p.addValue("types", f.types().stream().map(String::trim).toList());
        }
        if (notBlank(f.category())) {
            w.append(" and t.category = :category");
            p.addValue("category", f.category().trim());
        }
        if (notBlank(f.handling())) {
            w.append(" and a.handling = :handling");
            p.addValue("handling", f.handling().trim());
        }
        if (notBlank(f.workflow())) {
            if (f.workflow().equalsIgnoreCase("NONE")) {
                w.append(" and a.workflow is null");
            } else {
                w.append(" and a.workflow = :workflow");
                p.addValue("workflow", f.workflow().trim());
            }
        }
        if (notBlank(f.district())) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", f.district()) + "%");
        }
        if (notBlank(f.industry())) {
            w.append(" and e.industry_code in ").append(INDUSTRY_TREE);
            p.addValue("industry", f.industry().trim());
        }
        if (f.enterpriseId() != null) {
            w.append(" and a.enterprise_id = :enterpriseId");
            p.addValue("enterpriseId", f.enterpriseId());
        }
        if (f.facilityId() != null) {
            w.append(" and a.facility_id = :facilityId");
            p.addValue("facilityId", f.facilityId());
        }
        if (f.minCount() != null) {
            w.append(" and a.repeats + 1 >= :minCount");
            p.addValue("minCount", f.minCount());
        }
        return w.toString();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** An ISO time with offset, or a day (00:00 China time). */
    static OffsetDateTime parseTime(String field, String value) {
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException notATime) {
            try {
                return LocalDate.parse(value.trim()).atStartOfDay(CHINA).toOffsetDateTime();
            } catch (DateTimeParseException notADay) {
                String name = switch (field) {
                    case "from" -> "开始时间";
                    case "to" -> "结束时间";
                    default -> "时间";
                };
                throw ApiException.badRequest(field, name + "格式不正确：" + value
                        + "，应为带时区的时间（如 2026-01-31T08:00:00+08:00）或日期（如 2026-01-31）");
            }
        }
    }

    static OffsetDateTime time(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(CHINA_OFFSET);
    }

    Object jsonValue(String s) {
        if (s == null) {
            return null;
        }
        try {
            return json.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("type", rs.getString("type"));
        m.put("typeName", rs.getString("type_name"));
        m.put("category", rs.getString("category"));
        m.put("categoryName", rs.getString("category_name"));
        m.put("level", rs.getString("level"));
        m.put("levelName", AlarmLevel.valueOf(rs.getString("level")).label());
        m.put("initialLevel", rs.getString("initial_level"));
        m.put("status", rs.getString("status"));
        m.put("handling", rs.getString("handling"));
        m.put("workflow", rs.getString("workflow"));
        m.put("subjectKey", rs.getString("subject_key"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("enterpriseName", rs.getString("enterprise_name"));
        m.put("districtCode", rs.getString("district_code"));
        m.put("districtName", rs.getString("district_name"));
        m.put("industryCode", rs.getString("industry_code"));
        m.put("industryName", rs.getString("industry_name"));
        m.put("facilityId", (Long) rs.getObject("facility_id"));
        m.put("facilityName", rs.getString("facility_name"));
        m.put("pointId", (Long) rs.getObject("point_id"));
        m.put("mn", rs.getString("mn"));
        m.put("startedAt", time(rs.getTimestamp("started_at")));
        m.put("lastSeenAt", time(rs.getTimestamp("last_seen_at")));
        m.put("endedAt", time(rs.getTimestamp("ended_at")));
        m.put("repeats", rs.getInt("repeats"));
        m.put("count", rs.getInt("repeats") + 1);
        m.put("firstEvidence", jsonValue(rs.getString("first_evidence")));
        m.put("lastEvidence", jsonValue(rs.getString("last_evidence")));
        m.put("endEvidence", jsonValue(rs.getString("end_evidence")));
        m.put("assigneeUserId", (Long) rs.getObject("assignee_user_id"));
        m.put("assigneeUsername", rs.getString("assignee_username"));
        m.put("assigneeRegion", rs.getString("assignee_region"));
        m.put("deadline", time(rs.getTimestamp("deadline")));
        m.put("levelChangedAt", time(rs.getTimestamp("level_changed_at")));
        m.put("createdAt", time(rs.getTimestamp("created_at")));
        m.put("updatedAt", time(rs.getTimestamp("updated_at")));
        return m;
    }
}
