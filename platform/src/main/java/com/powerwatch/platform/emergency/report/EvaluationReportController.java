package com.powerwatch.platform.emergency.report;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyRoles;
import com.powerwatch.platform.emergency.Files;
import com.powerwatch.platform.emergency.warning.Warnings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** 应急评估报告 of a warning: the list, a new one on demand, downloads as PDF and Excel. */
@RestController
@RequestMapping("/api/emergency/warnings/{id:\\d+}/reports")
@PreAuthorize(EmergencyRoles.OFFICERS)
@Tag(name = "Emergency: reports", description = "应急评估报告：预警结束时自动生成，预警期间可随时生成；PDF 与 Excel")
public class EvaluationReportController {

    private final Reports reports;
    private final Warnings warnings;
    private final com.powerwatch.platform.audit.AuditLog audit;

    public EvaluationReportController(Reports reports, Warnings warnings, com.powerwatch.platform.audit.AuditLog audit) {
        this.reports = reports;
        this.warnings = warnings;
        this.audit = audit;
    }

    @GetMapping
    public List<Map<String, Object>> list(@PathVariable long id) {
        cityWide(id);
        return reports.list(id);
    }

    /** The report names every enterprise of the warning: only for callers who see the whole city (403 otherwise). */
    private void cityWide(long id) {
        warnings.get(id);
        if (!AccessScope.current().everything()) {
            throw new org.springframework.security.access.AccessDeniedException("评估报告含全市企业，仅市局人员可查看；区县人员请使用应急看板");
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('CITY_ADMIN')")
    @Operation(summary = "Write a report now (INTERIM while the warning runs, FINAL after it ended); the answer lists it")
    public Map<String, Object> generate(@PathVariable long id) {
        cityWide(id);
        Map<String, Object> w = warnings.get(id);
        long reportId = reports.generate(id, "ACTIVE".equals(w.get("status")) ? "INTERIM" : "FINAL", AccessScope.currentUser().username());
        audit.record("EMERGENCY_REPORT_GENERATED", "emergency-report:" + reportId, Map.of("warningId", id));
        return reports.list(id).stream().filter(r -> ((Number) r.get("id")).longValue() == reportId).findFirst().orElseThrow();
    }

    @GetMapping("/{reportId:\\d+}/pdf")
    public ResponseEntity<byte[]> pdf(@PathVariable long id, @PathVariable long reportId) {
        cityWide(id);
        return Files.file(reports.file(id, reportId, "pdf"), "应急评估报告-预警" + id + "-" + reportId + ".pdf", MediaType.APPLICATION_PDF);
    }

    @GetMapping("/{reportId:\\d+}/xlsx")
    public ResponseEntity<byte[]> xlsx(@PathVariable long id, @PathVariable long reportId) {
        cityWide(id);
        return Files.file(reports.file(id, reportId, "xlsx"), "应急评估报告-预警" + id + "-" + reportId + ".xlsx", Files.XLSX);
    }
}
