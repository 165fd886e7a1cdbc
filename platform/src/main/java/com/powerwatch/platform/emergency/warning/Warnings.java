package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.AfterCommit;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.rotation.Rotation;
import com.powerwatch.platform.emergency.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 启动应急预警: a warning's start, level changes, end changes and lifting (docs/emergency.md §3). Each step is one
 * transaction that records the change, ends or opens the measures (and their production orders, so the engine judges
 * them with no further input) and is audited; after it commits the new orders' baselines are computed and the
 * enterprises and district officers concerned are notified.
 */
@Service
public class Warnings {

    /** A warning as the engine of this class sees it. */
    record Warning(long id, EmergencyLevel level, int planYear, Instant startsAt, Instant endsAt, String status, Instant liftedAt,
                   String document) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final WarningMeasures measures;
    private final WarningFollowUp followUp;
    private final AuditLog audit;
    private final EmergencyProperties settings;
    private final com.powerwatch.platform.emergency.board.Board board;
    private final Rotation rotation;

    Warnings(NamedParameterJdbcTemplate jdbc, WarningMeasures measures, WarningFollowUp followUp, AuditLog audit,
             EmergencyProperties settings, com.powerwatch.platform.emergency.board.Board board, Rotation rotation) {
        this.board = board;
        this.rotation = rotation;
        this.jdbc = jdbc;
        this.measures = measures;
        this.followUp = followUp;
        this.audit = audit;
        this.settings = settings;
    }

    // ------------------------------------------------------------------------------------------------ start

    @Transactional
    public Map<String, Object> start(WarningRequests.Start r) {
        if (r == null || r.level() == null) {
            throw ApiException.badRequest("level", "请选择预警级别：黄色、橙色或红色");
        }
        if (r.startsAt() == null) {
            throw ApiException.badRequest("startsAt", "请填写预警开始时间");
        }
        if (r.endsAt() == null) {
            throw ApiException.badRequest("endsAt", "请填写预警结束时间");
        }
        Instant starts = r.startsAt().toInstant();
        Instant ends = r.endsAt().toInstant();
        Instant now = Instant.now();
        if (!ends.isAfter(starts)) {
            throw ApiException.badRequest("endsAt", "结束时间须晚于开始时间");
        }
        if (!ends.isAfter(now)) {
            throw ApiException.badRequest("endsAt", "结束时间已过，无法启动预警");
        }
        if (starts.isBefore(now.minus(settings.maxBackdate()))) {
            throw ApiException.badRequest("startsAt", "开始时间不能早于 " + days(settings.maxBackdate()) + " 天前");
        }
        if (java.time.Duration.between(starts, ends).compareTo(settings.maxWarningDuration()) > 0) {
            throw ApiException.badRequest("endsAt", "预警持续时间不能超过 " + days(settings.maxWarningDuration()) + " 天");
        }
        String document = text(r.document(), "document", 200, "发布文件");
        String reason = text(r.reason(), "reason", 500, "说明");
        List<String> districts = districts(r.districtCodes());
        int planYear = r.planYear() != null ? r.planYear() : starts.atZone(Times.CHINA).getYear();
        if (planYear < 2000 || planYear > 2100) {
            throw ApiException.badRequest("planYear", "预案年度须在 2000 到 2100 之间");
        }
        List<String> overlapping = jdbc.queryForList("""
                select w.id || '（' || string_agg(r.name, '、' order by r.code) || '）'
                from emergency_warning w join emergency_warning_district d on d.warning_id = w.id join region r on r.code = d.district_code
                where w.status = 'ACTIVE' and w.starts_at < :ends and w.ends_at > :starts and d.district_code in (:districts)
                group by w.id""", new MapSqlParameterSource("ends", Timestamp.from(ends)).addValue("starts", Timestamp.from(starts))
                .addValue("districts", districts), String.class);
        if (!overlapping.isEmpty()) {
            throw ApiException.conflict("以下区县在该时段已有生效中的预警（编号）：" + String.join("，", overlapping)
                    + "。请对该预警升级、降级或调整结束时间");
        }
        PowerWatchUser user = AccessScope.currentUser();
        long id = jdbc.queryForObject("""
                insert into emergency_warning (level, plan_year, starts_at, ends_at, document, created_by_name)
                values (:level, :year, :starts, :ends, :doc, :user) returning id""",
                new MapSqlParameterSource("level", r.level().name()).addValue("year", planYear).addValue("starts", Timestamp.from(starts))
                        .addValue("ends", Timestamp.from(ends)).addValue("doc", document).addValue("user", user.username()), Long.class);
        jdbc.batchUpdate("insert into emergency_warning_district (warning_id, district_code) values (:w, :d)",
                districts.stream().map(d -> new MapSqlParameterSource("w", id).addValue("d", d)).toArray(MapSqlParameterSource[]::new));
        long change = change(id, "START", starts, null, r.level(), null, ends, document, reason, user);
        List<Long> pending = openLevel(id, change, r.level(), planYear, starts, ends, districts, document, user);
        Map<String, Integer> counts = measures.counts(id, starts);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("level", r.level().name());
        detail.put("startsAt", r.startsAt().toString());
        detail.put("endsAt", r.endsAt().toString());
        detail.put("document", document);
        detail.put("districts", districts);
        detail.put("planYear", planYear);
        detail.put("measures", counts);
        audit.record("EMERGENCY_WARNING_STARTED", "emergency-warning:" + id, detail);
        afterCommit(id, change, pending, false);
        return get(id);
    }

