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

    /** Handling and task states and results as officers name them, for messages. */
    private static final Map<String, String> STATES = Map.ofEntries(Map.entry("UNCONFIRMED", "未确认"),
            Map.entry("CONFIRMED", "已确认"), Map.entry("CANCELLED", "已取消"), Map.entry("HANDLED", "已处理"),
            Map.entry("DISPATCHED", "已派发、待反馈"), Map.entry("FEEDBACK", "已反馈、待核查"),
            Map.entry("VERIFIED", "已核查、待审核"), Map.entry("REVIEWED", "已审核"),
            Map.entry("ENTERPRISE_ABNORMAL", "企业异常"), Map.entry("DEVICE_ABNORMAL", "设备异常"),
            Map.entry("NO_ABNORMALITY", "无异常"), Map.entry("PASSED", "通过"), Map.entry("REJECTED", "驳回"));

    private static String state(String state) {
        return state == null ? "未派发" : STATES.getOrDefault(state, state);
    }

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
            throw conflict("该报警当前为“" + state(a.handling()) + "”，只有未确认的报警才能确认");
        }
        set(id, "handling = 'CONFIRMED'", Map.of());
        return done(a, "CONFIRMED", text(r), null, null, null, null, null, List.of());
    }

    @Transactional
    public Map<String, Object> cancel(long id, ActionRequest r) {
        Target a = load(id);
        requireConfirmer(a);
        if (a.handling().equals("CANCELLED")) {
            throw conflict("该报警已取消");
        }
        set(id, "handling = 'CANCELLED'", Map.of());
        return done(a, "CANCELLED", text(r), null, null, null, null, null, List.of());
    }

    @Transactional
    public Map<String, Object> handle(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "处理");
        String opinion = required(r, "text", "请填写处理意见");
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
        requireOfficer(a, "派发");
        r = r == null ? ActionRequest.EMPTY : r;
        boolean toUser = r.assigneeUserId() != null;
        boolean toUnit = r.assigneeRegion() != null && !r.assigneeRegion().isBlank();
        if (toUser == toUnit) {
            throw ApiException.badRequest("assigneeUserId", "请在办理人和办理单位中选择一个（二者只填其一）");
        }
        if (r.deadline() == null) {
            throw ApiException.badRequest("deadline", "请填写办理期限");
        }
        if (!r.deadline().toInstant().isAfter(Instant.now())) {
            throw ApiException.badRequest("deadline", "办理期限须晚于当前时间");
        }
        String region = toUnit ? r.assigneeRegion().trim() : null;
        if (toUser) {
            requireAssigneeUser(r.assigneeUserId(), a);
        } else {
            requireAssigneeUnit(region, a);
        }
        requireNotCancelled(a);
        if (a.workflow() != null && !a.workflow().equals("DISPATCHED")) {
            throw conflict("该报警的任务当前为“" + state(a.workflow()) + "”，只有在反馈之前才能派发或重新派发");
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
            throw forbidden("只有该任务的办理人（或被指派区县单位的监管人员）才能反馈");
        }
        String text = required(r, "text", "请填写反馈内容");
        if (!"DISPATCHED".equals(a.workflow())) {
            throw conflict(a.workflow() == null ? "该报警尚未派发，不能反馈" : "只有已派发、待反馈的任务才能反馈；任务当前为“" + state(a.workflow()) + "”");
        }
        set(id, "workflow = 'FEEDBACK'", Map.of());
        return done(a, "FEEDBACK", text, null, null, null, r.result(), null, List.of());
    }

    @Transactional
    public Map<String, Object> verify(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "核查");
        String result = oneOf(r, VERIFY_RESULTS, "核查结果");
        if (!"FEEDBACK".equals(a.workflow())) {
            throw conflict("核查须在办理人反馈之后进行；任务当前为“" + state(a.workflow()) + "”");
        }
        set(id, "workflow = 'VERIFIED'", Map.of());
        return done(a, "VERIFIED", text(r), null, null, null, result, null, List.of());
    }

    @Transactional
    public Map<String, Object> review(long id, ActionRequest r) {
        Target a = load(id);
        requireOfficer(a, "审核");
        String result = oneOf(r, REVIEW_RESULTS, "审核结果");
        if (result.equals("REJECTED")) {
            required(r, "text", "审核驳回时须填写审核意见");
        }
        if (!"VERIFIED".equals(a.workflow())) {
            throw conflict("审核须在核查之后进行；任务当前为“" + state(a.workflow()) + "”");
        }
        // rejected: back to the assignee, who gives feedback again
        set(id, result.equals("PASSED") ? "workflow = 'REVIEWED'" : "workflow = 'DISPATCHED'", Map.of());
        return done(a, "REVIEWED", text(r), null, null, null, result, null, List.of());
    }

    @Transactional
    public Map<String, Object> reason(long id, ActionRequest r) {
        Target a = load(id);
        if (AccessScope.currentUser().role() != Role.ENTERPRISE_USER) {
            throw forbidden("异常申报只能由企业用户提交");
        }
        String text = required(r, "text", "请填写异常原因");
        return done(a, "REASON", text, null, null, null, r.result(), null, List.of());
    }

    /** Loads and locks the alarm for an attachment upload; enterprise users, administrators and officers may add photos. */
    Target forAttachment(long id) {
        Target a = load(id);
        Role role = AccessScope.currentUser().role();
        if (role != Role.ENTERPRISE_USER && role != Role.CITY_ADMIN && role != Role.DISTRICT_OFFICER) {
            throw forbidden("只有企业用户和处理该报警的监管人员才能上传照片");
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
            throw ApiException.notFound("报警", id);
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
        throw forbidden(role == Role.OPERATOR ? "运维人员只能确认或取消通讯类和数据质量类报警"
                : "报警只能由监管人员确认或取消");
    }

    private static void requireOfficer(Target a, String what) {
        Role role = AccessScope.currentUser().role();
        if (role != Role.CITY_ADMIN && role != Role.DISTRICT_OFFICER) {
            throw forbidden("只有监管人员和管理员才能" + what + "报警");
        }
    }

    private static void requireNotCancelled(Target a) {
        if (a.handling().equals("CANCELLED")) {
            throw conflict("该报警已取消");
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
            throw ApiException.badRequest("assigneeUserId", "编号为 " + userId + " 的用户不存在");
        }
        Map<String, Object> u = users.get(0);
        String role = (String) u.get("role");
        if (!Boolean.TRUE.equals(u.get("enabled")) || !(role.equals("DISTRICT_OFFICER") || role.equals("CITY_ADMIN"))) {
            throw ApiException.badRequest("assigneeUserId", "任务只能派发给在用的区县监管人员或市局管理员");
        }
        if (role.equals("DISTRICT_OFFICER")) {
            String regions = (String) u.get("regions");
            boolean sees = !regions.isEmpty() && java.util.Arrays.stream(regions.split(","))
                    .map(code -> AccessScope.regionPrefix("regions", code)).anyMatch(a.districtCode()::startsWith);
            if (!sees) {
                throw ApiException.badRequest("assigneeUserId", "该办理人的管辖区县不包括该企业所在区县");
            }
        }
    }

    private void requireAssigneeUnit(String region, Target a) {
        Integer exists = jdbc.queryForObject("select count(*) from region where code = :c", Map.of("c", region), Integer.class);
        if (!region.matches("\\d{6}") || exists == null || exists == 0) {
            throw ApiException.badRequest("assigneeRegion", "行政区划代码不存在：" + region);
        }
        if (!a.districtCode().startsWith(AccessScope.regionPrefix("district", region))) {
            throw ApiException.badRequest("assigneeRegion", "办理单位（" + region + "）的管辖范围不包括该企业所在区县（" + a.districtCode() + "）");
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
            throw ApiException.badRequest("result", "请选择" + what + "：" + String.join("、", new java.util.TreeSet<>(allowed).stream()
                    .map(x -> x + "（" + state(x) + "）").toList()));
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
