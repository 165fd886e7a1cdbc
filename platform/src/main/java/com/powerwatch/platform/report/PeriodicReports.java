package com.powerwatch.platform.report;

import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 日报 / 周报 / 月报: one document made of the named reports over the period — an overview of key figures, the top 20
 * enterprises, handling per district, treatment and production alarms, emergency compliance, electricity per
 * district, loggers below the completeness target, and system incidents — for one scope.
 */
@Service
public class PeriodicReports {

    private final ReportService reports;
    private final TopAlarmEnterprisesReport top;
    private final AlarmHandlingReport handling;
    private final TreatmentProductionAlarmReport treatment;
    private final DistrictPlanComplianceReport compliance;
    private final EnergyUsageReport energy;
    private final TransmissionReport transmission;
    private final SystemEventsReport events;
    private final NamedParameterJdbcTemplate jdbc;

    PeriodicReports(ReportService reports, TopAlarmEnterprisesReport top, AlarmHandlingReport handling,
                    TreatmentProductionAlarmReport treatment, DistrictPlanComplianceReport compliance, EnergyUsageReport energy,
                    TransmissionReport transmission, SystemEventsReport events, NamedParameterJdbcTemplate jdbc) {
        this.reports = reports;
        this.top = top;
        this.handling = handling;
        this.treatment = treatment;
        this.compliance = compliance;
        this.energy = energy;
        this.transmission = transmission;
        this.events = events;
        this.jdbc = jdbc;
    }

    /** The document and the key figures the archive list and the message show. */
    public record Composed(ReportDocument document, Map<String, Object> summary) {
    }

    public Composed compose(PeriodicKind kind, LocalDate start, AccessScope scope, Instant now, String generatedBy) {
        ReportQuery q = new ReportQuery(start, kind.periodEnd(start), null, scope, Map.of(), now);
        List<ReportTable> sections = new ArrayList<>();
        ReportTable handlingTable = handling.sections(q.withOption("by", "district")).get(0);
        List<TransmissionReport.PointStats> points = transmission.points(q);
        ReportTable loggers = transmission.loggers(points, true);
        ReportTable energyTable = energy.sections(q.withOption("by", "district")).get(0);
        ReportTable complianceTable = compliance.sections(q).get(0);
        Map<String, Object> summary = summary(q, handlingTable, points, energyTable, complianceTable);
        ReportTable.Builder overview = ReportTable.of("概况").columns(List.of(ReportColumn.text("item", "指标", 24),
                ReportColumn.text("value", "数值", 20)));
        summary.forEach((k, v) -> overview.row(row(k, v)));
        sections.add(overview.build());
        sections.add(top.sections(q.withOption("limit", "20")).get(0));
        sections.add(handlingTable);
        sections.add(treatment.sections(q).get(0));
        sections.add(complianceTable);
        sections.add(energyTable);
        sections.add(loggers);
        sections.addAll(events.sections(q));
        String title = kind.label() + "（" + kind.periodName(start) + "）";
        return new Composed(reports.document(kind.name(), title, sections, q, generatedBy), summary);
    }

    private Map<String, Object> summary(ReportQuery q, ReportTable handlingTable, List<TransmissionReport.PointStats> points,
                                        ReportTable energyTable, ReportTable complianceTable) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = q.enterpriseWhere(p);
        Long enterprises = jdbc.queryForObject("select count(*) from enterprise e where e.status = 'ACTIVE' and " + where, p, Long.class);
        Map<String, Object> levels = jdbc.queryForMap("select " + AlarmSql.COUNTS + AlarmSql.FROM + AlarmSql.where(q, p), p);
        long expected = points.stream().mapToLong(s -> s.expected).sum();
        long received = points.stream().mapToLong(s -> s.received).sum();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("监管企业", enterprises);
        s.put("监测点", points.size());
        s.put("报警总数", levels.get("total"));
        s.put("一级报警", levels.get("level_1"));
        s.put("报警企业", jdbc.queryForObject("select count(distinct a.enterprise_id)" + AlarmSql.FROM + AlarmSql.where(q, p), p, Long.class));
        Object rate = handlingTable.total() == null ? null : handlingTable.total().get("disposedRate");
        s.put("报警处置率", rate == null ? "—" : rate + "%");
        Double completeness = Figures.percent(received, expected);
        s.put("数据完整率", completeness == null ? "—" : completeness + "%");
        Object kwh = energyTable.total() == null ? null : energyTable.total().get("total");
        s.put("总用电量(kWh)", kwh == null ? "—" : ReportFormat.text(kwh, ReportColumn.decimal("total", "")));
        Object compliant = complianceTable.figures().get("达标率");
        s.put("应急达标率", compliant == null ? "—" : compliant);
        return s;
    }

    private static Map<String, Object> row(String item, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("item", item);
        m.put("value", value == null ? "—" : value.toString());
        return m;
    }
}