    // ------------------------------------------------------------------------------------------------ changes

    @Transactional
    public Map<String, Object> changeLevel(long id, WarningRequests.Level r) {
        Warning w = active(id);
        if (r == null || r.level() == null) {
            throw ApiException.badRequest("level", "请选择调整后的预警级别");
        }
        if (r.level() == w.level()) {
            throw ApiException.badRequest("level", "预警已是" + w.level().label() + "级别");
        }
        Instant at = effective(r.effectiveAt(), w);
        String document = text(r.document(), "document", 200, "发布文件");
        String reason = text(r.reason(), "reason", 500, "说明");
        PowerWatchUser user = AccessScope.currentUser();
        String kind = r.level().ordinal() > w.level().ordinal() ? "UPGRADE" : "DOWNGRADE";
        int ended = measures.close(id, at, (kind.equals("UPGRADE") ? "预警升级为" : "预警降级为") + r.level().label());
        jdbc.update("update emergency_warning set level = :level where id = :id", Map.of("level", r.level().name(), "id", id));
        long change = change(id, kind, at, w.level(), r.level(), w.endsAt(), w.endsAt(), document, reason, user);
        List<String> districts = jdbc.queryForList("select district_code from emergency_warning_district where warning_id = :w",
                Map.of("w", id), String.class);
        List<Long> pending = openLevel(id, change, r.level(), w.planYear(), at, w.endsAt(), districts, document, user);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", w.level().name());
        detail.put("to", r.level().name());
        detail.put("effectiveAt", Times.china(at).toString());
        detail.put("measuresEnded", ended);
        detail.put("measures", measures.counts(id, at));
        audit.record("EMERGENCY_WARNING_" + (kind.equals("UPGRADE") ? "UPGRADED" : "DOWNGRADED"), "emergency-warning:" + id, detail);
        afterCommit(id, change, pending, false);
        return get(id);
    }

    @Transactional
    public Map<String, Object> changeEnd(long id, WarningRequests.End r) {
        Warning w = active(id);
        if (r == null || r.endsAt() == null) {
            throw ApiException.badRequest("endsAt", "请填写新的结束时间");
        }
        Instant ends = r.endsAt().toInstant();
        if (ends.equals(w.endsAt())) {
            throw ApiException.badRequest("endsAt", "新的结束时间与原结束时间相同");
        }
        if (!ends.isAfter(w.startsAt())) {
            throw ApiException.badRequest("endsAt", "结束时间须晚于开始时间（" + Times.shown(w.startsAt()) + "）");
        }
        if (!ends.isAfter(Instant.now())) {
            throw ApiException.badRequest("endsAt", "新的结束时间已过；要立即结束预警请使用“解除预警”");
        }
        if (java.time.Duration.between(w.startsAt(), ends).compareTo(settings.maxWarningDuration()) > 0) {
            throw ApiException.badRequest("endsAt", "预警持续时间不能超过 " + days(settings.maxWarningDuration()) + " 天");
        }
        String document = text(r.document(), "document", 200, "发布文件");
        String reason = text(r.reason(), "reason", 500, "说明");
        PowerWatchUser user = AccessScope.currentUser();
        boolean later = ends.isAfter(w.endsAt());
        int n = later ? measures.extend(id, w.endsAt(), ends) : measures.close(id, ends, "预警提前至" + Times.shown(ends) + "结束");
        jdbc.update("update emergency_warning set ends_at = :ends where id = :id", Map.of("ends", Timestamp.from(ends), "id", id));
        long change = change(id, later ? "EXTEND" : "SHORTEN", Instant.now(), w.level(), w.level(), w.endsAt(), ends, document, reason, user);
        audit.record(later ? "EMERGENCY_WARNING_EXTENDED" : "EMERGENCY_WARNING_SHORTENED", "emergency-warning:" + id,
                Map.of("from", Times.china(w.endsAt()).toString(), "to", r.endsAt().toString(), "measures", n));
        afterCommit(id, change, List.of(), false);
        return get(id);
    }

