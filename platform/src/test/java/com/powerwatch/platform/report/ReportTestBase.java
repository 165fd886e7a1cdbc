package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Report tests: alarms in districts of their own, the report read as JSON, Excel (POI) and PDF (its text). */
abstract class ReportTestBase extends AuthIntegrationTestBase {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Autowired
    AlarmRecorder recorder;

    AlarmFixtures fx;
    String admin;
    LocalDate today;

    @BeforeEach
    void setUpReports() {
        fx = new AlarmFixtures(jdbc, recorder);
        admin = AuthTestSupport.adminToken(jdbc);
        today = LocalDate.now(CHINA);
    }

    Instant noon(int daysAgo) {
        return today.minusDays(daysAgo).atTime(LocalTime.NOON).atZone(CHINA).toInstant();
    }

    Map<String, Object> report(String token, String code, String query) {
        ResponseEntity<Map> r = get(token, "/api/reports/named/" + code + "?" + query);
        assertEquals(200, r.getStatusCode().value(), code + ": " + r.getBody());
        return r.getBody();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sections(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("sections");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Map<String, Object> section) {
        return (List<Map<String, Object>>) section.get("rows");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> total(Map<String, Object> section) {
        return (Map<String, Object>) section.get("total");
    }

    static Map<String, Object> rowWith(List<Map<String, Object>> rows, String key, Object value) {
        return rows.stream().filter(r -> value.equals(r.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + key + " = " + value + " in " + rows));
    }

    static long n(Object o) {
        assertNotNull(o);
        return ((Number) o).longValue();
    }

    static double d(Object o) {
        assertNotNull(o);
        return ((Number) o).doubleValue();
    }

    byte[] file(String token, String url, String contentType) {
        ResponseEntity<byte[]> r = http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), byte[].class);
        assertEquals(200, r.getStatusCode().value(), url);
        assertEquals(contentType, r.getHeaders().getContentType().toString());
        return r.getBody();
    }

    /** The text of every cell of a sheet, row by row (numbers as numbers). */
    static List<List<Object>> sheet(byte[] xlsx, int index) throws IOException {
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet s = wb.getSheetAt(index);
            List<List<Object>> out = new ArrayList<>();
            for (Row row : s) {
                List<Object> cells = new ArrayList<>();
                for (int c = 0; c < row.getLastCellNum(); c++) {
                    Cell cell = row.getCell(c);
                    cells.add(cell == null ? null : cell.getCellType() == CellType.NUMERIC ? (Object) cell.getNumericCellValue()
                            : cell.getStringCellValue());
                }
                out.add(cells);
            }
            return out;
        }
    }

    static int sheets(byte[] xlsx) throws IOException {
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            return wb.getNumberOfSheets();
        }
    }

    /** The row of an Excel sheet whose cell {@code column} is {@code value}. */
    static List<Object> sheetRow(List<List<Object>> sheet, int column, Object value) {
        return sheet.stream().filter(r -> r.size() > column && value.equals(r.get(column))).findFirst()
                .orElseThrow(() -> new AssertionError("no Excel row with " + value));
    }

    /** The text of all pages of a PDF. */
    static String pdfText(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor x = new PdfTextExtractor(reader);
            StringBuilder sb = new StringBuilder();
            for (int p = 1; p <= reader.getNumberOfPages(); p++) {
                sb.append(x.getTextFromPage(p)).append('\n');
            }
            return sb.toString();
        } finally {
            reader.close();
        }
    }

    static int pdfPages(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            return reader.getNumberOfPages();
        } finally {
            reader.close();
        }
    }
}
