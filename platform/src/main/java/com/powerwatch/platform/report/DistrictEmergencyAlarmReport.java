package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * 区县应急报警统计: per district, the enterprises under emergency stop/limit orders in the period and the alarms they
 * raised while under them — 停产期间生产, 限产不达标, treatment alarms, others — and how many were handled.
 */
@Component
class DistrictEmergencyAlarmReport implements NamedReport {

    private final NamedParameterJdbcTemplate jdbc;

    DistrictEmergencyAlarmReport(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String code() {
        return "DISTRICT_EMERGENCY_ALARMS";
    }

    @Override
    public String title() {
        return "区县应急报警统计";
    }

    @Override
    public String description() {
        return "各区县应急管控（停产、限产）企业数，以及管控期间的报警：停产期间生产、限产不达标、治污设施类及处置情况";
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        List<Map<String, Object>> rows = jdbc.query(EmergencyOrders.windows(q, p) + """
                , per_district as (
                  select e.district_code, count(distinct ow.enterprise_id) as enterprises,
                         count(distinct ow.order_id) filter (where ow.kind = 'STOP') as stop_orders,
                         count(distinct ow.order_id) filter (where ow.kind = 'LIMIT') as limit_orders
                  from ow join enterprise e on e.id = ow.enterprise_id group by 1),
                alarms as (
                  select e.district_code, a.type, t.category, a.handling from alarm a
                  join enterprise e on e.id = a.enterprise_id join alarm_type t on t.code = a.type
                  where exists (select 1 from ow where ow.enterprise_id = a.enterprise_id and a.started_at >= ow.wf and a.started_at < ow.wt))
                select d.district_code as key, coalesce(r.name, d.district_code) as district, d.enterprises, d.stop_orders, d.limit_orders,
                       count(al.type) as alarms,
                       count(al.type) filter (where al.type = 'PRODUCTION_DURING_STOP') as during_stop,
                       count(al.type) filter (where al.type = 'LIMIT_NOT_KEPT') as limit_not_kept,
                       count(al.type) filter (where al.category = 'TREATMENT') as treatment,
                       count(al.type) filter (where al.type not in ('PRODUCTION_DURING_STOP', 'LIMIT_NOT_KEPT') and al.category <> 'TREATMENT') as other,
                       count(al.type) filter (where al.handling <> 'UNCONFIRMED') as disposed
                from per_district d left join region r on r.code = d.district_code
                left join alarms al on al.district_code = d.district_code
                group by d.district_code, r.name, d.enterprises, d.stop_orders, d.limit_orders
                order by alarms desc, d.district_code""", p, Rows.MAP);
        for (Map<String, Object> r : rows) {
            r.put("disposedRate", Figures.percent(Rows.n(r, "disposed"), Rows.n(r, "alarms")));
        }
        ReportTable.Builder t = ReportTable.of(title()).columns(List.of(ReportColumn.text("district", "区县", 12),
                        ReportColumn.count("enterprises", "管控企业数"), ReportColumn.count("stop_orders", "停产令"),
                        ReportColumn.count("limit_orders", "限产令"), ReportColumn.count("alarms", "管控期间报警"),
                        ReportColumn.count("during_stop", "停产期间生产"), ReportColumn.count("limit_not_kept", "限产不达标"),
                        ReportColumn.count("treatment", "治污设施类"), ReportColumn.count("other", "其他报警"),
                        ReportColumn.count("disposed", "已处置"), ReportColumn.percent("disposedRate", "处置率")))
                .rows(rows).sumTotal("合计");
        Map<String, Object> total = t.build().total();
        t.total("disposedRate", Figures.percent(Rows.n(total, "disposed"), Rows.n(total, "alarms")));
        return List.of(t.figure("管控企业数", Rows.n(total, "enterprises")).figure("管控期间报警", Rows.n(total, "alarms"))
                .note("管控 = 重污染天气应急下达的停产、限产令（来源为应急）在本期内的有效时段（提前撤销的至撤销时）；"
                        + "管控期间报警 = 企业在其管控时段内开始的报警；已处置 = 已确认、已处理或已取消。")
                .build());
    }
}
