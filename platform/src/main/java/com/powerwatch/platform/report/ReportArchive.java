package com.powerwatch.platform.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The archive of generated reports ({@code report_archive}): both files and the key figures per kind (or template),
 * period and scope. A user lists and downloads exactly the reports of their own scope — all of them when they see
 * everything — so a district officer never opens another district's report by guessing an id (404).
 */
@Repository
public class ReportArchive {

    /** One archived report as the list shows it (without the files). */
    public record Entry(long id, String kind, Long templateId, String title, LocalDate from, LocalDate to, String scopeLabel,
                        OffsetDateTime generatedAt, String generatedBy, int xlsxBytes, int pdfBytes, Map<String, Object> summary) {
    }

    private static final String COLUMNS = "id, kind, template_id, title, period_from, period_to, scope_label, generated_at, generated_by,"
            + " octet_length(xlsx) as xlsx_bytes, octet_length(pdf) as pdf_bytes, summary::text as summary";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    ReportArchive(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Whether the report of this kind (template), period start and scope exists already. */
    public boolean exists(String kind, Long templateId, LocalDate from, String scopeKey) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from report_archive where kind = :k and coalesce(template_id, 0) = :t"
                + " and period_from = :f and scope_key = :s)", params(kind, templateId, from, scopeKey), Boolean.class));
    }

    /** Stores a report, replacing the one of the same kind, period and scope (generated again on demand). */
    public long store(String kind, Long templateId, ReportDocument doc, String scopeKey, byte[] xlsx, byte[] pdf, Map<String, Object> summary) {
        MapSqlParameterSource p = params(kind, templateId, doc.from(), scopeKey).addValue("title", doc.title()).addValue("to", Date.valueOf(doc.to()))
                .addValue("label", doc.scopeLabel()).addValue("xlsx", xlsx).addValue("pdf", pdf).addValue("summary", write(summary))
                .addValue("at", Timestamp.from(doc.generatedAt())).addValue("by", doc.generatedBy()).addValue("tid", templateId);
        jdbc.update("delete from report_archive where kind = :k and coalesce(template_id, 0) = :t and period_from = :f and scope_key = :s", p);
        return jdbc.queryForObject("""
                insert into report_archive (kind, template_id, title, period_from, period_to, scope_key, scope_label, xlsx, pdf, summary,
                                            generated_at, generated_by)
                values (:k, :tid, :title, :f, :to, :s, :label, :xlsx, :pdf, :summary::json, :at, :by) returning id""", p, Long.class);
    }

    /** The caller's reports, newest first; {@code kind} optional; keyset paging by id ({@code before}). */
    public List<Entry> list(AccessScope scope, String kind, Long before, int limit) {
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("limit", "数量（limit）须在 1 到 200 之间");
        }
        if (kind != null && !List.of("DAILY", "WEEKLY", "MONTHLY", "TEMPLATE").contains(kind)) {
            throw ApiException.badRequest("kind", "报表类型 kind 应为 DAILY（日报）、WEEKLY（周报）、MONTHLY（月报）或 TEMPLATE（自定义）");
        }
        MapSqlParameterSource p = new MapSqlParameterSource("scope", ReportScopes.key(scope)).addValue("kind", kind)
                .addValue("before", before).addValue("limit", limit);
        return jdbc.query("select " + COLUMNS + " from report_archive where " + visible(scope)
                + (kind == null ? "" : " and kind = :kind") + (before == null ? "" : " and id < :before")
                + " order by id desc limit :limit", p, (rs, i) -> new Entry(rs.getLong("id"), rs.getString("kind"),
                (Long) rs.getObject("template_id"), rs.getString("title"), rs.getDate("period_from").toLocalDate(),
                rs.getDate("period_to").toLocalDate(), rs.getString("scope_label"),
                rs.getObject("generated_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofHours(8)),
                rs.getString("generated_by"), rs.getInt("xlsx_bytes"), rs.getInt("pdf_bytes"), read(rs.getString("summary"))));
    }

    /** One file of a report the caller may see: the bytes and the title; 404 otherwise. */
    public Map.Entry<String, byte[]> file(AccessScope scope, long id, String format) {
        String column = format.equals("pdf") ? "pdf" : "xlsx";
        return jdbc.query("select title, period_from, " + column + " from report_archive where id = :id and " + visible(scope),
                        new MapSqlParameterSource("id", id).addValue("scope", ReportScopes.key(scope)),
                        (rs, i) -> Map.entry(rs.getString(1), rs.getBytes(3))).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("报表", id));
    }

    /** Deletes reports generated before {@code cutoff}; returns how many. */
    public int deleteGeneratedBefore(Instant cutoff) {
        return jdbc.update("delete from report_archive where generated_at < :c", Map.of("c", Timestamp.from(cutoff)));
    }

    private static String visible(AccessScope scope) {
        return scope.everything() ? "true" : "scope_key = :scope";
    }

    private static MapSqlParameterSource params(String kind, Long templateId, LocalDate from, String scopeKey) {
        return new MapSqlParameterSource("k", kind).addValue("t", templateId == null ? 0L : templateId).addValue("f", Date.valueOf(from))
                .addValue("s", scopeKey);
    }

    private String write(Map<String, Object> m) {
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String s) {
        try {
            return s == null ? Map.of() : json.readValue(s, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
