package com.powerwatch.platform.emergency;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixtures of the emergency tests: districts, enterprises with lines and production facilities, Excel uploads. */
public abstract class EmergencyTestSupport extends AuthIntegrationTestBase {

    protected static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    /** An enterprise of the fixture: its id, and its lines and production facilities by name. */
    protected record Ent(long id, String name, String district, Map<String, Long> lines, Map<String, Long> facilities) {
    }

    @BeforeEach
    protected void districts() {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values
                  ('610000', '陕西省', 1, null), ('610100', '西安市', 2, '610000'),
                  ('610113', '雁塔区', 3, '610100'), ('610112', '未央区', 3, '610100'), ('610111', '灞桥区', 3, '610100')
                on conflict do nothing""");
    }

    /**
     * An enterprise with a grade and, per line name, its production facilities (name → rated kW); a facility name with
     * line "" has no line.
     */
    protected Ent enterprise(String district, String grade, Map<String, Map<String, Double>> lines) {
        String name = unique("应急企业");
        long id = jdbc.queryForObject("insert into enterprise (name, district_code, emergency_grade) values (?, ?, ?) returning id",
                Long.class, name, district, grade);
        Map<String, Long> lineIds = new LinkedHashMap<>();
        Map<String, Long> facilityIds = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> line : lines.entrySet()) {
            Long lineId = null;
            if (!line.getKey().isEmpty()) {
                lineId = jdbc.queryForObject("insert into production_line (enterprise_id, name) values (?, ?) returning id", Long.class,
                        id, line.getKey());
                lineIds.put(line.getKey(), lineId);
            }
            for (Map.Entry<String, Double> f : line.getValue().entrySet()) {
                facilityIds.put(f.getKey(), jdbc.queryForObject("""
                        insert into facility (enterprise_id, production_line_id, name, kind, rated_kw, stop_below, run_above)
                        values (?, ?, ?, 'PRODUCTION', ?, ?, ?) returning id""", Long.class, id, lineId, f.getKey(), f.getValue(),
                        0.05 * f.getValue(), 0.10 * f.getValue()));
            }
        }
        return new Ent(id, name, district, lineIds, facilityIds);
    }

    /** A workbook with one sheet: headers, then one row per map (values by header). */
    protected static byte[] workbook(String sheet, List<String> headers, List<Map<String, Object>> rows) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet s = wb.createSheet(sheet);
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
            wb.write(out);
            return out.toByteArray();
        }
    }

    /** POSTs {@code bytes} as the multipart part "file". */
    protected ResponseEntity<Map<String, Object>> upload(String token, String url, byte[] bytes, String fileName) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        if (token != null) {
            headers.setBearerAuth(token);
        }
        return http.exchange(url, HttpMethod.POST, new HttpEntity<>(parts, headers), MAP);
    }

    protected ResponseEntity<byte[]> bytes(String token, String url) {
        return http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), byte[].class);
    }

    protected ResponseEntity<Map> put(String token, String url, Object body) {
        return call(token, HttpMethod.PUT, url, body);
    }

    /** Key-value pairs as a map that keeps nulls out. */
    protected static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    protected static List<Map<String, Object>> items(ResponseEntity<Map> page) {
        return new ArrayList<>((List<Map<String, Object>>) page.getBody().get("items"));
    }
}
