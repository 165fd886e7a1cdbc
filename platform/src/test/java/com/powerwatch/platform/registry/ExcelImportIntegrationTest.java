package com.powerwatch.platform.registry;

import com.powerwatch.platform.auth.Role;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Template, import (good, bad, out of scope, dry run), export → import round trip. */
class ExcelImportIntegrationTest extends RegistryTestBase {

    private static final List<String> E = List.of("统一社会信用代码", "企业名称", "区县代码", "行业代码", "地址", "经度", "纬度", "坐标系",
            "排污许可管理类别", "绩效分级", "联系人", "状态");
    private static final List<String> F = List.of("企业信用代码", "企业名称", "设施名称", "设施类型", "生产线", "工艺类型", "额定功率(kW)", "阈值量",
            "停机阈值", "运行阈值", "异常低阈值", "状态");
    private static final List<String> P = List.of("企业信用代码", "企业名称", "设施名称", "监测点名称", "MN", "通道", "因子配置", "CT变比", "PT变比", "联网日期", "状态");
    private static final List<String> A = List.of("企业信用代码", "企业名称", "产污设施名称", "治污设施名称", "开机提前量(分钟)", "停机滞后量(分钟)");

    /** A workbook from rows given as column → value, with the template's headers. */
    private static byte[] workbook(List<Map<String, Object>> enterprises, List<Map<String, Object>> facilities,
                                   List<Map<String, Object>> points, List<Map<String, Object>> associations) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            sheet(wb, "企业", E, enterprises);
            sheet(wb, "设施", F, facilities);
            sheet(wb, "监测点", P, points);
            sheet(wb, "产治关联", A, associations);
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static void sheet(Workbook wb, String name, List<String> headers, List<Map<String, Object>> rows) {
        Sheet s = wb.createSheet(name);
        Row h = s.createRow(0);
        for (int i = 0; i < headers.size(); i++) {
            h.createCell(i).setCellValue(headers.get(i));
        }
        int r = 1;
        for (Map<String, Object> values : rows) {
            Row row = s.createRow(r++);
            for (int i = 0; i < headers.size(); i++) {
                Object v = values.get(headers.get(i));
                if (v instanceof Number n) {
                    row.createCell(i).setCellValue(n.doubleValue());
                } else if (v != null) {
                    row.createCell(i).setCellValue(v.toString());
                }
            }
        }
    }

