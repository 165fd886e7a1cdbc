package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Excel template, export and import of the registry. */
@RestController
@RequestMapping("/api/registry/excel")
@Tag(name = "Registry: Excel", description = "企业、设施、监测点、产治关联的 Excel 模板、导出与导入")
public class ExcelController {

    private static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final RegistryExcel excel;
    private final OneImportPerUser imports;

    public ExcelController(RegistryExcel excel, OneImportPerUser imports) {
        this.excel = excel;
        this.imports = imports;
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
    @Operation(summary = "Validate every row; with any bad row import nothing and list them (the first max-errors, and errorCount); "
            + "else upsert all in one transaction (dryRun: only validate). .xlsx only; rows per sheet and unpacked size are capped; one import per user at a time (409)")
    public ResponseEntity<RegistryExcel.ImportReport> importWorkbook(@RequestPart("file") MultipartFile file,
                                                                     @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        if (file.isEmpty()) {
            throw ApiException.badRequest("file", "上传的文件是空的");
        }
        long user = AccessScope.currentUser().id();
        if (!imports.enter(user)) {
            throw new ApiException(HttpStatus.CONFLICT, "IMPORT_RUNNING", "您的上一个导入尚未完成，请等它完成后再试");
        }
        // a file, not a stream: the zip is then read entry by entry on demand instead of being unpacked into memory
        Path copy = Files.createTempFile("registry-import-", ".xlsx");
        try {
            file.transferTo(copy);
            RegistryExcel.ImportReport report = excel.importWorkbook(copy, file.getSize(), dryRun);
            return ResponseEntity.status(report.errorCount() == 0 ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY).body(report);
        } finally {
            Files.deleteIfExists(copy);
            imports.leave(user);
        }
    }

    private static ResponseEntity<byte[]> file(byte[] bytes, String name) {
        return ResponseEntity.ok().contentType(XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .body(bytes);
    }
}
