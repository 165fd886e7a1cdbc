package com.powerwatch.platform.emergency;

import org.springframework.jdbc.core.JdbcTemplate;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntToDoubleFunction;

/** Registry rows and telemetry of the emergency tests, written with SQL and aggregated by the platform's telemetry_refresh. */
public final class EmergencyFixtures {

    /** An enterprise of the fixture: its id, and its lines and production facilities by name. */
    public record Ent(long id, String name, String district, Map<String, Long> lines, Map<String, Long> facilities) {
    }

    private EmergencyFixtures() {
    }

    /** The districts the tests use, under 陕西省 › 西安市. */
    public static void districts(JdbcTemplate jdbc) {
        jdbc.update("""
                insert into region (code, name, level, parent_code) values
                  ('610000', '陕西省', 1, null), ('610100', '西安市', 2, '610000'), ('610113', '雁塔区', 3, '610100'),
                  ('610112', '未央区', 3, '610100'), ('610111', '灞桥区', 3, '610100'), ('610104', '莲湖区', 3, '610100'),
                  ('610103', '碑林区', 3, '610100')
                on conflict do nothing""");
    }

    /**
     * An enterprise with a grade and, per line name, its production facilities (name → rated kW; run threshold 10 % of
     * rated); a facility under line "" has no line.
     */
    public static Ent enterprise(JdbcTemplate jdbc, String district, String grade, Map<String, Map<String, Double>> lines) {
        String name = "应急企业-" + UUID.randomUUID().toString().substring(0, 8);
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

    /** A meter of a facility, behind a data logger of its own. */
    public static long point(JdbcTemplate jdbc, long facility) {
        String mn = "EMF" + facility + "X" + UUID.randomUUID().toString().substring(0, 6);
        long enterprise = jdbc.queryForObject("select enterprise_id from facility where id = ?", Long.class, facility);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterprise);
        return jdbc.queryForObject("insert into monitoring_point (facility_id, name, mn, channel, profile) values (?, '电表', ?, '1', 'elec-a') returning id",
                Long.class, facility, mn);
    }

    /**
     * {@code n} minute samples from {@code start}: power p(i) kW and the register growing by p(i)/60 kWh at each sample
     * (so the energy of a series is Σ p(i)/60 over all samples but the first); then aggregated by telemetry_refresh.
     */
    public static void samples(JdbcTemplate jdbc, long point, Instant start, int n, IntToDoubleFunction p) {
        List<Object[]> rows = new ArrayList<>();
        double e = 1000;
        for (int i = 0; i < n; i++) {
            double kw = p.applyAsDouble(i);
            e += kw / 60;
            rows.add(new Object[]{point, Timestamp.from(start.plus(i, ChronoUnit.MINUTES)), kw, e});
        }
        jdbc.batchUpdate("insert into point_sample (point_id, ts, p, e, received_at) values (?, ?, ?, ?, now())", rows);
        jdbc.queryForObject("select telemetry_refresh(array_agg(point_id), array_agg(ts)) from point_sample where point_id = ?",
                Integer.class, point);
    }

    /** A workbook with one sheet: headers, then one row per map (values by header). */
    public static byte[] workbook(String sheet, List<String> headers, List<Map<String, Object>> rows) throws IOException {
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

}
