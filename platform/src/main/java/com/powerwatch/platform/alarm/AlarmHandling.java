package com.powerwatch.platform.alarm;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handling of alarms (处置), as the tender defines it: confirm (seen), cancel (off the real-time list, kept in
 * history), handle (an opinion sent to the people concerned), and the dispatch flow
 * 推送 → 处置 → 反馈 → 核查 → 审核 (dispatch → feedback → verify → review). Enterprise users file reasons.
 *
 * <p>Order of checks for every action: the alarm exists (404), is in the caller's scope (403), the caller's role may
 * take this step (403), the input is complete (400), the step fits the alarm's state (409). Each step is a row of
 * alarm_step and an audit event, in the same transaction; pushes and messages follow the commit.
 */
@Service
public class AlarmHandling {

    /** Body of every action; which fields matter depends on the action (docs/alarms.md). */
    public record ActionRequest(String text, String result, Long assigneeUserId, String assigneeRegion, OffsetDateTime deadline) {
        static final ActionRequest EMPTY = new ActionRequest(null, null, null, null, null);
    }

    static final Set<String> VERIFY_RESULTS = Set.of("ENTERPRISE_ABNORMAL", "DEVICE_ABNORMAL", "NO_ABNORMALITY");
    static final Set<String> REVIEW_RESULTS = Set.of("PASSED", "REJECTED");

    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("RAISED", "报警产生"),
            Map.entry("LEVEL_RAISED", "等级提高"), Map.entry("ESCALATED", "超时升级"), Map.entry("RECOVERED", "自动恢复"),
            Map.entry("CONFIRMED", "确认"), Map.entry("CANCELLED", "取消"), Map.entry("HANDLED", "处理"),
            Map.entry("DISPATCHED", "派发"), Map.entry("FEEDBACK", "反馈"), Map.entry("VERIFIED", "核查"),
            Map.entry("REVIEWED", "审核"), Map.entry("REASON", "企业说明"), Map.entry("ATTACHMENT", "上传照片"));

    static String actionLabel(String action) {
        return LABELS.getOrDefault(action, action);
    }

    /** The row an action works on, locked for the transaction. */
    record Target(long id, long enterpriseId, String districtCode, String category, String status, String handling,
                  String workflow, Long assigneeUserId, String assigneeRegion) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmEvents events;
    private final AuditLog audit;
    private final AlarmQueries queries;

    AlarmHandling(NamedParameterJdbcTemplate jdbc, AlarmEvents events, AuditLog audit, AlarmQueries queries) {
        this.jdbc = jdbc;
        this.events = events;
        this.audit = audit;
        this.queries = queries;
    }

    @Transactional
    public Map<String, Object> confirm(long id, ActionRequest r) {
        Target a = load(id);
        requireConfirmer(a);
        if (!a.handling().equals("UNCONFIRMED")) {
            throw conflict("the alarm is already " + a.handling() + "; only an unconfirmed alarm can be confirmed");
        }
        set(id, "handling = 'CONFIRMED'", Map.of());
        return done(a, "CONFIRMED", text(r), null, null, null, null, null, List.of());
    }

    @Transactional
    public Map<String, Object> cancel(long id, ActionRequest r) {
        Target a = load(id);
        requireConfirmer(a);
        if (a.handling().equals("CANCELLED")) {
            throw conflict("the alarm is already cancelled");
        }
        set(id, "handling = 'CANCELLED'", Map.of());
        return done(a, "CANCELLED", text(r), null, null, null, null, null, List.of());
    }

    @Transactional
    public Map<String, Object> handle(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "handle");
        String opinion = required(r, "text", "the handling opinion (处理意见) is required");
        requireNotCancelled(a);
        set(id, "handling = 'HANDLED'", Map.of());
        // the people concerned: the enterprise's users and whoever the alarm is assigned to
        Set<Long> concerned = new LinkedHashSet<>(enterpriseUsers(a.enterpriseId()));
        concerned.addAll(assignees(a.assigneeUserId(), a.assigneeRegion()));
        concerned.remove(AccessScope.currentUser().id());
        return done(a, "HANDLED", opinion, null, null, null, null, NotificationEvent.HANDLED, List.copyOf(concerned));
    }

    @Transactional
    public Map<String, Object> dispatch(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "dispatch");
        r = r == null ? ActionRequest.EMPTY : r;
        boolean toUser = r.assigneeUserId() != null;
        boolean toUnit = r.assigneeRegion() != null && !r.assigneeRegion().isBlank();
        if (toUser == toUnit) {
            throw ApiException.badRequest("assigneeUserId", "name exactly one assignee: assigneeUserId (a person) or assigneeRegion (a district unit)");
        }
        if (r.deadline() == null) {
            throw ApiException.badRequest("deadline", "a deadline (办理期限) is required");
        }
        if (!r.deadline().toInstant().isAfter(Instant.now())) {
            throw ApiException.badRequest("deadline", "the deadline must be in the future");
        }
        String region = toUnit ? r.assigneeRegion().trim() : null;
        if (toUser) {
            requireAssigneeUser(r.assigneeUserId(), a);
        } else {
            requireAssigneeUnit(region, a);
        }
        requireNotCancelled(a);
        if (a.workflow() != null && !a.workflow().equals("DISPATCHED")) {
            throw conflict("the alarm's task is at " + a.workflow() + "; it can be (re)dispatched only before feedback");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("user", r.assigneeUserId());
        p.put("region", region);
        p.put("deadline", Timestamp.from(r.deadline().toInstant()));
        set(id, "workflow = 'DISPATCHED', assignee_user_id = :user, assignee_region = :region, deadline = :deadline,"
                + " handling = case when handling = 'UNCONFIRMED' then 'CONFIRMED' else handling end", p);
        List<Long> notify = assignees(r.assigneeUserId(), region).stream()
                .filter(u -> u != AccessScope.currentUser().id()).toList();
        return done(a, "DISPATCHED", text(r), r.assigneeUserId(), region, r.deadline().toInstant(), null,
                NotificationEvent.DISPATCHED, notify);
    }

    @Transactional
    public Map<String, Object> feedback(long id, ActionRequest r) {
        Target a = load(id);
        PowerWatchUser user = AccessScope.currentUser();
        if (!isAssignee(user, a)) {
            throw forbidden("only the assignee of the task (the person, or an officer of the assigned district unit) gives feedback");
        }
        String text = required(r, "text", "the feedback (反馈内容) is required");
        if (!"DISPATCHED".equals(a.workflow())) {
            throw conflict(a.workflow() == null ? "the alarm has not been dispatched" : "feedback is given on a dispatched task; the task is at " + a.workflow());
        }
        set(id, "workflow = 'FEEDBACK'", Map.of());
        return done(a, "FEEDBACK", text, null, null, null, r.result(), null, List.of());
    }

    @Transactional
    public Map<String, Object> verify(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "verify");
        String result = oneOf(r, VERIFY_RESULTS, "verification result (核查结果)");
        if (!"FEEDBACK".equals(a.workflow())) {
            throw conflict("verification (核查) follows the assignee's feedback; the task is at " + (a.workflow() == null ? "not dispatched" : a.workflow()));
        }
        set(id, "workflow = 'VERIFIED'", Map.of());
        return done(a, "VERIFIED", text(r), null, null, null, result, null, List.of());
    }

    @Transactional
    public Map<String, Object> review(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "review");
        String result = oneOf(r, REVIEW_RESULTS, "review result (审核结果)");
        if (result.equals("REJECTED")) {
            required(r, "text", "a rejected review needs an opinion (审核意见)");
        }
        if (!"VERIFIED".equals(a.workflow())) {
            throw conflict("review (审核) follows verification (核查); the task is at " + (a.workflow() == null ? "not dispatched" : a.workflow()));
        }
        // rejected: back to the assignee, who gives feedback again
        set(id, result.equals("PASSED") ? "workflow = 'REVIEWED'" : "workflow = 'DISPATCHED'", Map.of());
        return done(a, "REVIEWED", text(r), null, null, null, result, null, List.of());
    }

    @Transactional
    public Map<String, Object> reason(long id, ActionRequest r) {
        Target a = load(id);
        if (AccessScope.currentUser().role() != Role.ENTERPRISE_USER) {
            throw forbidden("reasons (异常申报) are filed by the enterprise's users");
        }
        String text = required(r, "text", "the reason (异常原因) is required");
        return done(a, "REASON", text, null, null, null, r.result(), null, List.of());
    }

    /** Loads and locks the alarm for an attachment upload; enterprise users, administrators and officers may add photos. */
    Target forAttachment(long id) {
        Target a = load(id);
        Role role = AccessScope.currentUser().role();
        if (role != Role.ENTERPRISE_USER && role != Role.CITY_ADMIN && role != Role.DISTRICT_OFFICER) {
            throw forbidden("photos are added by the enterprise's users and the officers handling the alarm");
        }
        return a;
    }

    void attachmentAdded(Target a, long attachmentId, String fileName, long size) {
        done(a, "ATTACHMENT", fileName, null, null, null, null, null, List.of(), Map.of("attachmentId", attachmentId, "bytes", size));
    }

    // ---- checks

    Target load(long id) {
        List<Target> found = jdbc.query("""
                select a.id, a.enterprise_id, e.district_code, t.category, a.status, a.handling, a.workflow, a.assignee_user_id,
                       a.assignee_region
                from alarm a join enterprise e on e.id = a.enterprise_id join alarm_type t on t.code = a.type
                where a.id = :id for update of a""", Map.of("id", id), (rs, i) -> new Target(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                (Long) rs.getObject(8), rs.getString(9)));
        if (found.isEmpty()) {
            throw ApiException.notFound("alarm", id);
        }
        Target a = found.get(0);
        AccessScope.current().require(a.districtCode(), a.enterpriseId());
        return a;
    }

    /** Confirm and cancel: administrators and officers; operators too for communication and data-quality alarms. */
    private static void requireConfirmer(Target a) {
        Role role = AccessScope.currentUser().role();
        if (role == Role.CITY_ADMIN || role == Role.DISTRICT_OFFICER || (role == Role.OPERATOR && a.category().equals("DATA"))) {
            return;
        }
        throw forbidden(role == Role.OPERATOR ? "operators confirm and cancel only communication and data-quality alarms"
                : "alarms are confirmed and cancelled by officers");
    }

    private static void requireOfficer(Target a, String what) {
        Role role = AccessScope.currentUser().role();
        if (role != Role.CITY_ADMIN && role != Role.DISTRICT_OFFICER) {
            throw forbidden("only officers and administrators " + what + " alarms");
        }
    }

    private static void requireNotCancelled(Target a) {
        if (a.handling().equals("CANCELLED")) {
            throw conflict("the alarm was cancelled");
        }
    }

    private boolean isAssignee(PowerWatchUser user, Target a) {
        if (user.role() == Role.CITY_ADMIN) {
            return true;
        }
        if (a.assigneeUserId() != null) {
            return a.assigneeUserId() == user.id();
        }
        return a.assigneeRegion() != null && user.role() == Role.DISTRICT_OFFICER
                && user.regionCodes().stream().map(code -> AccessScope.regionPrefix("regions", code)).anyMatch(a.assigneeRegion()::startsWith);
    }

    private void requireAssigneeUser(long userId, Target a) {
        List<Map<String, Object>> users = jdbc.queryForList("""
                select u.role, u.enabled, coalesce(array_to_string(array_agg(ur.region_code), ','), '') as regions
                from app_user u left join app_user_region ur on ur.user_id = u.id where u.id = :id group by u.id""",
                Map.of("id", userId));
        if (users.isEmpty()) {
            throw ApiException.badRequest("assigneeUserId", "no user " + userId);
        }
        Map<String, Object> u = users.get(0);
        String role = (String) u.get("role");
        if (!Boolean.TRUE.equals(u.get("enabled")) || !(role.equals("DISTRICT_OFFICER") || role.equals("CITY_ADMIN"))) {
            throw ApiException.badRequest("assigneeUserId", "tasks are assigned to enabled officers or administrators");
        }
        if (role.equals("DISTRICT_OFFICER")) {
            String regions = (String) u.get("regions");
            boolean sees = !regions.isEmpty() && java.util.Arrays.stream(regions.split(","))
                    .map(code -> AccessScope.regionPrefix("regions", code)).anyMatch(a.districtCode()::startsWith);
            if (!sees) {
                throw ApiException.badRequest("assigneeUserId", "the assignee's regions do not cover this enterprise's district");
            }
        }
    }

    private void requireAssigneeUnit(String region, Target a) {
        Integer exists = jdbc.queryForObject("select count(*) from region where code = :c", Map.of("c", region), Integer.class);
        if (!region.matches("\\d{6}") || exists == null || exists == 0) {
            throw ApiException.badRequest("assigneeRegion", "unknown region " + region);
        }
        if (!a.districtCode().startsWith(AccessScope.regionPrefix("district", region))) {
            throw ApiException.badRequest("assigneeRegion", "region " + region + " does not cover the enterprise's district " + a.districtCode());
        }
    }

    private static String required(ActionRequest r, String field, String message) {
        String v = r == null ? null : r.text();
        if (v == null || v.isBlank()) {
            throw ApiException.badRequest(field, message);
        }
        return v.trim();
    }

    private static String oneOf(ActionRequest r, Set<String> allowed, String what) {
        String v = r == null || r.result() == null ? null : r.result().trim();
        if (v == null || !allowed.contains(v)) {
            throw ApiException.badRequest("result", "the " + what + " must be one of " + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    private static String text(ActionRequest r) {
        return r == null || r.text() == null || r.text().isBlank() ? null : r.text().trim();
    }

    static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "INVALID_STATE", message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN", message);
    }

    // ---- writing

    private void set(long id, String assignments, Map<String, Object> values) {
        MapSqlParameterSource p = new MapSqlParameterSource(values).addValue("id", id);
        jdbc.update("update alarm set " + assignments + ", updated_at = now() where id = :id", p);
    }

    private Map<String, Object> done(Target a, String action, String text, Long assigneeUser, String assigneeRegion, Instant deadline,
                                     String result, NotificationEvent event, List<Long> notify) {
        return done(a, action, text, assigneeUser, assigneeRegion, deadline, result, event, notify, Map.of());
    }

    private Map<String, Object> done(Target a, String action, String text, Long assigneeUser, String assigneeRegion, Instant deadline,
                                     String result, NotificationEvent event, List<Long> notify, Map<String, Object> extra) {
        AuditLog.Actor actor = AuditLog.Actor.of(AccessScope.currentUser());
        long step = events.step(a.id(), action, actor, text, assigneeUser, assigneeRegion, deadline, result, extra);
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        detail.put("step", step);
        detail.put("enterpriseId", a.enterpriseId());
        if (text != null) {
            detail.put("text", text.length() > 500 ? text.substring(0, 500) : text);
        }
        if (result != null) {
            detail.put("result", result);
        }
        if (assigneeUser != null) {
            detail.put("assigneeUserId", assigneeUser);
        }
        if (assigneeRegion != null) {
            detail.put("assigneeRegion", assigneeRegion);
        }
        if (deadline != null) {
            detail.put("deadline", deadline.toString());
        }
        audit.record("ALARM_" + action, "alarm:" + a.id(), detail);
        events.changed(a.id(), action, event, event == NotificationEvent.HANDLED ? "处理意见：" + text
                : event == NotificationEvent.DISPATCHED ? "报警已派发，办理期限 " + AlarmQueries.time(Timestamp.from(deadline))
                .toLocalDateTime().toString().replace('T', ' ') + (text == null ? "" : "，" + text) : null, notify);
        return queries.detail(a.id());
    }

    private List<Long> enterpriseUsers(long enterpriseId) {
        return jdbc.queryForList("select id from app_user where enterprise_id = :e and enabled and role = 'ENTERPRISE_USER'",
                Map.of("e", enterpriseId), Long.class);
    }

    /** The assigned person, or the enabled officers of the assigned district unit (whose regions cover it). */
    private List<Long> assignees(Long userId, String region) {
        if (userId != null) {
            return List.of(userId);
        }
        if (region == null) {
            return List.of();
        }
        return jdbc.queryForList("""
                select distinct u.id from app_user u join app_user_region ur on ur.user_id = u.id
                where u.enabled and u.role = 'DISTRICT_OFFICER'
                  and :region like regexp_replace(ur.region_code, '(00)+$', '') || '%'""", Map.of("region", region), Long.class);
    }
}