    private ResponseEntity<Map<String, Object>> upload(TestRestTemplate t, byte[] bytes, boolean dryRun) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return "registry.xlsx";
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return t.exchange("/api/registry/excel/import?dryRun=" + dryRun, HttpMethod.POST, new HttpEntity<>(parts, headers), MAP);
    }

    private String counts() {
        return jdbc.queryForObject("""
                select (select count(*) from enterprise) || '/' || (select count(*) from facility) || '/' || (select count(*) from monitoring_point)
                    || '/' || (select count(*) from facility_association) || '/' || (select count(*) from data_logger)
                    || '/' || (select coalesce(max(updated_at)::text, '') from enterprise)""", String.class);
    }

    private static String creditCode(String seed) {
        // a valid code made for the test: 17 characters from the seed, the check character computed
        String body = ("91610113" + Math.abs(seed.hashCode()) + "000000000").substring(0, 17);
        return body + CreditCode.checkCharacter(body);
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void templateDownloadsWithEverySheetAndParses() throws IOException {
        ResponseEntity<byte[]> r = admin().getForEntity("/api/registry/excel/template", byte[].class);
        assertEquals(200, r.getStatusCode().value());
        try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(r.getBody()))) {
            for (String s : List.of("企业", "设施", "监测点", "产治关联", "说明")) {
                assertNotNull(wb.getSheet(s), s);
            }
            assertEquals("企业名称*", wb.getSheet("企业").getRow(0).getCell(1).getStringCellValue());
            assertEquals("示例涂装有限公司", wb.getSheet("企业").getRow(1).getCell(1).getStringCellValue());
            assertTrue(wb.getSheet("说明").getLastRowNum() > 60, "columns, profiles and industries are listed");
        }
        // the template's example imports cleanly (dry run: nothing written)
        String before = counts();
        Map<String, Object> report = ok(upload(admin(), r.getBody(), true), 200);
        assertEquals(List.of(), report.get("errors"));
        assertEquals(before, counts());
    }

    @Test
    void goodWorkbookImportsAndReimportUpdates() throws IOException {
        String code = creditCode(unique("good"));
        String name = unique("导入企业");
        String mn = "IMP" + unique("").toUpperCase();
        byte[] wb = workbook(
                List.of(row("统一社会信用代码", code, "企业名称", name, "区县代码", YANTA, "行业代码", "2641", "经度", 108.9, "纬度", 34.2,
                        "坐标系", "GCJ02", "排污许可管理类别", "简化", "绩效分级", "引领性", "联系人", "李四,厂长,029-88888888；王五,,13900000000", "状态", "正常")),
                List.of(row("企业信用代码", code, "设施名称", "调漆间", "设施类型", "产污", "生产线", "涂料线", "额定功率(kW)", 30, "停机阈值", 1, "运行阈值", 3),
                        row("企业名称", name, "设施名称", "RTO", "设施类型", "治污", "工艺类型", "RTO", "额定功率(kW)", 90, "运行阈值", 10, "异常低阈值", 40),
                        row("企业信用代码", code, "设施名称", "总表", "设施类型", "总用电")),
                List.of(row("企业信用代码", code, "设施名称", "调漆间", "监测点名称", "调漆间电表", "MN", mn, "通道", "100001", "因子配置", "elec-a", "CT变比", 40),
                        row("企业信用代码", code, "设施名称", "RTO", "监测点名称", "RTO电表", "MN", mn, "通道", "100002", "因子配置", "elec-a", "联网日期", "2026-03-01")),
                List.of(row("企业信用代码", code, "产污设施名称", "调漆间", "治污设施名称", "RTO", "停机滞后量(分钟)", 60)));
        Map<String, Object> dry = ok(upload(admin(), wb, true), 200);
        assertEquals(Boolean.FALSE, dry.get("imported"));
        assertEquals(0L, jdbc.queryForObject("select count(*) from enterprise where credit_code = ?", Long.class, code), "dry run writes nothing");

        Map<String, Object> report = ok(upload(admin(), wb, false), 200);
        assertEquals(Boolean.TRUE, report.get("imported"));
        Map<?, ?> counts = (Map<?, ?>) report.get("counts");
        assertEquals(Map.of("created", 1, "updated", 0), counts.get("企业"));
        assertEquals(Map.of("created", 3, "updated", 0), counts.get("设施"));
        assertEquals(Map.of("created", 2, "updated", 0), counts.get("监测点"));
        assertEquals(Map.of("created", 1, "updated", 0), counts.get("产治关联"));
        Map<String, Object> e = jdbc.queryForMap("select * from enterprise where credit_code = ?", code);
        assertEquals("SIMPLIFIED", e.get("permit_class"));
        assertEquals("LEADING", e.get("emergency_grade"));
        assertTrue(Math.abs(((Number) e.get("longitude")).doubleValue() - 108.9) > 1e-4, "GCJ-02 converted before storing");
        assertEquals(40.0, jdbc.queryForObject("select ct_ratio from monitoring_point where mn = ? and channel = '100001'", Double.class, mn));
        assertEquals(60, jdbc.queryForObject("select stop_lag_minutes from facility_association a join facility f on f.id = a.production_facility_id where f.name = '调漆间' and f.enterprise_id = ?",
                Integer.class, e.get("id")));
        assertEquals(e.get("id"), jdbc.queryForObject("select enterprise_id from data_logger where mn = ?", Long.class, mn), "MN assigned by the import");

        // the same workbook again updates, creates nothing
        Map<?, ?> again = (Map<?, ?>) ok(upload(admin(), wb, false), 200).get("counts");
        assertEquals(Map.of("created", 0, "updated", 3), again.get("设施"));
        assertEquals(Map.of("created", 0, "updated", 1), again.get("企业"));
    }

    @Test
    void badRowsAreEachReportedAndNothingIsImported() throws IOException {
        String code = creditCode(unique("bad"));
        long other = createEnterprise(admin(), YANTA);
        String foreignMn = (String) ok(call(admin(), HttpMethod.POST, "/api/registry/enterprises/" + other + "/data-loggers", null), 201).get("mn");
        byte[] wb = workbook(
                List.of(row("统一社会信用代码", code, "企业名称", unique("好企业"), "区县代码", YANTA),
                        row("统一社会信用代码", "91310000332725243X", "企业名称", "坏代码", "区县代码", YANTA),
                        row("企业名称", "坏区县", "区县代码", "610100"),
                        row("企业名称", "坏分级", "区县代码", YANTA, "绩效分级", "E", "经度", "abc")),
                List.of(row("企业信用代码", code, "设施名称", "喷漆", "设施类型", "产污", "停机阈值", 9, "运行阈值", 5),
                        row("企业信用代码", code, "设施名称", "喷淋塔", "设施类型", "治污"),
                        row("企业名称", "不存在的企业", "设施名称", "x", "设施类型", "产污")),
                List.of(row("企业信用代码", code, "设施名称", "喷淋塔", "监测点名称", "p1", "MN", foreignMn, "因子配置", "elec-a"),
                        row("企业信用代码", code, "设施名称", "喷淋塔", "监测点名称", "p2", "MN", "IMPBAD0001", "因子配置", "nope"),
                        // an MN in another district's range (Weiyang's, for an enterprise in Yanta)
                        row("企业信用代码", code, "设施名称", "喷淋塔", "监测点名称", "p3", "MN", WEIYANG + "12345678", "因子配置", "elec-a")),
                List.of(row("企业信用代码", code, "产污设施名称", "喷淋塔", "治污设施名称", "喷淋塔")));
        String before = counts();
        Map<String, Object> report = ok(upload(admin(), wb, false), 422);
        assertEquals(Boolean.FALSE, report.get("imported"));
        List<String> got = new ArrayList<>();
        for (Object o : (List<?>) report.get("errors")) {
            Map<?, ?> err = (Map<?, ?>) o;
            got.add(err.get("sheet") + ":" + err.get("row") + ":" + err.get("column"));
            assertTrue(err.get("message") != null && !err.get("message").toString().isBlank());
        }
        for (String expected : List.of("企业:3:统一社会信用代码", "企业:4:区县代码", "企业:5:绩效分级", "企业:5:经度", "设施:2:停机阈值",
                "设施:4:企业名称", "监测点:2:MN", "监测点:3:因子配置", "监测点:4:MN", "产治关联:2:产污设施名称")) {
            assertTrue(got.contains(expected), expected + " in " + got);
        }
        assertEquals(before, counts(), "nothing imported");
        assertEquals(0L, jdbc.queryForObject("select count(*) from enterprise where credit_code = ?", Long.class, code));
    }

    @Test
    void officerImportCannotTouchAnotherDistrict() throws IOException {
        long theirs = createEnterprise(admin(), WEIYANG);
        String theirName = jdbc.queryForObject("select name from enterprise where id = ?", String.class, theirs);
        TestRestTemplate officer = as(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        byte[] wb = workbook(
                List.of(row("企业名称", unique("本区新企业"), "区县代码", YANTA), row("企业名称", unique("外区新企业"), "区县代码", WEIYANG)),
                List.of(row("企业名称", theirName, "设施名称", "偷加的设施", "设施类型", "产污")), List.of(), List.of());
        String before = counts();
        Map<String, Object> report = ok(upload(officer, wb, false), 422);
        String errors = report.get("errors").toString();
        assertTrue(errors.contains("row=3") && errors.contains("管辖范围"), errors);
        assertEquals(2, ((List<?>) report.get("errors")).size(), errors);
        assertEquals(before, counts());
        assertEquals(403, upload(as(Role.ENTERPRISE_USER, List.of(), theirs), wb, false).getStatusCode().value());
    }

    @Test
    void exportImportsBackUnchanged() throws IOException {
        TestRestTemplate officer = as(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        Fixture f = fixture(admin(), YANTA);
        fixture(admin(), WEIYANG);
        ResponseEntity<byte[]> export = officer.getForEntity("/api/registry/excel/export", byte[].class);
        assertEquals(200, export.getStatusCode().value());
        try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(export.getBody()))) {
            Sheet enterprises = wb.getSheet("企业");
            for (int r = 1; r <= enterprises.getLastRowNum(); r++) {
                assertEquals(YANTA, enterprises.getRow(r).getCell(2).getStringCellValue(), "export is scope-filtered");
            }
            assertTrue(wb.getSheet("监测点").getLastRowNum() >= 1);
        }
        String snapshot = jdbc.queryForObject("""
                select string_agg(row(f.name, f.kind, f.run_above, f.abnormal_below, p.mn, p.channel, p.ct_ratio)::text, ',' order by f.name, p.mn)
                from facility f left join monitoring_point p on p.facility_id = f.id where f.enterprise_id = ?""", String.class, f.enterpriseId());
        long enterprises = jdbc.queryForObject("select count(*) from enterprise", Long.class);
        Map<String, Object> report = ok(upload(officer, export.getBody(), false), 200);
        Map<?, ?> counts = (Map<?, ?>) report.get("counts");
        assertEquals(0, ((Map<?, ?>) counts.get("企业")).get("created"), report.toString());
        assertEquals(0, ((Map<?, ?>) counts.get("设施")).get("created"));
        assertEquals(0, ((Map<?, ?>) counts.get("监测点")).get("created"));
        assertEquals(enterprises, jdbc.queryForObject("select count(*) from enterprise", Long.class));
        assertEquals(snapshot, jdbc.queryForObject("""
                select string_agg(row(f.name, f.kind, f.run_above, f.abnormal_below, p.mn, p.channel, p.ct_ratio)::text, ',' order by f.name, p.mn)
                from facility f left join monitoring_point p on p.facility_id = f.id where f.enterprise_id = ?""", String.class, f.enterpriseId()));
    }

    @Test
    void notAWorkbookIsRefusedClearly() {
        Map<String, Object> r = ok(upload(admin(), "hello".getBytes(), false), 400);
        assertEquals("file", r.get("field"));
    }
}
