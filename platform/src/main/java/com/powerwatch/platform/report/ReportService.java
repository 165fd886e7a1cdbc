package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report framework: finds a named report, checks the period, runs it within the scope, puts the heading on it
 * (period, region, whose scope, when, by whom), cuts over-long tables (saying so) and renders the one document as
 * Excel or PDF.
 */
@Service
public class ReportService {

    private final Map<String, NamedReport> reports;
    private final NamedParameterJdbcTemplate jdbc;
    private final ReportProperties properties;
    private volatile ReportPdf pdf;

    ReportService(List<NamedReport> reports, NamedParameterJdbcTemplate jdbc, ReportProperties properties) {
        this.reports = reports.stream().collect(Collectors.toMap(NamedReport::code, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The named reports in the order the requirements list them. */
    public List<NamedReport> catalogue() {
        return reports.values().stream().sorted(java.util.Comparator.comparingInt(r -> ORDER.indexOf(r.code()))).toList();
    }

    static final List<String> ORDER = List.of("ALARM_SUMMARY", "ALARM_HANDLING", "TREATMENT_PRODUCTION_ALARMS",
            "DISTRICT_PLAN_COMPLIANCE", "DISTRICT_EMERGENCY_ALARMS", "TRANSMISSION", "ENERGY_USAGE", "TOP_ALARM_ENTERPRISES",
            "SYSTEM_EVENTS");

    public NamedReport report(String code) {
        NamedReport r = code == null ? null : reports.get(code);
        if (r == null) {
            throw ApiException.notFound("报表", code);
        }
        return r;
    }

    /** The period of a request: China days, both included; default the last 30 days up to today. */
    public ReportQuery query(String from, String to, String district, AccessScope scope, Map<String, String> options) {
        LocalDate t = blank(to) ? LocalDate.now(ReportQuery.CHINA) : day("to", "结束日期", to);
        LocalDate f = blank(from) ? t.minusDays(29) : day("from", "开始日期", from);
        if (f.isAfter(t)) {
            throw ApiException.badRequest("from", "开始日期 " + f + " 晚于结束日期 " + t);
        }
        long days = ChronoUnit.DAYS.between(f, t) + 1;
        if (days > properties.maxPeriodDays()) {
            throw ApiException.badRequest("to", "统计周期最长 " + properties.maxPeriodDays() + " 天（所选 " + days + " 天）");
        }
        if (!blank(district)) {
            AccessScope.regionPrefix("district", district);
        }
        return new ReportQuery(f, t, district, scope, options, java.time.Instant.now());
    }

    /** Runs a named report. */
    public ReportDocument run(String code, ReportQuery q, String generatedBy) {
        NamedReport r = report(code);
        return document(r.code(), r.title(), r.sections(q), q, generatedBy);
    }

    /** A document with the heading every report carries, tables cut at {@code maxRows}. */
    public ReportDocument document(String code, String title, List<ReportTable> sections, ReportQuery q, String generatedBy) {
        List<ReportTable> cut = new ArrayList<>();
        for (ReportTable t : sections) {
            if (t.rows().size() > properties.maxRows()) {
                List<String> notes = new ArrayList<>(t.notes());
                notes.add("本表共 " + t.rows().size() + " 行，仅列出前 " + properties.maxRows() + " 行（powerwatch.report.max-rows）；请缩小区域或周期。");
                t = new ReportTable(t.title(), t.figures(), t.columns(), t.rows().subList(0, properties.maxRows()), t.total(), notes);
            }
            cut.add(t);
        }
        return new ReportDocument(code, title, q.from(), q.to(), regionLabel(q.district()), scopeLabel(q.scope()), q.now(),
                generatedBy, cut);
    }

    public byte[] excel(ReportDocument doc) {
        return ReportExcel.render(doc);
    }

    public byte[] pdf(ReportDocument doc) {
        ReportPdf p = pdf;
        if (p == null) {
            synchronized (this) {
                if (pdf == null) {
                    pdf = new ReportPdf(properties.font());
                }
                p = pdf;
            }
        }
        return p.render(doc);
    }

    /** The region as officers name it; "全部" when none was chosen. */
    String regionLabel(String district) {
        if (blank(district)) {
            return "全部";
        }
        return jdbc.query("select name from region where code = :c", Map.of("c", district.trim()), (rs, i) -> rs.getString(1))
                .stream().findFirst().orElse(district.trim());
    }

    /** Whose data: 全市 for city-wide roles, the names of a district officer's regions, or the enterprise's name. */
    public String scopeLabel(AccessScope scope) {
        if (scope.everything()) {
            return "全部";
        }
        if (scope.enterpriseId() != null) {
            return jdbc.query("select name from enterprise where id = :id", Map.of("id", scope.enterpriseId()),
                    (rs, i) -> rs.getString(1)).stream().findFirst().orElse("企业 " + scope.enterpriseId());
        }
        List<String> codes = scope.districtPrefixes().stream().map(p -> (p + "000000").substring(0, 6)).toList();
        if (codes.isEmpty()) {
            return "无";
        }
        Map<String, String> names = new LinkedHashMap<>();
        jdbc.query("select code, name from region where code in (:c)", new MapSqlParameterSource("c", codes),
                rs -> { names.put(rs.getString(1), rs.getString(2)); });
        return codes.stream().map(c -> names.getOrDefault(c, c)).collect(Collectors.joining("、"));
    }

    private static LocalDate day(String field, String label, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, label + "应为 yyyy-MM-dd 格式的日期：" + text);
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
