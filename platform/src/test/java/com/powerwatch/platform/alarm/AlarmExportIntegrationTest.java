package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/alarms/export: the search as a workbook with Chinese headers, read back with POI; scoped; cut at the limit. */
class AlarmExportIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    AlarmRecorder recorder;
    @Autowired
    AlarmExport export;

    AlarmFixtures fx;

    @BeforeEach
    void setUp() {
        fx = new AlarmFixtures(jdbc, recorder);
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theExportHoldsTheSearchWithChineseHeadersInTheListsOrder() throws IOException {
        String district = fx.district("导出区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "导出企业");
        Instant t1 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        long older = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, t1);
        long newer = fx.raise(e, "LOGGER_OFFLINE", AlarmLevel.LEVEL_3, t1.plus(1, ChronoUnit.HOURS));
        long cancelled = fx.raise(e, "FROZEN_VALUE", AlarmLevel.NOTICE, t1.plus(2, ChronoUnit.HOURS));
        recorder.clear("LOGGER_OFFLINE", jdbc.queryForObject("select subject_key from alarm where id = ?", String.class, newer),
                t1.plus(90, ChronoUnit.MINUTES), Map.of("message", "数采仪恢复上报"));
        String admin = AuthTestSupport.adminToken(jdbc);
        assertEquals(200, post(admin, "/api/alarms/" + older + "/handle", Map.of("text", "已督促企业开启")).getStatusCode().value());
        assertEquals(200, post(admin, "/api/alarms/" + cancelled + "/cancel", Map.of()).getStatusCode().value());

        ResponseEntity<byte[]> r = download(admin, "/api/alarms/export?status=all&sort=time&district=" + district);
        assertEquals(200, r.getStatusCode().value());
        assertTrue(r.getHeaders().getContentType().toString().contains("spreadsheetml"), r.getHeaders().toString());
        assertTrue(r.getHeaders().getFirst("Content-Disposition").contains(".xlsx"));
        assertEquals("3", r.getHeaders().getFirst("X-Total-Count"));
        assertEquals("3", r.getHeaders().getFirst("X-Exported-Rows"));
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.getBody()))) {
            Sheet sheet = wb.getSheet("报警记录");
            List<String> headers = cells(sheet.getRow(0));
            assertEquals(AlarmExport.HEADERS, headers);
            assertEquals(List.of("报警编号", "报警级别", "报警类型"), headers.subList(0, 3));
            assertEquals(3, sheet.getLastRowNum(), "a header and three alarms");
            // sort=time: the latest start first
            List<Long> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add((long) sheet.getRow(i).getCell(0).getNumericCellValue());
            }
            assertEquals(List.of(cancelled, newer, older), ids);

            Row handled = sheet.getRow(3);
            assertEquals("二级", text(handled, "报警级别"));
            assertEquals("治污设施停运", text(handled, "报警类型"));
            assertEquals("治污设施", text(handled, "类别"));
            assertEquals(e.name(), text(handled, "企业名称"));
            assertEquals("导出区", text(handled, "区县"));
            assertEquals("金属表面处理及热处理加工", text(handled, "行业"));
            assertEquals("活性炭吸附", text(handled, "设施"));
            assertEquals("报警中", text(handled, "报警状态"));
            assertEquals("已处理", text(handled, "处置状态"));
            assertEquals("未派发", text(handled, "派发流程"));
            assertEquals(1, (int) handled.getCell(headers.indexOf("报警次数")).getNumericCellValue());
            assertTrue(text(handled, "报警内容").startsWith("[1#喷涂线]实时功率为42.5kW"), text(handled, "报警内容"));
            LocalDateTime start = handled.getCell(headers.indexOf("开始时间")).getLocalDateTimeCellValue();
            assertEquals(LocalDateTime.ofInstant(t1, ZoneId.of("Asia/Shanghai")), start, "a real date cell in China time");

            Row recovered = sheet.getRow(2);
            assertEquals("已恢复", text(recovered, "报警状态"));
            assertEquals(30, (int) recovered.getCell(headers.indexOf("持续时长(分钟)")).getNumericCellValue());
            assertEquals("已取消", text(sheet.getRow(1), "处置状态"));

            Sheet notes = wb.getSheet("导出说明");
            assertEquals("符合条件的报警", notes.getRow(1).getCell(0).getStringCellValue());
            assertEquals("3 条", notes.getRow(1).getCell(1).getStringCellValue());
        }

        // the list's filters apply: only the cancelled one
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(
                download(admin, "/api/alarms/export?status=cancelled&district=" + district).getBody()))) {
            assertEquals(1, wb.getSheet("报警记录").getLastRowNum());
        }
    }

    @Test
    void anOfficerExportsOnlyTheirDistrictAndBadFiltersAre400s() throws IOException {
        String mine = fx.district("导出本区");
        String theirs = fx.district("导出他区");
        fx.raise(fx.enterprise(mine, "3360", "本区企业"), "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minusSeconds(600));
        AlarmFixtures.Enterprise foreign = fx.enterprise(theirs, "3360", "他区企业");
        fx.raise(foreign, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minusSeconds(600));
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(mine), null);

        ResponseEntity<byte[]> r = download(officer, "/api/alarms/export?status=all&district=" + AlarmFixtures.TEST_CITY);
        assertEquals(200, r.getStatusCode().value());
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.getBody()))) {
            Sheet sheet = wb.getSheet("报警记录");
            assertEquals(1, sheet.getLastRowNum(), "only the officer's district");
            assertEquals("导出本区", text(sheet.getRow(1), "区县"));
            assertTrue(wb.getSheet("报警记录").getRow(1).getCell(4).getStringCellValue().startsWith("本区企业"));
        }
        ResponseEntity<Map> bad = get(officer, "/api/alarms/export?level=LEVEL_9");
        assertEquals(400, bad.getStatusCode().value());
        assertEquals("level", bad.getBody().get("field"));
        assertEquals("sort", get(officer, "/api/alarms/export?sort=name").getBody().get("field"));
    }

    @Test
    void anExportLargerThanTheLimitIsCutAndSaysSo() throws IOException {
        String district = fx.district("上限区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "上限企业");
        for (int i = 0; i < 5; i++) {
            fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minusSeconds(3600 - i * 60L));
        }
        PowerWatchUser admin = new PowerWatchUser(0, "admin", Role.CITY_ADMIN, List.of(), null, false);
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(admin, null, List.of()));
        AlarmExport.Result r = export.export(new AlarmQueries.Filter("all", null, null, null, null, null, null, null, district, null,
                null, null, null), "time", 3);
        assertEquals(5, r.matched());
        assertEquals(3, r.rows());
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.bytes()))) {
            assertEquals(3, wb.getSheet("报警记录").getLastRowNum());
            String note = wb.getSheet("导出说明").getRow(2).getCell(1).getStringCellValue();
            assertTrue(note.contains("3 条") && note.contains("单次导出最多 3 条"), note);
        }
    }

    ResponseEntity<byte[]> download(String token, String url) {
        return http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), byte[].class);
    }

    static List<String> cells(Row row) {
        List<String> out = new ArrayList<>();
        DataFormatter f = new DataFormatter();
        row.forEach(c -> out.add(f.formatCellValue(c)));
        return out;
    }

    static String text(Row row, String header) {
        int column = AlarmExport.HEADERS.indexOf(header);
        return row.getCell(column) == null ? "" : new DataFormatter().formatCellValue(row.getCell(column));
    }
}
