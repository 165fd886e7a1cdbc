package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Measure;
import com.powerwatch.platform.emergency.Sheets;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plans as an Excel workbook: template, export (imports back unchanged) and import. An import checks every row
 * with the same rules as the form ({@link PlanRules}); with any bad row nothing is imported and each bad cell is named;
 * otherwise every row is created or updated (by year × level × enterprise) in one transaction.
 */
@Service
public class PlanExcel {

    static final String SHEET = "应急预案";
    static final String YEAR = "年度", LEVEL = "预警级别", CREDIT = "企业信用代码", NAME = "企业名称", DISTRICT = "所属区县",
            PARTICIPATES = "是否参与", GRADE = "绩效分级", CODE = "减排清单编码", MEASURE = "减排措施", SCOPE = "限停方式",
            TARGETS = "限停对象", PERCENT = "限产比例(%)", ROTATABLE = "参与轮循", GROUP = "轮循分组", BASELINE = "核定基准负荷(kW)",
            TEXT = "减排措施说明", LOSS = "经济损失预估(万元)", NOTE = "备注";
    static final List<String> HEADERS = List.of(YEAR, LEVEL, CREDIT, NAME, DISTRICT, PARTICIPATES, GRADE, CODE, MEASURE, SCOPE,
            TARGETS, PERCENT, ROTATABLE, GROUP, BASELINE, TEXT, LOSS, NOTE);
    static final Set<String> REQUIRED = Set.of(YEAR, LEVEL);
    static final List<Integer> WIDTHS = List.of(8, 10, 22, 28, 10, 9, 9, 16, 10, 10, 28, 12, 9, 9, 15, 40, 16, 20);
    /** Which column a rule's field is read from, to name the cell in the report. */
    static final Map<String, String> COLUMN_OF = Map.ofEntries(Map.entry("year", YEAR), Map.entry("level", LEVEL),
            Map.entry("enterpriseId", NAME), Map.entry("participates", PARTICIPATES), Map.entry("grade", GRADE),
            Map.entry("reductionCode", CODE), Map.entry("measure", MEASURE), Map.entry("scope", SCOPE),
            Map.entry("targetIds", TARGETS), Map.entry("limitPercent", PERCENT), Map.entry("rotatable", ROTATABLE),
            Map.entry("rotationGroup", GROUP),
            Map.entry("baselineKw", BASELINE), Map.entry("measureText", TEXT), Map.entry("economicLoss", LOSS),
            Map.entry("note", NOTE));
    static final String SEPARATORS = "[；;，,、\\n]+";

    /** One bad cell of the workbook. */
    public record RowError(int row, String column, String value, String message) {
    }

    /** What an import did (or would do, with dryRun). */
    public record ImportReport(boolean dryRun, boolean imported, int rows, int created, int updated, List<RowError> errors) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Plans plans;
    private final AuditLog audit;
    private final EmergencyProperties settings;

    PlanExcel(NamedParameterJdbcTemplate jdbc, Plans plans, AuditLog audit, EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.audit = audit;
        this.settings = settings;
    }

    // ------------------------------------------------------------------------------------------ template, export

