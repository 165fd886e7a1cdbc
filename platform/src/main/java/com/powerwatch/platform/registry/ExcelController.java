package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Excel template, export and import of the registry. */
@RestController
@RequestMapping("/api/registry/excel")
@Tag(name = "Registry: Excel", description = "企业、设施、监测点、产治关联的 Excel 模板、导出与导入")
public class ExcelController {

    private static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final RegistryExcel excel;

    public ExcelController(RegistryExcel excel) {
        this.excel = excel;
    }

    @GetMapping("/template")
    @Operation(summary = "The import template: sheets 企业, 设施, 监测点, 产治关联 with an example row, and 说明")
    public ResponseEntity<byte[]> template() {
        return file(excel.template(), "registry-template.xlsx");
    }

    @GetMapping("/export")
    @Operation(summary = "Everything visible to the caller in the template's layout (imports back unchanged)")
    public ResponseEntity<byte[]> export() {
        return file(excel.export(), "registry-export.xlsx");
    }

    @PostMapping(value = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Validate every row; with any bad row import nothing and list them; else upsert all in one transaction (dryRun: only validate)")
    public ResponseEntity<RegistryExcel.ImportReport> importWorkbook(@RequestPart("file") MultipartFile file,
                                                                     @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        if (file.isEmpty()) {
            throw ApiException.badRequest("file", "上传的文件是空的");
        }
        try (InputStream in = file.getInputStream()) {
            RegistryExcel.ImportReport report = excel.importWorkbook(in, file.getSize(), dryRun);
            return ResponseEntity.status(report.errors().isEmpty() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY).body(report);
        }
    }

    private static ResponseEntity<byte[]> file(byte[] bytes, String name) {
        return ResponseEntity.ok().contentType(XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(bytes);
    }
}
