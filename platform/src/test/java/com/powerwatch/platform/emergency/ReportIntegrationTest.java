package com.powerwatch.platform.emergency;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 应急评估报告 (docs/emergency.md §4): written on demand during a warning and automatically when it is lifted, as PDF
 * (CJK font embedded, text readable) and Excel; every figure recomputed here from the samples the test wrote.
 */
class ReportIntegrationTest extends EmergencyTestSupport {

    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    @Test
    void theReportSaysWhatTheDataSaysAndIsWrittenWhenTheWarningEnds() throws Exception {
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2045;
        String district = "610104";
        Ent stop = enterprise(district, "D", Map.of("", Map.of("窑A", 100.0, "窑B", 50.0)));   // runs 2 h: 未达标
        Ent limit = enterprise(district, "B", Map.of("", Map.of("磨机", 100.0)));               // 30 kW against 80: 达标
        Ent gap = enterprise(district, "C", Map.of("", Map.of("线", 40.0)));                    // no data: 无法判断
        Ent self = enterprise(district, "A", Map.of("", Map.of("炉", 200.0)));                  // 自主减排
        post(admin, "/api/emergency/plans", map("year", year, "level", "ORANGE", "enterpriseId", stop.id(), "measure", "STOP"));
        post(admin, "/api/emergency/plans", map("year", year, "level", "ORANGE", "enterpriseId", limit.id(), "measure", "LIMIT",
                "limitPercent", 50, "baselineKw", 80.0));
        post(admin, "/api/emergency/plans", map("year", year, "level", "ORANGE", "enterpriseId", gap.id(), "measure", "STOP"));
        post(admin, "/api/emergency/plans", map("year", year, "level", "ORANGE", "enterpriseId", self.id(), "measure", "SELF"));

        // six hours of minute samples before now: the stop plant's kiln A runs in hours 2–3; the limited mill draws 30 kW
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);
        long pa = point(stop.facilities().get("窑A"));
        long pb = point(stop.facilities().get("窑B"));
        long pl = point(limit.facilities().get("磨机"));
        point(gap.facilities().get("线"));
        long ps = point(self.facilities().get("炉"));
        EmergencyFixtures.samples(jdbc, pa, start, 360, i -> i >= 120 && i < 240 ? 60.0 : 0.0);
        EmergencyFixtures.samples(jdbc, pb, start, 360, i -> 0.0);
        EmergencyFixtures.samples(jdbc, pl, start, 360, i -> 30.0);
        EmergencyFixtures.samples(jdbc, ps, start, 360, i -> 150.0);

        ResponseEntity<Map> started = post(admin, "/api/emergency/warnings", map("level", "ORANGE", "planYear", year,
                "startsAt", OffsetDateTime.ofInstant(start, CHINA).toString(), "endsAt", OffsetDateTime.ofInstant(start, CHINA).plusDays(1).toString(),
                "document", "莲湖区测试〔2045〕1号", "districtCodes", List.of(district)));
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long w = ((Number) started.getBody().get("id")).longValue();
        await("the stop plant's baseline", () -> jdbc.queryForObject("""
                select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = ? and o.baseline_kw is null""", Integer.class, w) == 0);

