package com.powerwatch.platform.alarm;

import com.powerwatch.platform.audit.AuditLog;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 历史报警 as Excel: the rows of a search (the list's filters, scope and order), at most {@link #MAX_ROWS}, Chinese
 * headers, times in China time, in the list's order. A second sheet says what was searched, how many alarms matched and whether the
 * export was cut at the limit. Rows are read through a cursor and written by POI's streaming workbook, so 100,000
 * rows do not sit in memory twice.
 */
@Component
class AlarmExport {

    static final int MAX_ROWS = 100_000;
    static final String SHEET = "报警记录";
    static final String NOTES = "导出说明";
    static final List<String> HEADERS = List.of("报警编号", "报警级别", "报警类型", "类别", "企业名称", "区县", "行业", "设施", "数采仪MN",
            "开始时间", "最近报警时间", "结束时间", "持续时长(分钟)", "报警次数", "报警状态", "处置状态", "派发流程", "承办人/单位",
            "办理期限", "报警内容");
    private static final int[] WIDTHS = {10, 9, 16, 13, 28, 10, 18, 18, 16, 19, 19, 19, 13, 9, 9, 9, 13, 14, 19, 80};

    /** What the export wrote: the workbook, how many alarms matched and how many rows it holds. */
    record Result(byte[] bytes, long matched, int rows) {
    }

    private final AlarmQueries queries;
    private final NamedParameterJdbcTemplate cursor;
    private final TransactionTemplate readOnly;
    private final AuditLog audit;

    AlarmExport(AlarmQueries queries, DataSource dataSource, PlatformTransactionManager transactions, AuditLog audit) {
        this.queries = queries;
        this.audit = audit;
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setFetchSize(2000); // PostgreSQL streams with a cursor only inside a transaction
        this.cursor = new NamedParameterJdbcTemplate(jdbc);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The caller's export, audited (who, scope, search, rows). */
    Result export(AlarmQueries.Filter filter, String sort) {
        Result r = export(filter, sort, MAX_ROWS);
        audit.recordExport("alarms", r.rows(), Map.of("matched", r.matched()));
        return r;
    }

    /** The export with another row limit (tests: the cut at the limit without 100,000 alarms). */
    Result export(AlarmQueries.Filter filter, String sort, int maxRows) {
        String order = AlarmQueries.order(sort);
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = queries.where(filter, p);
        p.addValue("limit", maxRows);
        try (SXSSFWorkbook wb = new SXSSFWorkbook(500); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            CellStyle time = wb.createCellStyle();
            time.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            SXSSFSheet sheet = wb.createSheet(SHEET);
            Row h = sheet.createRow(0);
            for (int c = 0; c < HEADERS.size(); c++) {
                Cell cell = h.createCell(c);
                cell.setCellValue(HEADERS.get(c));
                cell.setCellStyle(header);
                sheet.setColumnWidth(c, WIDTHS[c] * 256);
            }
            sheet.createFreezePane(0, 1);
            int[] written = {0};
            Instant now = Instant.now();
            Long matched = readOnly.execute(tx -> {
                cursor.query("""
                        select a.id, a.level, t.name as type_name, t.category_name, e.name as enterprise_name, r.name as district_name,
                               i.name as industry_name, f.name as facility_name, a.mn, a.started_at, a.last_seen_at, a.ended_at,
                               a.repeats, a.status, a.handling, a.workflow, u.username as assignee_username, ar.name as assignee_region_name,
                               a.deadline, coalesce(a.last_evidence ->> 'message', a.first_evidence ->> 'message') as message"""
                        + AlarmQueries.FROM + " left join region ar on ar.code = a.assignee_region" + where + order
                        + " limit :limit", p, rs -> {
                    write(sheet.createRow(++written[0]), rs, time, now);
                });
                return written[0] < maxRows ? (long) written[0]
                        : cursor.queryForObject("select count(*)" + AlarmQueries.FROM + where, p, Long.class);
            });
            long total = matched == null ? written[0] : matched;
            notes(wb.createSheet(NOTES), header, filter, total, written[0], maxRows, now);
            wb.write(out);
            wb.dispose();
            return new Result(out.toByteArray(), total, written[0]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the workbook", e);
        }
    }

    private static void write(Row row, ResultSet rs, CellStyle time, Instant now) throws SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        Timestamp ended = rs.getTimestamp("ended_at");
        String workflow = rs.getString("workflow");
        String assignee = rs.getString("assignee_username") != null ? rs.getString("assignee_username") : rs.getString("assignee_region_name");
        Object[] values = {
                rs.getLong("id"), AlarmLevel.valueOf(rs.getString("level")).label(), rs.getString("type_name"),
                rs.getString("category_name"), rs.getString("enterprise_name"), rs.getString("district_name"),
                rs.getString("industry_name"), rs.getString("facility_name"), rs.getString("mn"), started,
                rs.getTimestamp("last_seen_at"), ended,
                Duration.between(started.toInstant(), ended != null ? ended.toInstant() : now).toMinutes(), rs.getInt("repeats") + 1,
                AlarmLabels.STATUS.get(rs.getString("status")), AlarmLabels.HANDLING.get(rs.getString("handling")),
                AlarmLabels.WORKFLOW.get(workflow == null ? "NONE" : workflow), assignee, rs.getTimestamp("deadline"),
                rs.getString("message")};
        for (int c = 0; c < values.length; c++) {
            Object v = values[c];
            if (v instanceof Timestamp t) {
                Cell cell = row.createCell(c);
                cell.setCellValue(chinaTime(t));
                cell.setCellStyle(time);
            } else if (v instanceof Number n) {
                row.createCell(c).setCellValue(n.doubleValue());
            } else if (v != null) {
                row.createCell(c).setCellValue(v.toString());
            }
        }
    }

    private static void notes(Sheet sheet, CellStyle header, AlarmQueries.Filter f, long matched, int rows, int maxRows, Instant now) {
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("导出时间", chinaTime(Timestamp.from(now)).toString().replace('T', ' '));
        lines.put("符合条件的报警", matched + " 条");
        lines.put("本文件包含", rows + " 条" + (matched > rows ? "（单次导出最多 " + maxRows + " 条，请缩小时间范围分批导出）" : ""));
        lines.put("报警状态", f.status() == null ? "active" : f.status());
        lines.put("开始时间起", f.from());
        lines.put("开始时间止", f.to());
        lines.put("报警级别", f.levels() == null ? null : String.join(",", f.levels()));
        lines.put("报警类型", f.types() == null ? null : String.join(",", f.types()));
        lines.put("类别", f.category());
        lines.put("处置状态", f.handling());
        lines.put("派发流程", f.workflow());
        lines.put("区县", f.district());
        lines.put("行业", f.industry());
        lines.put("企业ID", f.enterpriseId());
        lines.put("设施ID", f.facilityId());
        lines.put("报警次数不少于", f.minCount());
        int r = 0;
        for (Map.Entry<String, Object> e : lines.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Row row = sheet.createRow(r++);
            Cell k = row.createCell(0);
            k.setCellValue(e.getKey());
            k.setCellStyle(header);
            row.createCell(1).setCellValue(e.getValue().toString());
        }
        sheet.setColumnWidth(0, 16 * 256);
        sheet.setColumnWidth(1, 70 * 256);
    }

    private static LocalDateTime chinaTime(Timestamp t) {
        return t.toInstant().atZone(AlarmQueries.CHINA).toLocalDateTime();
    }
}