    @Transactional
    public Map<String, Object> lift(long id, WarningRequests.Lift r) {
        Warning w = active(id);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant at = r == null || r.effectiveAt() == null ? now : r.effectiveAt().toInstant();
        if (at.isBefore(now.minus(settings.maxBackdate()))) {
            throw ApiException.badRequest("effectiveAt", "解除时间不能早于 " + days(settings.maxBackdate()) + " 天前");
        }
        if (!at.isBefore(w.endsAt())) {
            throw ApiException.badRequest("effectiveAt", "解除时间须早于预警结束时间（" + Times.shown(w.endsAt()) + "）");
        }
        String document = text(r == null ? null : r.document(), "document", 200, "发布文件");
        String reason = text(r == null ? null : r.reason(), "reason", 500, "说明");
        PowerWatchUser user = AccessScope.currentUser();
        int n = measures.close(id, at, "预警于" + Times.shown(at) + "解除");
        boolean over = !at.isAfter(now);
        jdbc.update("""
                update emergency_warning set lifted_at = :at, ends_at = case when :at > starts_at then :at else ends_at end,
                    status = case when :over then 'ENDED' else status end, ended_at = case when :over then now() end
                where id = :id""", new MapSqlParameterSource("at", Timestamp.from(at)).addValue("over", over).addValue("id", id));
        long change = change(id, "LIFT", at, w.level(), null, w.endsAt(), at.isAfter(w.startsAt()) ? at : w.endsAt(), document, reason, user);
        audit.record("EMERGENCY_WARNING_LIFTED", "emergency-warning:" + id, Map.of("effectiveAt", Times.china(at).toString(), "measures", n));
        afterCommit(id, change, List.of(), over);
        return get(id);
    }

    /** Closes the warnings whose end has passed (the scheduler): status ENDED, an END change; returns their ids. */
    @Transactional
    public List<Long> endDue(Instant now) {
        List<Long> ids = jdbc.queryForList("""
                update emergency_warning set status = 'ENDED', ended_at = now()
                where status = 'ACTIVE' and (ends_at <= :now or lifted_at <= :now) returning id""",
                Map.of("now", Timestamp.from(now)), Long.class);
        for (Long id : ids) {
            jdbc.update("""
                    insert into emergency_warning_change (warning_id, kind, effective_at, level_before, ends_before, ends_after, by_name)
                    select id, 'END', ends_at, level, ends_at, ends_at, '系统' from emergency_warning where id = :id and lifted_at is null""",
                    Map.of("id", id));
            audit.record(new AuditLog.Actor(null, "system", null), "EMERGENCY_WARNING_ENDED", "emergency-warning:" + id,
                    AuditLog.Outcome.SUCCESS, Map.of());
        }
        return ids;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void afterCommit(long warningId, long changeId, List<Long> pendingOrders, boolean ended) {
        AfterCommit.run(() -> {
            board.invalidate(warningId);
            followUp.baselines(pendingOrders);
            followUp.announce(warningId, changeId);
            if (ended) {
                followUp.ended(warningId);
            }
        });
    }

    /**
     * Opens a level's measures from {@code from}: with the level's rotation, only the rotatable enterprises it picks
     * (the ledger is written); returns the orders waiting for a baseline.
     */
    private List<Long> openLevel(long id, long change, EmergencyLevel level, int planYear, Instant from, Instant to,
                                 List<String> districts, String document, PowerWatchUser user) {
        // counted up to now: a warning registered late (start in the past) still sees the limits already in force
        Instant now = Instant.now();
        Rotation.Picks picks = rotation.pick(planYear, level, from.isAfter(now) ? from : now, districts, id);
        List<Long> pending = measures.open(id, level, planYear, from, to, picks == null ? List.of() : picks.skipped(),
                picks == null ? List.of() : picks.picked(), reasonText(level, document), user.id(), user.username());
        if (picks != null) {
            rotation.record(id, change, picks);
        }
        return pending;
    }

    /** The reason written into the production orders of a level. */
    static String reasonText(EmergencyLevel level, String document) {
        return "重污染天气" + level.label() + "预警" + (document == null ? "" : "（" + document + "）");
    }

    private long change(long id, String kind, Instant at, EmergencyLevel before, EmergencyLevel after, Instant endsBefore,
                        Instant endsAfter, String document, String reason, PowerWatchUser user) {
        return jdbc.queryForObject("""
                insert into emergency_warning_change (warning_id, kind, effective_at, level_before, level_after, ends_before,
                                                      ends_after, document, reason, by_name)
                values (:w, :kind, :at, :before, :after, :endsBefore, :endsAfter, :doc, :reason, :user) returning id""",
                new MapSqlParameterSource("w", id).addValue("kind", kind).addValue("at", Timestamp.from(at))
                        .addValue("before", before == null ? null : before.name()).addValue("after", after == null ? null : after.name())
                        .addValue("endsBefore", endsBefore == null ? null : Timestamp.from(endsBefore))
                        .addValue("endsAfter", endsAfter == null ? null : Timestamp.from(endsAfter))
                        .addValue("doc", document).addValue("reason", reason).addValue("user", user.username()), Long.class);
    }

    /** The time a level change applies from: now by default; never before the start; 400 outside the warning. */
    private Instant effective(OffsetDateTime requested, Warning w) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant at = requested == null ? now : requested.toInstant();
        if (at.isBefore(now.minus(settings.maxBackdate()))) {
            throw ApiException.badRequest("effectiveAt", "生效时间不能早于 " + days(settings.maxBackdate()) + " 天前");
        }
        if (!at.isBefore(w.endsAt())) {
            throw ApiException.badRequest("effectiveAt", "生效时间须早于预警结束时间（" + Times.shown(w.endsAt()) + "）");
        }
        return at.isBefore(w.startsAt()) ? w.startsAt() : at;
    }

