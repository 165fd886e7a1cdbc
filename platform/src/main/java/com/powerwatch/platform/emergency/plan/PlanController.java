package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.EmergencyRoles;
import com.powerwatch.platform.emergency.Files;
import com.powerwatch.platform.emergency.Measure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/** 企业应急管理: emergency plans, their Excel template / import / export, attachments and 指标查询. */
@RestController
@RequestMapping("/api/emergency/plans")
@Tag(name = "Emergency: plans", description = "企业应急预案（年度 × 预警级别 × 企业）、Excel 模板/导入/导出、附件、指标查询")
public class PlanController {

    /** Body of POST …/copy. */
    public record CopyRequest(Integer fromYear, Integer toYear) {
    }

    private final Plans plans;
    private final PlanExcel excel;
    private final PlanAttachments attachments;
    private final PlanIndicators indicators;

    public PlanController(Plans plans, PlanExcel excel, PlanAttachments attachments, PlanIndicators indicators) {
        this.plans = plans;
        this.excel = excel;
        this.attachments = attachments;
        this.indicators = indicators;
    }

    @GetMapping
    @Operation(summary = "Plans of a year visible to the caller (filters: level, district, grade, measure, participates, rotatable, q; paged)")
    public Plans.Page list(@RequestParam(required = false) Integer year, @RequestParam(required = false) String level,
                           @RequestParam(required = false) String district, @RequestParam(required = false) String grade,
                           @RequestParam(required = false) String measure, @RequestParam(required = false) Boolean participates,
                           @RequestParam(required = false) Boolean rotatable, @RequestParam(required = false) String q,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return plans.list(new Plans.Filter(year(year), level(level), district, grade, measure(measure), participates, rotatable, q),
                page, size);
    }

    @GetMapping("/{id:\\d+}")
    public Map<String, Object> get(@PathVariable long id) {
        return plans.get(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    @Operation(summary = "Create: {year, level YELLOW|ORANGE|RED, enterpriseId, participates, grade?, reductionCode?, measure STOP|LIMIT|SELF, "
            + "scope ENTERPRISE|LINE|FACILITY, targetIds?, limitPercent?, rotatable?, baselineKw?, measureText?, economicLoss? (万元), note?}")
    public Map<String, Object> create(@RequestBody(required = false) PlanInput body) {
        return plans.create(body);
    }

    @PutMapping("/{id:\\d+}")
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    public Map<String, Object> update(@PathVariable long id, @RequestBody(required = false) PlanInput body) {
        return plans.update(id, body);
    }

    @DeleteMapping("/{id:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    public void delete(@PathVariable long id) {
        plans.delete(id);
    }

    @PostMapping("/copy")
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    @Operation(summary = "从上一年复制: copy the caller's plans of fromYear into toYear where the enterprise has none for that level yet")
    public Plans.CopyResult copy(@RequestBody(required = false) CopyRequest body) {
        return plans.copy(body == null ? null : body.fromYear(), body == null ? null : body.toYear());
    }

    @GetMapping("/indicators")
    @Operation(summary = "指标查询: enterprises, lines, facilities, rated / baseline / reduced kW by district and by grade, per measure")
    public PlanIndicators.Indicators indicators(@RequestParam(required = false) Integer year, @RequestParam String level,
                                                @RequestParam(required = false) String district) {
        EmergencyLevel l = level(level);
        if (l == null) {
            throw ApiException.badRequest("level", "请选择预警级别：黄色、橙色或红色");
        }
        return indicators.query(year(year), l, district);
    }

    @GetMapping("/excel/template")
    public ResponseEntity<byte[]> template(@RequestParam(required = false) Integer year) {
        return Files.file(excel.template(year(year)), "应急预案导入模板.xlsx", Files.XLSX);
    }

    @GetMapping("/excel/export")
    public ResponseEntity<byte[]> export(@RequestParam(required = false) Integer year, @RequestParam(required = false) String level) {
        int y = year(year);
        return Files.file(excel.export(y, level(level)), y + "年应急预案.xlsx", Files.XLSX);
    }

    @PostMapping(value = "/excel/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    @Operation(summary = "Check every row; with any bad row import nothing and name each bad cell (422); else create or update all in one transaction (dryRun: only check)")
    public ResponseEntity<PlanExcel.ImportReport> importWorkbook(@RequestPart(value = "file", required = false) MultipartFile file,
                                                                 @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        if (file == null || file.isEmpty()) {
            throw ApiException.badRequest("file", "请选择要导入的 Excel 文件");
        }
        try (InputStream in = file.getInputStream()) {
            PlanExcel.ImportReport report = excel.importWorkbook(in, dryRun);
            return ResponseEntity.status(report.errors().isEmpty() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY).body(report);
        }
    }

    @PostMapping(value = "/{id:\\d+}/attachment", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    public Map<String, Object> upload(@PathVariable long id, @RequestPart(value = "file", required = false) MultipartFile file)
            throws IOException {
        if (file == null) {
            throw ApiException.badRequest("file", "请选择附件");
        }
        return attachments.upload(id, file.getOriginalFilename(), file.getBytes());
    }

    @GetMapping("/{id:\\d+}/attachment")
    public ResponseEntity<byte[]> download(@PathVariable long id) {
        PlanAttachments.Attachment a = attachments.download(id);
        return Files.file(a.content(), a.fileName(), MediaType.parseMediaType(a.contentType()));
    }

    @DeleteMapping("/{id:\\d+}/attachment")
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    public Map<String, Object> deleteAttachment(@PathVariable long id) {
        return attachments.delete(id);
    }

    static int year(Integer year) {
        if (year == null) {
            return LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
        }
        if (year < 2000 || year > 2100) {
            throw ApiException.badRequest("year", "年度须在 2000 到 2100 之间");
        }
        return year;
    }

    static EmergencyLevel level(String text) {
        EmergencyLevel l = EmergencyLevel.parse(text);
        if (text != null && !text.isBlank() && l == null) {
            throw ApiException.badRequest("level", "预警级别须为 YELLOW（黄色）、ORANGE（橙色）或 RED（红色）");
        }
        return l;
    }

    static Measure measure(String text) {
        Measure m = Measure.parse(text);
        if (text != null && !text.isBlank() && m == null) {
            throw ApiException.badRequest("measure", "减排措施须为 STOP（停产）、LIMIT（限产）或 SELF（自主减排）");
        }
        return m;
    }
}