        // on demand during the warning: an INTERIM report; a district officer may not read the city's report
        ResponseEntity<Map> interim = post(admin, "/api/emergency/warnings/" + w + "/reports", map());
        assertEquals(201, interim.getStatusCode().value(), String.valueOf(interim.getBody()));
        assertEquals("INTERIM", interim.getBody().get("kind"));
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(district), null);
        assertEquals(403, get(officer, "/api/emergency/warnings/" + w + "/reports").getStatusCode().value());

        // lifted: the FINAL report is written by itself
        assertEquals(200, post(admin, "/api/emergency/warnings/" + w + "/lift", map("reason", "空气质量好转")).getStatusCode().value());
        await("the final report", () -> jdbc.queryForObject("select count(*) from emergency_report where warning_id = ? and kind = 'FINAL'",
                Integer.class, w) == 1);
        long finalId = jdbc.queryForObject("select id from emergency_report where warning_id = ? and kind = 'FINAL'", Long.class, w);
        Instant end = jdbc.queryForObject("select ends_at from emergency_warning where id = ?", Timestamp.class, w).toInstant();
        double hours = Duration.between(start, end).toMillis() / 3_600_000.0;

        // the figures, recomputed: energies from the samples, expectations from the baselines
        double stopBaseline = (100 + 50) * 0.7;                 // RATED: Σ rated × load factor (no history)
        double stopExpected = stopBaseline * 16 * hours / 24;   // daily kWh = kW × 16 typical hours
        double limitExpected = 80 * hours * 16 / 24;           // typed baseline: kW × hours × 16/24
        // energy is the register's growth between samples: the first sample of a series adds nothing
        double stopActual = 120 * 60.0 / 60;                   // 120 minutes at 60 kW
        double limitActual = 359 * 30.0 / 60;                  // 359 minute steps at 30 kW
        byte[] xlsx = bytes(admin, "/api/emergency/warnings/" + w + "/reports/" + finalId + "/xlsx").getBody();
        Map<String, Map<String, String>> detail = sheet(xlsx, "企业明细", "企业");
        Map<String, String> s = detail.get(stop.name());
        assertEquals("未达标", s.get("判定"));
        assertEquals(stopActual, Double.parseDouble(s.get("实际用电(kWh)")), 0.01);
        assertEquals(stopExpected, Double.parseDouble(s.get("应有用电(kWh)")), 0.05);
        assertEquals(stopBaseline, Double.parseDouble(s.get("基线(kW)")), 0.01);
        Map<String, String> l = detail.get(limit.name());
        assertEquals("达标", l.get("判定"));
        assertEquals(limitActual, Double.parseDouble(l.get("实际用电(kWh)")), 0.01);
        assertEquals(limitExpected, Double.parseDouble(l.get("应有用电(kWh)")), 0.05);
        assertEquals(100 * (1 - 30.0 / 80), Double.parseDouble(l.get("削减(%)")), 0.05);
        assertEquals("无法判断", detail.get(gap.name()).get("判定"));
        assertEquals("自主减排", detail.get(self.name()).get("判定"));
        Map<String, Map<String, String>> districts = sheet(xlsx, "区县排名", "区县");
        assertEquals(3, (int) Double.parseDouble(districts.get("莲湖区").get("应执行")));
        assertEquals(1, (int) Double.parseDouble(districts.get("莲湖区").get("达标")));
        assertEquals(Math.round(1000.0 / 3) / 1000.0, Double.parseDouble(districts.get("莲湖区").get("执行率")), 1e-9);
        // the industry estimate: the enterprises with a baseline and complete data (stop and limit), 1 − actual ÷ expected
        Map<String, Map<String, String>> industries = sheet(xlsx, "行业减排估算", "行业");
        Map<String, String> none = industries.get("未填行业");
        assertEquals(2, (int) Double.parseDouble(none.get("企业")));
        double reduction = Math.round(1000 * (1 - (stopActual + limitActual) / (stopExpected + limitExpected))) / 10.0;
        assertEquals(reduction, Double.parseDouble(none.get("估算排放削减(%)")), 0.11);
        assertTrue(sheet(xlsx, "数据缺失", "企业").containsKey(gap.name()), "the enterprise without data is listed as a gap");
        assertTrue(sheet(xlsx, "变更记录", "生效时间").values().stream().anyMatch(r -> "解除".equals(r.get("变更"))));

        // the PDF: a CJK font embedded, and the text says the same
        byte[] pdf = bytes(admin, "/api/emergency/warnings/" + w + "/reports/" + finalId + "/pdf").getBody();
        Files.write(Path.of("target", "emergency-report-test.pdf"), pdf); // looked at with pdftoppm
        assertTrue(new String(pdf, 0, 8).startsWith("%PDF"));
        PdfReader reader = new PdfReader(pdf);
        StringBuilder text = new StringBuilder();
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        for (int p = 1; p <= reader.getNumberOfPages(); p++) {
            text.append(extractor.getTextFromPage(p));
        }
        String all = text.toString();
        assertTrue(new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1).contains("NotoSansCJKsc"), "the CJK font is embedded");
        for (String expected : List.of("重污染天气应急评估报告", "莲湖区测试〔2045〕1号", stop.name(), "未达标", "执行率", "33.3%", "数据缺失", "解除")) {
            assertTrue(all.contains(expected), "the PDF says " + expected);
        }
        reader.close();
        // the list shows both reports
        assertEquals(2, getList(admin, "/api/emergency/warnings/" + w + "/reports").getBody().size());
    }

    private long point(long facility) {
        return EmergencyFixtures.point(jdbc, facility);
    }

    /** The rows of a sheet by the value of {@code key}, each as cell texts by header. */
    private static Map<String, Map<String, String>> sheet(byte[] xlsx, String name, String key) throws Exception {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet s = wb.getSheet(name);
            DataFormatter fmt = new DataFormatter();
            Row h = s.getRow(0);
            for (int r = 1; r <= s.getLastRowNum(); r++) {
                Map<String, String> cells = new HashMap<>();
                for (int c = 0; c < h.getLastCellNum(); c++) {
                    org.apache.poi.ss.usermodel.Cell cell = s.getRow(r).getCell(c);
                    cells.put(fmt.formatCellValue(h.getCell(c)), cell == null ? "" : cell.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
                            ? String.valueOf(cell.getNumericCellValue()) : fmt.formatCellValue(cell));
                }
                out.put(cells.get(key), cells);
            }
        }
        return out;
    }
}
