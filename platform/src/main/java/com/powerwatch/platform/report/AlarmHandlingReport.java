package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * 报警处理情况统计: how the alarms of the period were handled, per district, enterprise or alarm type — by handling
 * state, dispatched and closed tasks, the share handled and how long the first human action took.
 */
@Component
class AlarmHandlingReport implements NamedReport {

    static final List<Choice> GROUPS = List.of(new Choice("district", "按区县"), new Choice("enterprise", "按企业"),
            new Choice("type", "按报警类型"));

    private final NamedParameterJdbcTemplate jdbc;

    AlarmHandlingReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "ALARM_HANDLING";
    }

    @Override
    public String title() {
        return "报警处理情况统计";
    }

    @Override
    public String description() {
        return "本期报警的处置情况：未确认、已确认、已处理、已取消，派发与办结，处置率和平均响应时长";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("by", "统计维度", GROUPS));
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        String by = q.option("by", "district");
        if (GROUPS.stream().noneMatch(c -> c.value().equals(by))) {
            throw ApiException.badRequest("by", "统计维度 by 应为 district（区县）、enterprise（企业）或 type（报警类型）");
        }
        MapSqlParameterSource p = new MapSqlParameterSource();
        // the first thing a person did to the alarm (confirm, cancel, handle or dispatch), minutes after it was raised
        List<Map<String, Object>> rows = jdbc.query("select " + AlarmSql.groupKey(by) + " as key, " + AlarmSql.groupName(by) + " as name, "
                + AlarmSql.COUNTS + ", count(fs.at) as responded, avg(extract(epoch from fs.at - a.created_at) / 60) as response_minutes"
                + AlarmSql.FROM + " " + """
                left join lateral (select min(s.at) as at from alarm_step s
                                   where s.alarm_id = a.id and s.action in ('CONFIRMED', 'CANCELLED', 'HANDLED', 'DISPATCHED')) fs on true"""
                + AlarmSql.where(q, p) + " group by 1 order by total desc, name", p, Rows.MAP);
        double minutes = 0;
        long responded = 0;
        for (Map<String, Object> r : rows) {
            AlarmSummaryReport.disposed(r);
            minutes += Rows.d(r, "response_minutes") * Rows.n(r, "responded");
            r.put("response_minutes", r.get("response_minutes") == null ? null : Figures.round(Rows.d(r, "response_minutes"), 1));
            responded += Rows.n(r, "responded");
        }
        String label = switch (by) {
            case "enterprise" -> "企业名称";
            case "type" -> "报警类型";
            default -> "区县";
        };
        ReportTable.Builder t = ReportTable.of(title()).columns(List.of(
                ReportColumn.text("name", label, by.equals("enterprise") ? 28 : 14), ReportColumn.count("total", "报警总数"),
                ReportColumn.count("unconfirmed", "未确认"), ReportColumn.count("confirmed", "已确认"), ReportColumn.count("handled", "已处理"),
                ReportColumn.count("cancelled", "已取消"), ReportColumn.count("dispatched", "已派发"), ReportColumn.count("reviewed", "已办结"),
                ReportColumn.percent("disposedRate", "处置率"), ReportColumn.decimal("response_minutes", "平均响应(分钟)")))
                .rows(rows).sumTotal("合计");
        long all = rows.stream().mapToLong(r -> Rows.n(r, "total")).sum();
        long unconfirmed = rows.stream().mapToLong(r -> Rows.n(r, "unconfirmed")).sum();
        Double rate = Figures.percent(all - unconfirmed, all);
        t.total("disposedRate", rate).total("response_minutes", responded == 0 ? null : Figures.round(minutes / responded, 1));
        return List.of(t.figure("报警总数", all).figure("已处置", all - unconfirmed).figure("处置率", rate == null ? "—" : rate + "%")
                .note("处置 = 确认、处理或取消（派发时一并计入）；响应时长 = 报警产生到第一次人工处置的时间，仅计已处置的报警；已办结 = 派发流程审核通过。")
                .build());
    }
}
