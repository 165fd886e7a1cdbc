package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.Measure;
import com.powerwatch.platform.registry.RegistryAccess;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 企业应急预案: one plan per year × warning level × enterprise (docs/emergency.md §1). Reads are scoped to the caller's
 * districts or enterprise; writes check the enterprise's scope and every rule of {@link PlanRules}; every write is
 * audited.
 */
@Service
public class Plans {

    /** A page of plans. */
    public record Page(List<Map<String, Object>> items, long total, int page, int size) {
    }

    /** Filters of the plan list (all optional but year). */
    public record Filter(int year, EmergencyLevel level, String district, String grade, Measure measure, Boolean participates,
                         Boolean rotatable, String q) {
    }

    static final String COLUMNS = """
            p.id, p.year, p.level, p.enterprise_id, e.name as enterprise_name, e.credit_code, e.district_code,
            r.name as district_name, e.industry_code, i.name as industry_name, p.participates, p.grade, p.reduction_code,
            p.measure, p.scope, p.limit_percent, p.rotatable, p.baseline_kw, p.measure_text, p.economic_loss, p.note,
            p.rotation_group, p.updated_by_name, p.created_at, p.updated_at,
            (select count(*) from emergency_plan_facility pf where pf.plan_id = p.id) as facilities,
            (select count(distinct pf.production_line_id) from emergency_plan_facility pf where pf.plan_id = p.id) as lines,
            (select sum(pf.rated_kw) from emergency_plan_facility pf where pf.plan_id = p.id) as rated_kw,
            a.file_name as attachment_name, a.size_bytes as attachment_size""";
    static final String FROM = " " + """
            from emergency_plan p join enterprise e on e.id = p.enterprise_id
            left join region r on r.code = e.district_code left join industry i on i.code = e.industry_code
            left join emergency_plan_attachment a on a.plan_id = p.id""";

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;
    private final AuditLog audit;
    private final PlanBaselines baselines;