    public byte[] template(int year) {
        List<List<Object>> example = List.of(
                row(year, "橙色", "91610113MA6TXXXX0X", "示例涂装有限公司", "雁塔区", "是", "C", "610113-C-001", "停产", "生产线",
                        "1#喷涂线；2#喷涂线", null, "是", "甲", 120, "1#、2#喷涂线停产，烘干炉保温", 35.5, ""),
                row(year, "橙色", "", "示例家具有限公司", "", "是", "B", "", "限产", "整厂", "", 30, "否", "", "", "整厂降低负荷30%", "", ""),
                row(year, "橙色", "", "示例玻璃有限公司", "", "是", "A", "", "自主减排", "", "", "", "否", "", "", "自主减排", "", ""),
                row(year, "黄色", "", "示例家具有限公司", "", "否", "B", "", "", "", "", "", "", "", "", "", "", ""));
        List<List<Object>> help = new ArrayList<>();
        help.add(row("每行是一家企业在一个年度、一个预警级别下的应急预案；年度+预警级别+企业 相同的行视为同一预案（已有则更新）。"));
        help.add(row("企业：填统一社会信用代码（优先）或系统中的企业名称；“所属区县”仅供阅读，导入时不读取。"));
        help.add(row("预警级别：黄色 / 橙色 / 红色。是否参与：是 / 否（默认 是）。不参与的企业不填措施、方式、对象和比例。"));
        help.add(row("绩效分级：A / B / C / D / 引领性；不填则取企业档案中的绩效分级。自主减排仅适用于 A 级和引领性企业。"));
        help.add(row("减排措施：停产 / 限产 / 自主减排。限产须填限产比例（要求削减的百分比 1–99）；停产不填比例；自主减排比例可填可不填。"));
        help.add(row("限停方式：整厂（默认）/ 生产线 / 设施。按生产线或设施限停时，在“限停对象”中列出该企业的生产线名称或生产设施名称，用；分隔。"));
        help.add(row("参与轮循：是 / 否。轮循分组：按固定分组轮流限停时填写（如 甲、乙、丙），每次启动轮到下一组。"));
        help.add(row("核定基准负荷(kW)：可不填，不填则预警启动时按企业前30天的历史用电计算基线（docs/emergency.md）。"));
        help.add(row("导入先逐行校验，任何一行有误则全部不导入，并列出每一行每一列的错误；无误时在一个事务中新增或更新全部预案。"));
        return Sheets.write(List.of(new Sheets.SheetData(SHEET, headers(), WIDTHS, example),
                new Sheets.SheetData("说明", List.of("说明"), List.of(120), help)));
    }