    /** An ACTIVE warning (404; 409 when it has ended). */
    Warning active(long id) {
        Warning w = find(id);
        if (!"ACTIVE".equals(w.status()) || w.liftedAt() != null) {
            throw ApiException.conflict("该预警已结束或已解除，不能再调整");
        }
        return w;
    }

    Warning find(long id) {
        List<Warning> found = jdbc.query("select * from emergency_warning where id = :id", Map.of("id", id), (rs, i) -> warning(rs));
        if (found.isEmpty()) {
            throw ApiException.notFound("应急预警", id);
        }
        return found.get(0);
    }

    static Warning warning(ResultSet rs) throws SQLException {
        Timestamp lifted = rs.getTimestamp("lifted_at");
        return new Warning(rs.getLong("id"), EmergencyLevel.valueOf(rs.getString("level")), rs.getInt("plan_year"),
                rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("ends_at").toInstant(), rs.getString("status"),
                lifted == null ? null : lifted.toInstant(), rs.getString("document"));
    }

    /** District codes as given (a city's code stands for all its districts), each one known; 400 otherwise. */
    private List<String> districts(List<String> codes) {
        if (codes == null || codes.isEmpty()) {
            throw ApiException.badRequest("districtCodes", "请选择预警覆盖的区县");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String code : codes) {
            if (code == null || !code.trim().matches("\\d{6}")) {
                throw ApiException.badRequest("districtCodes", "行政区划代码须为6位数字：" + code);
            }
            List<Map<String, Object>> r = jdbc.queryForList("select code, level from region where code = :c", Map.of("c", code.trim()));
            if (r.isEmpty()) {
                throw ApiException.badRequest("districtCodes", "未知的行政区划代码：" + code);
            }
            if (((Number) r.get(0).get("level")).intValue() == 3) {
                out.add(code.trim());
            } else {
                List<String> below = jdbc.queryForList("select code from region where level = 3 and code like :p order by code",
                        Map.of("p", AccessScope.regionPrefix("districtCodes", code) + "%"), String.class);
                if (below.isEmpty()) {
                    throw ApiException.badRequest("districtCodes", "该行政区划下没有区县：" + code);
                }
                out.addAll(below);
            }
        }
        return new ArrayList<>(out);
    }

