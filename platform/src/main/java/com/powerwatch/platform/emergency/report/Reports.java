package com.powerwatch.platform.emergency.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Times;
import com.powerwatch.platform.emergency.warning.WarningEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 应急评估报告: written automatically (FINAL) when a warning ends or is lifted, and on demand (INTERIM) during it; kept
 * in the database as PDF and Excel with a summary; the oldest INTERIM ones beyond {@code reports-kept} are deleted.
 */
@Service
public class Reports {

    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportBuilder builder;
    private final ReportPdf pdf;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final EmergencyProperties settings;

    Reports(NamedParameterJdbcTemplate jdbc, ReportBuilder builder, ReportPdf pdf, AuditLog audit, ObjectMapper json,
            EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.builder = builder;
        this.pdf = pdf;
        this.audit = audit;
        this.json = json;
        this.settings = settings;
    }

    /** The FINAL report of a warning that has ended (published after commit by the warning module). */
    @EventListener
    public void onEnded(WarningEnded e) {
        try {
            long id = generate(e.warningId(), "FINAL", "系统");
            audit.record(new AuditLog.Actor(null, "system", null), "EMERGENCY_REPORT_GENERATED", "emergency-report:" + id,
                    AuditLog.Outcome.SUCCESS, Map.of("warningId", e.warningId(), "kind", "FINAL"));
        } catch (RuntimeException ex) {
            log.warn("evaluation report of emergency warning {} not written: {}", e.warningId(), ex.toString(), ex);
        }
    }

    /** Builds, renders and stores a report; returns its id. */
    public long generate(long warningId, String kind, String by) {
        long started = System.nanoTime();
        ReportData data = builder.build(warningId, Instant.now());
        long built = System.nanoTime();
        byte[] pdfBytes = pdf.write(data);
        long rendered = System.nanoTime();
        byte[] xlsx = ReportExcel.write(data);
        int ms = (int) ((System.nanoTime() - started) / 1_000_000);
        log.info("evaluation report of emergency warning {}: data {} ms, PDF {} ms, Excel {} ms", warningId, (built - started) / 1_000_000,
                (rendered - built) / 1_000_000, (System.nanoTime() - rendered) / 1_000_000);
        Map<String, Object> summary = new LinkedHashMap<>(data.summary());
        summary.put("enterprises", data.enterprises().size());
        long id = jdbc.queryForObject("""
                insert into emergency_report (warning_id, kind, generated_by, data_at, summary, pdf, xlsx, duration_ms)
                values (:w, :kind, :by, :at, cast(:summary as jsonb), :pdf, :xlsx, :ms) returning id""",
                new MapSqlParameterSource("w", warningId).addValue("kind", kind).addValue("by", by).addValue("at", Timestamp.from(data.at()))
                        .addValue("summary", toJson(summary)).addValue("pdf", pdfBytes).addValue("xlsx", xlsx).addValue("ms", ms), Long.class);
        jdbc.update("""
                delete from emergency_report where warning_id = :w and kind = 'INTERIM' and id not in (
                  select id from emergency_report where warning_id = :w order by generated_at desc, id desc limit :kept)""",
                Map.of("w", warningId, "kept", Math.max(1, settings.reportsKept())));
        log.info("evaluation report {} ({}) of emergency warning {}: {} enterprises, {} ms, PDF {} KB, Excel {} KB", id, kind, warningId,
                data.enterprises().size(), ms, pdfBytes.length / 1024, xlsx.length / 1024);
        return id;
    }

    public List<Map<String, Object>> list(long warningId) {
        return jdbc.query("""
                select id, kind, generated_at, generated_by, data_at, summary::text, duration_ms, length(pdf) as pdf_size, length(xlsx) as xlsx_size
                from emergency_report where warning_id = :w order by generated_at desc, id desc""", Map.of("w", warningId), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("kind", rs.getString("kind"));
            m.put("generatedAt", Times.china(rs.getTimestamp("generated_at")));
            m.put("generatedBy", rs.getString("generated_by"));
            m.put("dataAt", Times.china(rs.getTimestamp("data_at")));
            m.put("summary", fromJson(rs.getString("summary")));
            m.put("durationMs", rs.getInt("duration_ms"));
            m.put("pdfSize", rs.getInt("pdf_size"));
            m.put("xlsxSize", rs.getInt("xlsx_size"));
            return m;
        });
    }

    /** A stored file ("pdf" or "xlsx") of a report of this warning. */
    public byte[] file(long warningId, long reportId, String format) {
        String column = "pdf".equals(format) ? "pdf" : "xlsx";
        List<byte[]> found = jdbc.query("select " + column + " from emergency_report where id = :id and warning_id = :w",
                Map.of("id", reportId, "w", warningId), (rs, i) -> rs.getBytes(1));
        if (found.isEmpty()) {
            throw ApiException.notFound("评估报告", reportId);
        }
        return found.get(0);
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object fromJson(String s) {
        try {
            return json.readValue(s, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
