package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** 企业报警前20统计: the enterprises with the most alarms in the period, their most frequent type and what is still open. */
@Component
class TopAlarmEnterprisesReport implements NamedReport {

    private final NamedParameterJdbcTemplate jdbc;

    TopAlarmEnterprisesReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "TOP_ALARM_ENTERPRISES";
    }

    @Override
    public String title() {
        return "企业报警前20统计";
    }

    @Override
    public String description() {
        return "本期报警最多的企业（默认前 20 名）：报警数、一级/二级报警、最多的报警类型、未恢复数和处置率";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("limit", "名次", List.of(new Choice("20", "前20名"), new Choice("10", "前10名"), new Choice("50", "前50名"))));
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        int limit;
        try {
            limit = Integer.parseInt(q.option("limit", "20"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("limit", "名次应为 1 到 100 之间的整数");
        }
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("limit", limit);
        String where = AlarmSql.where(q, p);
        // ties: fewer alarms rank lower; equal counts by name, then id, so the list is the same every time
        List<Map<String, Object>> rows = jdbc.query("""
                with ranked as (
                  select e.id, min(e.name) as enterprise, min(r.name) as district, min(ig.name) as industry, %s
                  %s %s group by e.id order by total desc, enterprise, e.id limit :limit),
                top_type as (
                  select distinct on (a.enterprise_id) a.enterprise_id, t.name, count(*) as n
                  from alarm a join ranked k on k.id = a.enterprise_id join alarm_type t on t.code = a.type
                  where a.started_at >= :from and a.started_at < :to
                  group by a.enterprise_id, t.name, t.sort_order order by a.enterprise_id, n desc, t.sort_order)
                select row_number() over (order by k.total desc, k.enterprise, k.id) as rank, k.*, tt.name as top_type, tt.n as top_type_count
                from ranked k left join top_type tt on tt.enterprise_id = k.id order by rank""".formatted(AlarmSql.COUNTS, AlarmSql.FROM, where),
                p, Rows.MAP);
        for (Map<String, Object> r : rows) {
            AlarmSummaryReport.disposed(r);
        }
        return List.of(ReportTable.of(title().replace("20", String.valueOf(limit))).columns(List.of(
                        ReportColumn.count("rank", "排名"), ReportColumn.text("enterprise", "企业名称", 28), ReportColumn.text("district", "区县", 10),
                        ReportColumn.text("industry", "行业", 16), ReportColumn.count("total", "报警数"), ReportColumn.count("level_1", "一级"),
                        ReportColumn.count("level_2", "二级"), ReportColumn.text("top_type", "最多的报警类型", 16),
                        ReportColumn.count("top_type_count", "该类型次数"), ReportColumn.count("open", "仍在报警"),
                        ReportColumn.percent("disposedRate", "处置率")))
                .rows(rows)
                .note("按报警数由多到少排名，报警数相同按企业名称；按报警开始时间计入周期。")
                .build());
    }
}
