package com.powerwatch.platform.report;

import com.powerwatch.platform.auth.AccessScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 统计报表: the named reports over a period (from/to: China days, both included; default the last 30 days) and a
 * region (district: any region code), within the caller's scope — on screen (JSON), as Excel and as PDF. See
 * docs/reports.md.
 */
@RestController
@RequestMapping("/api/reports")
@Tag(name = "Reports", description = "统计报表：企业报警情况汇总、报警处理情况统计、治污生产报警统计、区县应急预案达标统计、区县应急报警统计、设备传输情况统计、用电情况统计、企业报警前20统计；Excel 与 PDF")
class ReportController {

    static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping
    @Operation(summary = "The named reports: code, title, description and the options each takes")
    List<Map<String, Object>> catalogue() {
        return reports.catalogue().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", r.code());
            m.put("title", r.title());
            m.put("description", r.description());
            m.put("options", r.options());
            return m;
        }).toList();
    }

    @GetMapping("/named/{code}")
    @Operation(summary = "A named report on screen: {code, title, from, to, regionLabel, scopeLabel, generatedAt, sections[{title, figures, columns, rows, total, notes}]}")
    ReportDocument view(@PathVariable String code, @RequestParam Map<String, String> params) {
        return run(code, params);
    }

    @GetMapping("/named/{code}/excel")
    @Operation(summary = "The same report as an Excel workbook (one sheet per section)")
    ResponseEntity<byte[]> excel(@PathVariable String code, @RequestParam Map<String, String> params) {
        ReportDocument doc = run(code, params);
        return file(reports.excel(doc), XLSX, fileName(doc, "xlsx"));
    }

    @GetMapping("/named/{code}/pdf")
    @Operation(summary = "The same report as PDF (A4 landscape, Chinese font embedded)")
    ResponseEntity<byte[]> pdf(@PathVariable String code, @RequestParam Map<String, String> params) {
        ReportDocument doc = run(code, params);
        return file(reports.pdf(doc), MediaType.APPLICATION_PDF, fileName(doc, "pdf"));
    }

    private ReportDocument run(String code, Map<String, String> params) {
        Map<String, String> options = new HashMap<>(params);
        String from = options.remove("from");
        String to = options.remove("to");
        String district = options.remove("district");
        options.remove("access_token");
        reports.report(code); // 404 before the period is checked
        ReportQuery q = reports.query(from, to, district, AccessScope.current(), options);
        return reports.run(code, q, AccessScope.currentUser().username());
    }

    static String fileName(ReportDocument doc, String ext) {
        return doc.title() + "-" + doc.from() + (doc.from().equals(doc.to()) ? "" : "至" + doc.to()) + "." + ext;
    }

    static ResponseEntity<byte[]> file(byte[] bytes, MediaType type, String name) {
        return ResponseEntity.ok()
                .contentType(type)
                .header("Content-Disposition", ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(bytes);
    }
}
