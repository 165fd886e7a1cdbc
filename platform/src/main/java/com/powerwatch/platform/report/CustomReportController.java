package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * 自定义报表: the builder's choices, a preview of a report as built, and the caller's templates — saved, run over a
 * period (screen, Excel, PDF) and scheduled. Specs are names from a whitelist; no SQL is accepted.
 */
@RestController
@RequestMapping("/api/reports")
@Tag(name = "Custom reports", description = "自定义报表：数据集（报警、用电、传输）、分组、指标、筛选；模板保存、运行、定时")
class CustomReportController {

    private final CustomReports custom;
    private final ReportTemplates templates;
    private final ReportService reports;

    CustomReportController(CustomReports custom, ReportTemplates templates, ReportService reports) {
        this.custom = custom;
        this.templates = templates;
        this.reports = reports;
    }

    @GetMapping("/custom/schema")
    @Operation(summary = "What a custom report may be built from: datasets with their measures and filters, and the groupings")
    Map<String, Object> schema() {
        return custom.schema();
    }

    record PreviewRequest(CustomReportSpec spec, String from, String to, String name) {
    }

    @PostMapping("/custom/preview")
    @Operation(summary = "Run a custom report as built (not saved) over from–to: the same document as a named report")
    ReportDocument preview(@RequestBody PreviewRequest body) {
        if (body.spec() == null) {
            throw ApiException.badRequest("spec", "请选择数据集、分组和指标");
        }
        ReportQuery q = reports.query(body.from(), body.to(), null, AccessScope.current(), Map.of());
        String name = body.name() == null || body.name().isBlank() ? "自定义报表" : body.name().trim();
        return custom.run(name, body.spec(), q, AccessScope.currentUser().username());
    }

    @GetMapping("/templates")
    @Operation(summary = "The caller's report templates")
    List<ReportTemplates.Template> list() {
        return templates.of(me().id());
    }

    record TemplateRequest(String name, CustomReportSpec spec, String schedule) {
    }

    @PostMapping("/templates")
    @Operation(summary = "Save a template: name, spec, schedule NONE|DAILY|WEEKLY|MONTHLY (scheduled ones are archived and sent to the owner)")
    ReportTemplates.Template create(@RequestBody TemplateRequest body) {
        return save(null, body);
    }

    @PutMapping("/templates/{id}")
    @Operation(summary = "Change one of the caller's templates")
    ReportTemplates.Template update(@PathVariable long id, @RequestBody TemplateRequest body) {
        return save(id, body);
    }

    @DeleteMapping("/templates/{id}")
    @Operation(summary = "Delete one of the caller's templates (its archived reports go with it)")
    Map<String, Object> delete(@PathVariable long id) {
        templates.delete(me().id(), id);
        return Map.of("deleted", id);
    }

    @GetMapping("/templates/{id}/view")
    @Operation(summary = "Run a template over from–to (China days)")
    ReportDocument view(@PathVariable long id, @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return run(id, from, to);
    }

    @GetMapping("/templates/{id}/excel")
    ResponseEntity<byte[]> excel(@PathVariable long id, @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportDocument doc = run(id, from, to);
        return ReportController.file(reports.excel(doc), ReportController.XLSX, ReportController.fileName(doc, "xlsx"));
    }

    @GetMapping("/templates/{id}/pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long id, @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        ReportDocument doc = run(id, from, to);
        return ReportController.file(reports.pdf(doc), MediaType.APPLICATION_PDF, ReportController.fileName(doc, "pdf"));
    }

    private ReportDocument run(long id, String from, String to) {
        ReportTemplates.Template t = templates.get(me().id(), id);
        ReportQuery q = reports.query(from, to, null, AccessScope.current(), Map.of());
        return custom.run(t.name(), t.spec(), q, me().username());
    }

    private ReportTemplates.Template save(Long id, TemplateRequest body) {
        if (body.spec() == null) {
            throw ApiException.badRequest("spec", "请选择数据集、分组和指标");
        }
        custom.check(body.spec());
        return templates.save(me().id(), id, body.name(), body.spec(), body.schedule());
    }

    private static PowerWatchUser me() {
        PowerWatchUser u = AccessScope.currentUser();
        if (u.role() == Role.API_CLIENT) {
            throw new org.springframework.security.access.AccessDeniedException("接口账号不能使用报表模板");
        }
        return u;
    }
}