    private static String text(String value, String field, int max, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw ApiException.badRequest(field, name + "不超过 " + max + " 个字符");
        }
        return value.trim();
    }

    private static long days(java.time.Duration d) {
        return Math.max(1, d.toDays());
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** One warning with its districts, changes and how many measures are in force now (or were at its end). */
    public Map<String, Object> get(long id) {
        Warning w = find(id);
        List<Map<String, Object>> districts = jdbc.queryForList("""
                select d.district_code as code, r.name from emergency_warning_district d join region r on r.code = d.district_code
                where d.warning_id = :id order by d.district_code""", Map.of("id", id));
        AccessScope scope = AccessScope.current();
        if (!scope.everything() && districts.stream().noneMatch(d -> scope.districtPrefixes().stream()
                .anyMatch(p -> ((String) d.get("code")).startsWith(p)))) {
            throw ApiException.notFound("应急预警", id);
        }
        Map<String, Object> m = view(w, jdbc.queryForMap("select created_by_name, created_at, ended_at from emergency_warning where id = :id",
                Map.of("id", id)));
        m.put("districts", districts);
        m.put("changes", jdbc.query("""
                select id, kind, effective_at, level_before, level_after, ends_before, ends_after, document, reason, by_name, recorded_at
                from emergency_warning_change where warning_id = :id order by id""", Map.of("id", id), (rs, i) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", rs.getLong("id"));
            c.put("kind", rs.getString("kind"));
            c.put("effectiveAt", Times.china(rs.getTimestamp("effective_at")));
            c.put("levelBefore", rs.getString("level_before"));
            c.put("levelAfter", rs.getString("level_after"));
            c.put("endsBefore", Times.china(rs.getTimestamp("ends_before")));
            c.put("endsAfter", Times.china(rs.getTimestamp("ends_after")));
            c.put("document", rs.getString("document"));
            c.put("reason", rs.getString("reason"));
            c.put("by", rs.getString("by_name"));
            c.put("recordedAt", Times.china(rs.getTimestamp("recorded_at")));
            return c;
        }));
        Instant at = Instant.now().isBefore(w.endsAt()) ? Instant.now() : w.endsAt().minusMillis(1);
        Map<String, Object> inForce = new LinkedHashMap<>(Map.of("STOP", 0, "LIMIT", 0, "SELF", 0));
        jdbc.query("""
                select measure, count(*) from emergency_measure where warning_id = :id and status = 'ACTIVE'
                  and valid_from <= greatest(:at, (select starts_at from emergency_warning where id = :id)) and valid_to > :at
                group by measure""", new MapSqlParameterSource("id", id).addValue("at", Timestamp.from(at)),
                rs -> { inForce.put(rs.getString(1), rs.getInt(2)); });
        m.put("measuresInForce", inForce);
        return m;
    }

    private static Map<String, Object> view(Warning w, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("level", w.level().name());
        m.put("levelName", w.level().label() + "预警");
        m.put("planYear", w.planYear());
        m.put("startsAt", Times.china(w.startsAt()));
        m.put("endsAt", Times.china(w.endsAt()));
        m.put("document", w.document());
        m.put("status", w.status());
        m.put("liftedAt", Times.china(w.liftedAt()));
        m.put("createdBy", extra.get("created_by_name"));
        m.put("createdAt", extra.get("created_at") == null ? null : Times.china((Timestamp) extra.get("created_at")));
        m.put("endedAt", extra.get("ended_at") == null ? null : Times.china((Timestamp) extra.get("ended_at")));
        return m;
    }

    /** Warnings covering at least one district in the caller's scope, latest first. */
    public Map<String, Object> list(String status, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("status", status == null || status.isBlank() ? null : status.trim())
                .addValue("prefixes", scope.everything() ? List.of("%") : scope.districtPrefixes().isEmpty() ? List.of("-")
                        : scope.districtPrefixes().stream().map(x -> x + "%").toList());
        String where = " " + """
                where (cast(:status as text) is null or w.status = :status)
                  and exists (select 1 from emergency_warning_district d where d.warning_id = w.id and d.district_code like any (array[:prefixes]))""";
        int safeSize = Math.max(1, Math.min(size, 200));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        Long total = jdbc.queryForObject("select count(*) from emergency_warning w" + where, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("""
                select w.*, (select string_agg(r.name, '、' order by r.code) from emergency_warning_district d
                             join region r on r.code = d.district_code where d.warning_id = w.id) as district_names,
                       (select count(distinct m.enterprise_id) from emergency_measure m where m.warning_id = w.id and m.status = 'ACTIVE')
                           as enterprises
                from emergency_warning w""" + where + " order by w.starts_at desc, w.id desc limit :limit offset :offset", p, (rs, i) -> {
            Map<String, Object> m = view(warning(rs), Map.of());
            m.put("createdBy", rs.getString("created_by_name"));
            m.put("districtNames", rs.getString("district_names"));
            m.put("enterprises", rs.getLong("enterprises"));
            return m;
        });
        return Map.of("items", items, "total", total == null ? 0 : total, "page", safePage, "size", safeSize);
    }
}
