package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 系统运行异常信息事件: what went wrong in the platform's own operation during the period, from what it records —
 * spells of journal consumers retrying against the database, journal refusals, platform starts ({@code system_event},
 * written by {@link SystemEventRecorder}); data loggers' offline spells (LOGGER_OFFLINE alarms); rejected frames by
 * reason (the raw-message trace); notifications that could not be delivered. Machinery, frames of unregistered
 * loggers and notifications are city-wide facts: only callers who see everything get those sections.
 */
@Component
class SystemEventsReport implements NamedReport {

    static final Map<String, String> KINDS = Map.of("CONSUMER_RETRYING", "写库失败重试", "JOURNAL_APPENDS_REJECTED", "接收日志拒绝写入",
            "GATEWAY_JOURNAL_FAILURES", "网关写日志失败", "PLATFORM_STARTED", "平台启动");
    static final Map<String, String> REJECTS = Map.ofEntries(Map.entry("BAD_FRAMING", "包头包尾错误"), Map.entry("BAD_LENGTH", "长度不符"),
            Map.entry("BAD_CRC", "CRC 校验失败"), Map.entry("OVERSIZE", "报文过长"), Map.entry("BAD_HEADER", "包头字段错误"),
            Map.entry("MISSING_MN", "缺少 MN"), Map.entry("MISSING_CN", "缺少 CN"), Map.entry("BAD_DATATIME", "数据时间错误"),
            Map.entry("TRUNCATED", "报文截断"), Map.entry("GARBAGE_SKIPPED", "夹杂乱码"), Map.entry("AUTH_FAILED", "设备认证失败"));
    static final Map<String, String> SEVERITY = Map.of("INFO", "提示", "WARNING", "警告", "ERROR", "严重");

    private final NamedParameterJdbcTemplate jdbc;

    SystemEventsReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "SYSTEM_EVENTS";
    }

    @Override
    public String title() {
        return "系统运行异常信息事件";
    }

    @Override
    public String description() {
        return "本期系统运行异常：数据库写入失败与恢复、接收日志拒绝写入、平台重启、数采仪离线、异常报文、通知发送失败";
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        List<ReportTable> out = new ArrayList<>();
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = q.enterpriseWhere(p);
        if (q.scope().everything()) {
            out.add(machinery(p));
        }
        List<Map<String, Object>> offline = jdbc.query("""
                select r.name as district, e.name as enterprise, a.mn,
                       to_char(a.started_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as started,
                       to_char(a.ended_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as ended,
                       round((extract(epoch from coalesce(a.ended_at, :now) - a.started_at) / 3600)::numeric, 1) as hours,
                       case when a.status = 'ACTIVE' then '仍离线' else '已恢复' end as state
                from alarm a join enterprise e on e.id = a.enterprise_id left join region r on r.code = e.district_code
                where a.type = 'LOGGER_OFFLINE' and a.started_at >= :from and a.started_at < :to and""" + " " + where
                + " order by a.started_at, a.mn", p.addValue("now", java.sql.Timestamp.from(q.now())), Rows.MAP);
        out.add(ReportTable.of("数采仪离线").columns(List.of(ReportColumn.text("district", "区县", 10),
                        ReportColumn.text("enterprise", "企业名称", 26), ReportColumn.text("mn", "数采仪MN", 24),
                        ReportColumn.text("started", "离线开始", 16), ReportColumn.text("ended", "恢复时间", 16),
                        ReportColumn.decimal("hours", "时长(小时)"), ReportColumn.text("state", "状态", 8)))
                .rows(offline).figure("离线次数", offline.size())
                .figure("涉及数采仪", offline.stream().map(r -> r.get("mn")).distinct().count())
                .note("离线 = 数采仪的全部监测点超过离线时限无数据（数采仪离线报警）；仍离线的时长计至报表生成时。").build());
        // rejected frames: those of registered loggers in scope; unregistered ones only for the city-wide view
        String frameScope = q.scope().everything() && q.district() == null ? "true"
                : "exists (select 1 from data_logger dl join enterprise e on e.id = dl.enterprise_id where dl.mn = f.mn and " + where + ")";
        List<Map<String, Object>> frames = jdbc.query("""
                select to_char(f.received_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, f.verdict, count(*) as frames,
                       count(distinct f.mn) as loggers
                from raw_frame f where f.verdict <> 'VALID' and f.received_at >= :from and f.received_at < :to and""" + " " + frameScope
                + " group by 1, 2 order by 1, frames desc", p, Rows.MAP);
        for (Map<String, Object> f : frames) {
            f.put("reason", REJECTS.getOrDefault((String) f.get("verdict"), (String) f.get("verdict")));
        }
        out.add(ReportTable.of("异常报文").columns(List.of(ReportColumn.text("day", "日期", 12), ReportColumn.text("reason", "拒收原因", 16),
                        ReportColumn.text("verdict", "代码", 16), ReportColumn.count("frames", "报文数"), ReportColumn.count("loggers", "涉及MN数")))
                .rows(frames).sumTotal("合计").total("loggers", null)
                .note("接入网关拒收的报文（原始报文记录中判定不为有效的），按接收日期和原因汇总。").build());
        if (q.scope().everything()) {
            List<Map<String, Object>> failed = jdbc.query("""
                    select channel, kind, case outcome when 'FAILED' then '发送失败' else '队列已满丢弃' end as outcome, count(*) as n,
                           to_char(max(at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as last, max(error) as error
                    from notification_log where outcome in ('FAILED', 'DROPPED') and at >= :from and at < :to
                    group by channel, kind, outcome order by n desc""", p, Rows.MAP);
            out.add(ReportTable.of("通知发送失败").columns(List.of(ReportColumn.text("channel", "通道", 14), ReportColumn.text("kind", "类型", 10),
                            ReportColumn.text("outcome", "结果", 12), ReportColumn.count("n", "次数"), ReportColumn.text("last", "最近一次", 16),
                            ReportColumn.text("error", "错误", 40)))
                    .rows(failed).sumTotal("合计").build());
        }
        return out;
    }

    private ReportTable machinery(MapSqlParameterSource p) {
        List<Map<String, Object>> events = jdbc.query("""
                select kind, component, severity, count, message,
                       to_char(started_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as started,
                       to_char(ended_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as ended,
                       case when ended_at is null and kind = 'CONSUMER_RETRYING' then null
                            else round((extract(epoch from coalesce(ended_at, started_at) - started_at) / 60)::numeric, 1) end as minutes
                from system_event where started_at >= :from and started_at < :to order by started_at, id""", p, Rows.MAP);
        for (Map<String, Object> e : events) {
            e.put("kindName", KINDS.getOrDefault((String) e.get("kind"), (String) e.get("kind")));
            e.put("componentName", SystemEventRecorder.COMPONENTS.getOrDefault((String) e.get("component"), (String) e.get("component")));
            e.put("severityName", SEVERITY.getOrDefault((String) e.get("severity"), (String) e.get("severity")));
            if (e.get("ended") == null && "CONSUMER_RETRYING".equals(e.get("kind"))) {
                e.put("ended", "持续中");
            }
        }
        return ReportTable.of("系统运行异常事件").columns(List.of(ReportColumn.text("started", "开始时间", 19),
                        ReportColumn.text("ended", "结束时间", 19), ReportColumn.decimal("minutes", "时长(分钟)"),
                        ReportColumn.text("componentName", "组件", 12), ReportColumn.text("kindName", "事件", 14),
                        ReportColumn.text("severityName", "级别", 6), ReportColumn.count("count", "次数"), ReportColumn.text("message", "说明", 44)))
                .rows(events)
                .figure("异常事件", events.stream().filter(e -> !"PLATFORM_STARTED".equals(e.get("kind"))).count())
                .figure("平台启动次数", events.stream().filter(e -> "PLATFORM_STARTED".equals(e.get("kind"))).count())
                .note("写库失败重试：存储写入、实时数据处理或报警引擎写数据库失败，数据留在接收日志中，恢复后补写，不丢数据；"
                        + "次数为期间失败的批次数。").build();
    }
}
