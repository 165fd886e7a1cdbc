package com.powerwatch.platform.registry;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Excel import cannot be used to exhaust the server: the workbook is streamed, rows and the unpacked size are
 * capped (defaults: 20,000 rows a sheet), the error list is cut (first 200 and the total), and each user runs one
 * import at a time. Heap: the default of the test JVM; a million-row sheet is refused at its 20,001st row.
 */
class ExcelImportLimitsIntegrationTest extends RegistryTestBase {

    private static final List<String> ENTERPRISE_HEADERS = List.of("统一社会信用代码", "企业名称*", "区县代码*");

    @Autowired
    OneImportPerUser imports;

    private ResponseEntity<Map<String, Object>> upload(TestRestTemplate t, byte[] bytes) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return "registry.xlsx";
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return t.exchange("/api/registry/excel/import?dryRun=false", HttpMethod.POST, new HttpEntity<>(parts, headers), MAP);
    }

    @Test
    void aMillionRowSheetIsRefusedAtTheRowCapWithoutReadingIt() throws IOException {
        byte[] million = RawWorkbook.of("企业", ENTERPRISE_HEADERS, 1_000_000, i -> Arrays.asList(null, "企业" + i, "610113"));
        assertTrue(million.length < 10 * 1024 * 1024, "under the upload limit: " + million.length);
        long before = jdbc.queryForObject("select count(*) from enterprise", Long.class);
        Map<String, Object> r = ok(upload(admin(), million), 400);
        assertEquals("file", r.get("field"));
        assertEquals("工作表“企业”超过 20000 行的上限（不含表头），请分批导入", r.get("message"));
        assertEquals(before, jdbc.queryForObject("select count(*) from enterprise", Long.class), "nothing imported");
    }

    @Test
    void manyBadRowsGiveTheFirst200ErrorsAndTheTotal() throws IOException {
        // 5,000 rows without a district: 5,000 errors, of which the answer lists 200
        byte[] bad = RawWorkbook.of("企业", ENTERPRISE_HEADERS, 5_000, i -> Arrays.asList(null, "坏行" + i, null));
        ResponseEntity<Map<String, Object>> response = upload(admin(), bad);
        Map<String, Object> r = ok(response, 422);
        assertEquals(200, ((List<?>) r.get("errors")).size());
        assertEquals(5_000, ((Number) r.get("errorCount")).intValue());
        assertEquals(Boolean.FALSE, r.get("imported"));
        assertTrue(r.get("errors").toString().contains("row=2,") && r.get("errors").toString().contains("区县代码必填"),
                "the first errors, in row order");
    }

    @Test
    void aNulCharacterInACellIsARowError() throws IOException {
        // an .xlsx escapes control characters as _xHHHH_: POI hands them back as the characters themselves
        byte[] nul = RawWorkbook.of("企业", ENTERPRISE_HEADERS, 1, i -> Arrays.asList(null, "坏_x0000_名", YANTA));
        Map<String, Object> r = ok(upload(admin(), nul), 422);
        assertEquals("[{sheet=企业, row=2, column=企业名称, value=坏\u2400名, message=企业名称 含有不允许的NUL（U+0000），请删除后重试}]",
                r.get("errors").toString());
    }

    @Test
    void oneImportAtATimePerUser() throws IOException {
        String token = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        TestRestTemplate operator = AuthTestSupport.as(http, token);
        long userId = ((Number) operator.getForObject("/api/auth/me", Map.class).get("id")).longValue();
        byte[] one = RawWorkbook.of("企业", ENTERPRISE_HEADERS, 1, i -> Arrays.asList(null, unique("并发企业"), YANTA));
        assertTrue(imports.enter(userId), "the user's first import");
        try {
            Map<String, Object> r = ok(upload(operator, one), 409);
            assertEquals("IMPORT_RUNNING", r.get("error"));
            assertEquals("您的上一个导入尚未完成，请等它完成后再试", r.get("message"));
            ok(upload(admin(), one), 200); // another user is not held up
        } finally {
            imports.leave(userId);
        }
        ok(upload(operator, one), 200);
    }
}