    /** The caller's plans of a year (and level), in the template's layout. */
    public byte[] export(int year, EmergencyLevel level) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("year", year)
                .addValue("level", level == null ? null : level.name());
        List<List<Object>> rows = jdbc.query("""
                select p.year, p.level, e.credit_code, e.name, r.name as district, p.participates, p.grade, p.reduction_code,
                       p.measure, p.scope, p.limit_percent, p.rotatable, p.baseline_kw, p.measure_text, p.economic_loss, p.note, p.rotation_group,
                       (select string_agg(coalesce(l.name, f.name), '；' order by coalesce(l.name, f.name))
                        from emergency_plan_target t left join production_line l on l.id = t.line_id
                        left join facility f on f.id = t.facility_id where t.plan_id = p.id) as targets
                from emergency_plan p join enterprise e on e.id = p.enterprise_id left join region r on r.code = e.district_code
                where p.year = :year and (cast(:level as text) is null or p.level = :level) and\s""" + scope.enterpriseFilter("e")
                + " order by e.district_code, e.name, p.level", p, (rs, i) -> {
                    Measure m = Measure.parse(rs.getString("measure"));
                    boolean participates = rs.getBoolean("participates");
                    return row(rs.getInt("year"), EmergencyLevel.valueOf(rs.getString("level")).label(), rs.getString("credit_code"),
                            rs.getString("name"), rs.getString("district"), participates ? "是" : "否",
                            PlanRules.gradeLabel(rs.getString("grade")), rs.getString("reduction_code"), m == null ? null : m.label(),
                            participates && m != Measure.SELF ? Scope.valueOf(rs.getString("scope")).label() : null,
                            rs.getString("targets"), rs.getBigDecimal("limit_percent"), rs.getBoolean("rotatable") ? "是" : "否", rs.getString("rotation_group"),
                            rs.getObject("baseline_kw"), rs.getString("measure_text"), rs.getBigDecimal("economic_loss"),
                            rs.getString("note"));
                });
        return Sheets.write(List.of(new Sheets.SheetData(SHEET, headers(), WIDTHS, rows)));
    }

    private static List<String> headers() {
        return HEADERS.stream().map(h -> REQUIRED.contains(h) ? h + "*" : h).toList();
    }

    private static List<Object> row(Object... values) {
        List<Object> out = new ArrayList<>();
        java.util.Collections.addAll(out, values);
        return out;
    }

    // ------------------------------------------------------------------------------------------ import

    /** One row on its way in: what it says, and the plan it becomes once every cell is understood. */
    private static final class Parsed {
        final Sheets.SheetRow source;
        Long enterpriseId;
        PlanInput plan;

        Parsed(Sheets.SheetRow source) {
            this.source = source;
        }
    }

    @Transactional
    public ImportReport importWorkbook(InputStream in, boolean dryRun) {
        List<Sheets.SheetRow> rows = Sheets.read(in, SHEET, settings.importMaxRows());
        List<RowError> errors = new ArrayList<>();
        if (rows.isEmpty()) {
            throw ApiException.badRequest("file", "工作表“" + SHEET + "”中没有数据行");
        }
        Map<String, Long> byCredit = new HashMap<>();
        Map<String, List<Long>> byName = new HashMap<>();
        Map<Long, String> districtOf = new HashMap<>();
        findEnterprises(rows, byCredit, byName, districtOf);
        AccessScope scope = AccessScope.current();
        List<Parsed> parsed = new ArrayList<>();
        for (Sheets.SheetRow r : rows) {
            Parsed p = new Parsed(r);
            parsed.add(p);
            String credit = r.get(CREDIT);
            String name = r.get(NAME);
            if (credit != null) {
                p.enterpriseId = byCredit.get(credit.toUpperCase(Locale.ROOT));
                if (p.enterpriseId == null) {
                    errors.add(new RowError(r.row(), CREDIT, credit, "系统中没有该信用代码的企业"));
                }
            } else if (name != null) {
                List<Long> ids = byName.getOrDefault(name, List.of());
                if (ids.isEmpty()) {
                    errors.add(new RowError(r.row(), NAME, name, "系统中没有该名称的企业，请先在企业档案中登记"));
                } else if (ids.size() > 1) {
                    errors.add(new RowError(r.row(), NAME, name, "有 " + ids.size() + " 家企业同名，请填写统一社会信用代码"));
                } else {
                    p.enterpriseId = ids.get(0);
                }
            } else {
                errors.add(new RowError(r.row(), NAME, null, "企业信用代码与企业名称至少填写一项"));
            }
            if (p.enterpriseId != null && !scope.allows(districtOf.get(p.enterpriseId), p.enterpriseId)) {
                errors.add(new RowError(r.row(), NAME, name != null ? name : credit, "该企业不在您的管辖范围内"));
                p.enterpriseId = null;
            }
        }
        Set<Long> enterpriseIds = new HashSet<>();
        parsed.forEach(p -> { if (p.enterpriseId != null) enterpriseIds.add(p.enterpriseId); });
        Map<Long, PlanRules.EnterpriseFacts> facts = plans.facts(enterpriseIds);
        Map<Long, Map<String, Long>> lineNames = names("select enterprise_id, name, id from production_line where enterprise_id in (:ids)",
                enterpriseIds);
        Map<Long, Map<String, Long>> facilityNames = names("""
                select enterprise_id, name, id from facility where kind = 'PRODUCTION' and enterprise_id in (:ids)""", enterpriseIds);
        Map<String, Integer> firstRowOf = new HashMap<>();
        for (Parsed p : parsed) {
            parse(p, lineNames, facilityNames, errors);
            if (p.plan == null) {
                continue;
            }
            PlanRules.EnterpriseFacts e = p.enterpriseId == null ? null : facts.get(p.enterpriseId);
            for (PlanRules.Problem problem : PlanRules.check(p.plan, e)) {
                if (problem.field().equals("enterpriseId") && p.enterpriseId == null) {
                    continue; // already reported by name
                }
                String column = COLUMN_OF.getOrDefault(problem.field(), NAME);
                errors.add(new RowError(p.source.row(), column, p.source.get(column), problem.message()));
            }
            if (p.enterpriseId != null && p.plan.year() != null && p.plan.level() != null) {
                String key = p.plan.year() + "|" + p.plan.level() + "|" + p.enterpriseId;
                Integer first = firstRowOf.putIfAbsent(key, p.source.row());
                if (first != null) {
                    errors.add(new RowError(p.source.row(), NAME, p.source.get(NAME) != null ? p.source.get(NAME) : p.source.get(CREDIT),
                            "与第 " + first + " 行重复：同一企业同一年度同一预警级别只能有一条预案"));
                }
            }
        }
        errors.sort(java.util.Comparator.comparingInt(RowError::row));
        if (!errors.isEmpty()) {
            return new ImportReport(dryRun, false, rows.size(), 0, 0, errors);
        }
        Map<String, Long> existing = existing(parsed);
        int created = 0;
        int updated = 0;
        String user = AccessScope.currentUser().username();
        for (Parsed p : parsed) {
            PlanInput valid = Plans.withDefaults(p.plan, facts.get(p.enterpriseId));
            Long id = existing.get(valid.year() + "|" + valid.level().name() + "|" + valid.enterpriseId());
            if (id == null) {
                created++;
            } else {
                updated++;
            }
            if (!dryRun) {
                plans.write(valid, id, user);
            }
        }
        if (!dryRun) {
            audit.record("EMERGENCY_PLANS_IMPORTED", "emergency-plans", Map.of("rows", rows.size(), "created", created, "updated", updated));
            plans.plansWritten(parsed.stream().map(x -> x.enterpriseId).collect(java.util.stream.Collectors.toSet()));
        }
        return new ImportReport(dryRun, !dryRun, rows.size(), created, updated, List.of());
    }

    /** Enterprises named by the rows: by credit code (upper case) and by name (several when names repeat). */
    private void findEnterprises(List<Sheets.SheetRow> rows, Map<String, Long> byCredit, Map<String, List<Long>> byName,
                                 Map<Long, String> districtOf) {
        Set<String> credits = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Sheets.SheetRow r : rows) {
            if (r.get(CREDIT) != null) {
                credits.add(r.get(CREDIT).toUpperCase(Locale.ROOT));
            } else if (r.get(NAME) != null) {
                names.add(r.get(NAME));
            }
        }
        for (List<String> chunk : Plans.chunks(credits)) {
            jdbc.query("select id, credit_code, district_code from enterprise where credit_code in (:c)", Map.of("c", chunk), rs -> {
                byCredit.put(rs.getString(2), rs.getLong(1));
                districtOf.put(rs.getLong(1), rs.getString(3));
            });
        }
        for (List<String> chunk : Plans.chunks(names)) {
            jdbc.query("select id, name, district_code from enterprise where name in (:n)", Map.of("n", chunk), rs -> {
                byName.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getLong(1));
                districtOf.put(rs.getLong(1), rs.getString(3));
            });
        }
    }

    private Map<Long, Map<String, Long>> names(String sql, Set<Long> enterpriseIds) {
        Map<Long, Map<String, Long>> out = new HashMap<>();
        for (List<Long> chunk : Plans.chunks(enterpriseIds)) {
            jdbc.query(sql, Map.of("ids", chunk), rs -> {
                out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
            });
        }
        return out;
    }

    /** Existing plans of the rows' keys, by "year|LEVEL|enterpriseId". */
    private Map<String, Long> existing(List<Parsed> parsed) {
        Map<String, Long> out = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        Set<Integer> years = new HashSet<>();
        parsed.forEach(p -> { ids.add(p.enterpriseId); years.add(p.plan.year()); });
        for (List<Long> chunk : Plans.chunks(ids)) {
            jdbc.query("select id, year, level, enterprise_id from emergency_plan where year in (:y) and enterprise_id in (:e)",
                    Map.of("y", years, "e", chunk),
                    rs -> { out.put(rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getLong(4), rs.getLong(1)); });
        }
        return out;
    }

    /** The row's cells as a plan; every cell that cannot be read is an error (and the plan stays null). */
    private static void parse(Parsed p, Map<Long, Map<String, Long>> lineNames, Map<Long, Map<String, Long>> facilityNames,
                              List<RowError> errors) {
        Sheets.SheetRow r = p.source;
        int before = errors.size();
        Integer year = null;
        String yearText = r.get(YEAR);
        if (yearText == null) {
            errors.add(new RowError(r.row(), YEAR, null, "请填写年度"));
        } else if (!yearText.matches("\\d{4}")) {
            errors.add(new RowError(r.row(), YEAR, yearText, "年度须为四位数字，如 2026"));
        } else {
            year = Integer.parseInt(yearText);
        }
        EmergencyLevel level = EmergencyLevel.parse(r.get(LEVEL));
        if (level == null) {
            errors.add(new RowError(r.row(), LEVEL, r.get(LEVEL), "预警级别须为 黄色、橙色 或 红色"));
        }
        Boolean participates = yesNo(r, PARTICIPATES, errors);
        Boolean rotatable = yesNo(r, ROTATABLE, errors);
        String grade = null;
        if (r.get(GRADE) != null) {
            grade = PlanRules.grade(r.get(GRADE));
            if (grade == null) {
                errors.add(new RowError(r.row(), GRADE, r.get(GRADE), "绩效分级须为 A、B、C、D 或 引领性"));
            }
        }
        Measure measure = null;
        if (r.get(MEASURE) != null) {
            measure = Measure.parse(r.get(MEASURE));
            if (measure == null) {
                errors.add(new RowError(r.row(), MEASURE, r.get(MEASURE), "减排措施须为 停产、限产 或 自主减排"));
            }
        }
        Scope scope = null;
        if (r.get(SCOPE) != null) {
            scope = Scope.parse(r.get(SCOPE));
            if (scope == null) {
                errors.add(new RowError(r.row(), SCOPE, r.get(SCOPE), "限停方式须为 整厂、生产线 或 设施"));
            }
        }
        BigDecimal percent = number(r, PERCENT, errors);
        BigDecimal baseline = number(r, BASELINE, errors);
        BigDecimal loss = number(r, LOSS, errors);
        List<Long> targets = new ArrayList<>();
        String targetText = r.get(TARGETS);
        if (targetText != null && p.enterpriseId != null && scope != null && scope != Scope.ENTERPRISE) {
            Map<String, Long> known = (scope == Scope.LINE ? lineNames : facilityNames).getOrDefault(p.enterpriseId, Map.of());
            List<String> unknown = new ArrayList<>();
            for (String name : targetText.split(SEPARATORS)) {
                String n = name.trim();
                if (n.isEmpty()) {
                    continue;
                }
                Long id = known.get(n);
                if (id == null) {
                    unknown.add(n);
                } else {
                    targets.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                errors.add(new RowError(r.row(), TARGETS, targetText, (scope == Scope.LINE ? "该企业没有这些生产线：" : "该企业没有这些生产设施：")
                        + String.join("、", unknown)));
            }
        } else if (targetText != null && (scope == null || scope == Scope.ENTERPRISE) && r.get(SCOPE) == null) {
            errors.add(new RowError(r.row(), SCOPE, null, "填写了限停对象时须选择限停方式：生产线 或 设施"));
        }
        if (errors.size() > before) {
            return;
        }
        p.plan = new PlanInput(year, level, p.enterpriseId, participates, grade, r.get(CODE), measure, scope,
                targets, percent, rotatable,
                baseline == null ? null : baseline.doubleValue(), r.get(TEXT), loss, r.get(NOTE), r.get(GROUP));
    }

    private static Boolean yesNo(Sheets.SheetRow r, String column, List<RowError> errors) {
        String v = r.get(column);
        if (v == null) {
            return null;
        }
        if (List.of("是", "Y", "y", "yes", "true", "1").contains(v)) {
            return true;
        }
        if (List.of("否", "N", "n", "no", "false", "0").contains(v)) {
            return false;
        }
        errors.add(new RowError(r.row(), column, v, column + "须填 是 或 否"));
        return null;
    }

    private static BigDecimal number(Sheets.SheetRow r, String column, List<RowError> errors) {
        String v = r.get(column);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v.replace("%", "").trim());
        } catch (NumberFormatException e) {
            errors.add(new RowError(r.row(), column, v, column + "须为数字"));
            return null;
        }
    }
}