    Plans(NamedParameterJdbcTemplate jdbc, RegistryAccess access, AuditLog audit, PlanBaselines baselines) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.baselines = baselines;
    }

    /** The ready baselines of the enterprises whose plans were written (after the commit, in the background). */
    void plansWritten(java.util.Collection<Long> enterpriseIds) {
        baselines.plansChanged(enterpriseIds);
    }

    // ------------------------------------------------------------------------------------------------ reading

    public Page list(Filter f, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("year", f.year());
        StringBuilder w = new StringBuilder(" where p.year = :year and ").append(scope.enterpriseFilter("e"));
        if (f.level() != null) {
            w.append(" and p.level = :level");
            p.addValue("level", f.level().name());
        }
        if (f.district() != null && !f.district().isBlank()) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", f.district()) + "%");
        }
        if (f.grade() != null && !f.grade().isBlank()) {
            String g = PlanRules.grade(f.grade());
            if (g == null) {
                throw ApiException.badRequest("grade", "绩效分级须为 A、B、C、D 或 引领性");
            }
            w.append(" and p.grade = :grade");
            p.addValue("grade", g);
        }
        if (f.measure() != null) {
            w.append(" and p.measure = :measure");
            p.addValue("measure", f.measure().name());
        }
        if (f.participates() != null) {
            w.append(" and p.participates = :participates");
            p.addValue("participates", f.participates());
        }
        if (f.rotatable() != null) {
            w.append(" and p.rotatable = :rotatable");
            p.addValue("rotatable", f.rotatable());
        }
        if (f.q() != null && !f.q().isBlank()) {
            w.append(" and (e.name like :q or e.credit_code like :q or p.reduction_code like :q)");
            p.addValue("q", "%" + f.q().trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        int safeSize = Math.max(1, Math.min(size, 500));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        Long total = jdbc.queryForObject("select count(*)" + FROM + w, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("select " + COLUMNS + FROM + w
                + " order by e.district_code, e.name, p.level, p.id limit :limit offset :offset", p, (rs, i) -> row(rs));
        addTargets(items);
        return new Page(items, total == null ? 0 : total, safePage, safeSize);
    }

    /** One plan in the caller's scope (404 / 403). */
    public Map<String, Object> get(long id) {
        List<Map<String, Object>> found = jdbc.query("select " + COLUMNS + FROM + " where p.id = :id", Map.of("id", id),
                (rs, i) -> row(rs));
        if (found.isEmpty()) {
            throw ApiException.notFound("应急预案", id);
        }
        Map<String, Object> plan = found.get(0);
        AccessScope.current().require((String) plan.get("districtCode"), ((Number) plan.get("enterpriseId")).longValue());
        addTargets(found);
        return plan;
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("year", rs.getInt("year"));
        m.put("level", rs.getString("level"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("enterpriseName", rs.getString("enterprise_name"));
        m.put("creditCode", rs.getString("credit_code"));
        m.put("districtCode", rs.getString("district_code"));
        m.put("districtName", rs.getString("district_name"));
        m.put("industryCode", rs.getString("industry_code"));
        m.put("industryName", rs.getString("industry_name"));
        m.put("participates", rs.getBoolean("participates"));
        m.put("grade", rs.getString("grade"));
        m.put("reductionCode", rs.getString("reduction_code"));
        m.put("measure", rs.getString("measure"));
        m.put("scope", rs.getString("scope"));
        m.put("limitPercent", rs.getBigDecimal("limit_percent"));
        m.put("rotatable", rs.getBoolean("rotatable"));
        m.put("rotationGroup", rs.getString("rotation_group"));
        m.put("baselineKw", rs.getObject("baseline_kw"));
        m.put("measureText", rs.getString("measure_text"));
        m.put("economicLoss", rs.getBigDecimal("economic_loss"));
        m.put("note", rs.getString("note"));
        m.put("facilities", rs.getLong("facilities"));
        m.put("lines", rs.getLong("lines"));
        m.put("ratedKw", rs.getObject("rated_kw"));
        m.put("attachment", rs.getString("attachment_name") == null ? null
                : Map.of("fileName", rs.getString("attachment_name"), "size", rs.getInt("attachment_size")));
        m.put("updatedBy", rs.getString("updated_by_name"));
        m.put("updatedAt", rs.getObject("updated_at", java.time.OffsetDateTime.class));
        return m;
    }

    /** Adds {@code targets} [{id, name}] (the lines or facilities of LINE / FACILITY plans) in one query. */
    private void addTargets(List<Map<String, Object>> plans) {
        Map<Long, List<Map<String, Object>>> byPlan = new HashMap<>();
        List<Long> ids = plans.stream().filter(p -> !"ENTERPRISE".equals(p.get("scope"))).map(p -> (Long) p.get("id")).toList();
        if (!ids.isEmpty()) {
            jdbc.query("""
                    select t.plan_id, coalesce(t.line_id, t.facility_id) as id, coalesce(l.name, f.name) as name
                    from emergency_plan_target t left join production_line l on l.id = t.line_id
                    left join facility f on f.id = t.facility_id where t.plan_id in (:ids) order by 3""", Map.of("ids", ids), rs -> {
                byPlan.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(Map.of("id", rs.getLong(2), "name", rs.getString(3)));
            });
        }
        plans.forEach(p -> p.put("targets", byPlan.getOrDefault((Long) p.get("id"), List.of())));
    }

    // ------------------------------------------------------------------------------------------------ facts

    /** The facts {@link PlanRules} needs of these enterprises (absent ones are missing from the map). */
    Map<Long, PlanRules.EnterpriseFacts> facts(Collection<Long> enterpriseIds) {
        Map<Long, PlanRules.EnterpriseFacts> out = new HashMap<>();
        if (enterpriseIds.isEmpty()) {
            return out;
        }
        Map<Long, java.util.Set<Long>> lines = new HashMap<>();
        Map<Long, java.util.Set<Long>> facilities = new HashMap<>();
        for (List<Long> chunk : chunks(enterpriseIds)) {
            jdbc.query("select enterprise_id, id from production_line where enterprise_id in (:ids)", Map.of("ids", chunk),
                    rs -> { lines.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2)); });
            jdbc.query("select enterprise_id, id from facility where kind = 'PRODUCTION' and enterprise_id in (:ids)",
                    Map.of("ids", chunk), rs -> { facilities.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2)); });
            jdbc.query("select id, name, district_code, emergency_grade from enterprise where id in (:ids)", Map.of("ids", chunk),
                    rs -> {
                        long id = rs.getLong(1);
                        out.put(id, new PlanRules.EnterpriseFacts(id, rs.getString(2), rs.getString(3), rs.getString(4),
                                lines.getOrDefault(id, java.util.Set.of()), facilities.getOrDefault(id, java.util.Set.of())));
                    });
        }
        return out;
    }

    static <T> List<List<T>> chunks(Collection<T> all) {
        List<T> list = new ArrayList<>(all);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += 5000) {
            out.add(list.subList(i, Math.min(list.size(), i + 5000)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ writing

    @Transactional
    public Map<String, Object> create(PlanInput in) {
        PlanInput valid = validated(in);
        Long existing = existingId(valid.year(), valid.level(), valid.enterpriseId());
        if (existing != null) {
            throw ApiException.conflict(valid.year() + "年该企业的" + valid.level().label() + "预警预案已存在（编号 " + existing + "），请修改它");
        }
        long id = write(valid, null, AccessScope.currentUser().username());
        audit.record("EMERGENCY_PLAN_CREATED", "emergency-plan:" + id, detail(valid));
        plansWritten(List.of(valid.enterpriseId()));
        return get(id);
    }

    @Transactional
    public Map<String, Object> update(long id, PlanInput in) {
        Map<String, Object> before = get(id);
        PlanInput valid = validated(in);
        Long existing = existingId(valid.year(), valid.level(), valid.enterpriseId());
        if (existing != null && existing != id) {
            throw ApiException.conflict(valid.year() + "年该企业的" + valid.level().label() + "预警预案已存在（编号 " + existing + "）");
        }
        write(valid, id, AccessScope.currentUser().username());
        Map<String, Object> detail = detail(valid);
        detail.put("before", Map.of("measure", String.valueOf(before.get("measure")), "limitPercent", String.valueOf(before.get("limitPercent")),
                "scope", String.valueOf(before.get("scope")), "participates", before.get("participates")));
        audit.record("EMERGENCY_PLAN_UPDATED", "emergency-plan:" + id, detail);
        plansWritten(List.of(valid.enterpriseId()));
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        Map<String, Object> before = get(id);
        jdbc.update("delete from emergency_plan where id = :id", Map.of("id", id));
        audit.record("EMERGENCY_PLAN_DELETED", "emergency-plan:" + id, Map.of("year", before.get("year"), "level", before.get("level"),
                "enterpriseId", before.get("enterpriseId")));
    }

    /** {@code in} checked against the rules (400 on the first broken one), its enterprise in scope, grade filled in. */
    private PlanInput validated(PlanInput in) {
        if (in == null) {
            throw ApiException.badRequest("enterpriseId", "请填写预案内容");
        }
        PlanRules.EnterpriseFacts e = null;
        if (in.enterpriseId() != null) {
            access.enterprise(in.enterpriseId());
            e = facts(List.of(in.enterpriseId())).get(in.enterpriseId());
        }
        List<PlanRules.Problem> problems = PlanRules.check(in, e);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.get(0).field(), problems.get(0).message());
        }
        return withDefaults(in, e);
    }

    /** Grade from the registry when none is given; scope ENTERPRISE; participates true. */
    static PlanInput withDefaults(PlanInput in, PlanRules.EnterpriseFacts e) {
        boolean participates = in.participates() == null || in.participates();
        return new PlanInput(in.year(), in.level(), in.enterpriseId(), participates,
                in.grade() != null ? in.grade() : e == null ? null : e.grade(), blank(in.reductionCode()), in.measure(),
                in.scope() == null || !participates ? Scope.ENTERPRISE : in.scope(), in.targetIds(), in.limitPercent(),
                in.rotatable() != null && in.rotatable(), in.baselineKw(), blank(in.measureText()), in.economicLoss(), blank(in.note()),
                blank(in.rotationGroup()));
    }

    Long existingId(int year, EmergencyLevel level, long enterpriseId) {
        List<Long> ids = jdbc.queryForList("select id from emergency_plan where year = :y and level = :l and enterprise_id = :e",
                Map.of("y", year, "l", level.name(), "e", enterpriseId), Long.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Inserts ({@code id} null) or updates a valid plan and replaces its targets; returns its id. */
    long write(PlanInput v, Long id, String user) {
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("year", v.year()).addValue("level", v.level().name())
                .addValue("e", v.enterpriseId()).addValue("participates", v.participates()).addValue("grade", v.grade())
                .addValue("code", v.reductionCode()).addValue("measure", v.measure() == null ? null : v.measure().name())
                .addValue("scope", v.scope().name()).addValue("pct", v.limitPercent()).addValue("rotatable", v.rotatable())
                .addValue("baseline", v.baselineKw()).addValue("text", v.measureText()).addValue("loss", v.economicLoss())
                .addValue("note", v.note()).addValue("user", user).addValue("id", id).addValue("group", v.rotationGroup());
        long planId;
        if (id == null) {
            planId = jdbc.queryForObject("""
                    insert into emergency_plan (year, level, enterprise_id, participates, grade, reduction_code, measure, scope,
                        limit_percent, rotatable, baseline_kw, measure_text, economic_loss, note, updated_by_name, rotation_group)
                    values (:year, :level, :e, :participates, :grade, :code, :measure, :scope, :pct, :rotatable, :baseline, :text,
                        :loss, :note, :user, :group) returning id""", p, Long.class);
        } else {
            jdbc.update("""
                    update emergency_plan set year = :year, level = :level, enterprise_id = :e, participates = :participates,
                        grade = :grade, reduction_code = :code, measure = :measure, scope = :scope, limit_percent = :pct,
                        rotatable = :rotatable, baseline_kw = :baseline, measure_text = :text, economic_loss = :loss, note = :note,
                        updated_by_name = :user, rotation_group = :group, updated_at = now() where id = :id""", p);
            jdbc.update("delete from emergency_plan_target where plan_id = :id", Map.of("id", id));
            planId = id;
        }
        if (v.scope() != Scope.ENTERPRISE && v.measure() != null && v.measure().ordered()) {
            String column = v.scope() == Scope.LINE ? "line_id" : "facility_id";
            jdbc.batchUpdate("insert into emergency_plan_target (plan_id, " + column + ") values (:plan, :target)",
                    v.targetIds().stream().map(t -> new MapSqlParameterSource("plan", planId).addValue("target", t))
                            .toArray(MapSqlParameterSource[]::new));
        }
        return planId;
    }

    static Map<String, Object> detail(PlanInput v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("year", v.year());
        d.put("level", v.level().name());
        d.put("enterpriseId", v.enterpriseId());
        d.put("participates", v.participates());
        d.put("measure", v.measure() == null ? null : v.measure().name());
        d.put("scope", v.scope() == null ? null : v.scope().name());
        d.put("targetIds", v.targetIds());
        d.put("limitPercent", v.limitPercent());
        d.put("grade", v.grade());
        d.put("rotatable", v.rotatable());
        d.put("rotationGroup", v.rotationGroup());
        d.put("baselineKw", v.baselineKw());
        return d;
    }

    // ------------------------------------------------------------------------------------------------ copy

    /** Result of copying a year's plans into another year. */
    public record CopyResult(int copied, int skipped) {
    }

    /**
     * 从上一年复制: every plan of {@code fromYear} in the caller's scope whose enterprise has no plan for the same level in
     * {@code toYear} yet, with its targets. The grade is the enterprise's current 绩效分级 in the registry (grades are
     * assessed every year), else the old plan's. Attachments are not copied (a new year has its own document).
     */
    @Transactional
    public CopyResult copy(Integer fromYear, Integer toYear) {
        if (fromYear == null || fromYear < 2000 || fromYear > 2100) {
            throw ApiException.badRequest("fromYear", "请填写要复制的年度（2000–2100）");
        }
        if (toYear == null || toYear < 2000 || toYear > 2100) {
            throw ApiException.badRequest("toYear", "请填写复制到的年度（2000–2100）");
        }
        if (fromYear.equals(toYear)) {
            throw ApiException.badRequest("toYear", "复制到的年度须与原年度不同");
        }
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("from", fromYear).addValue("to", toYear)
                .addValue("user", AccessScope.currentUser().username());
        String visible = " from emergency_plan p join enterprise e on e.id = p.enterprise_id where p.year = :from and "
                + scope.enterpriseFilter("e");
        int all = jdbc.queryForObject("select count(*)" + visible, p, Integer.class);
        List<long[]> pairs = jdbc.query("""
                insert into emergency_plan (year, level, enterprise_id, participates, grade, reduction_code, measure, scope,
                    limit_percent, rotatable, baseline_kw, measure_text, economic_loss, note, updated_by_name, rotation_group)
                select :to, p.level, p.enterprise_id, p.participates,
                       case when p.measure = 'SELF' then p.grade else coalesce(e.emergency_grade, p.grade) end,
                       p.reduction_code, p.measure, p.scope, p.limit_percent, p.rotatable, p.baseline_kw, p.measure_text,
                       p.economic_loss, p.note, :user, p.rotation_group""" + visible + """
                 and not exists (select 1 from emergency_plan n where n.year = :to and n.level = p.level and n.enterprise_id = p.enterprise_id)
                on conflict do nothing
                returning id, (select o.id from emergency_plan o where o.year = :from and o.level = emergency_plan.level
                               and o.enterprise_id = emergency_plan.enterprise_id)""", p,
                (rs, i) -> new long[]{rs.getLong(1), rs.getLong(2)});
        if (!pairs.isEmpty()) {
            jdbc.batchUpdate("""
                    insert into emergency_plan_target (plan_id, line_id, facility_id)
                    select :to, line_id, facility_id from emergency_plan_target where plan_id = :from""",
                    pairs.stream().map(x -> new MapSqlParameterSource("to", x[0]).addValue("from", x[1]))
                            .toArray(MapSqlParameterSource[]::new));
        }
        audit.record("EMERGENCY_PLANS_COPIED", "emergency-plans:" + toYear, Map.of("fromYear", fromYear, "toYear", toYear,
                "copied", pairs.size(), "skipped", all - pairs.size()));
        if (!pairs.isEmpty()) {
            baselines.allPlansChanged();
        }
        return new CopyResult(pairs.size(), all - pairs.size());
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
