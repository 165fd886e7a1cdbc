package com.powerwatch.platform.dashboard;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.telemetry.RealtimeState;
import com.powerwatch.platform.telemetry.RealtimeState.Glance;
import com.powerwatch.platform.telemetry.RealtimeState.Status;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the map and the overview know of each enterprise in the caller's scope: one SQL query (registry facts, open
 * alarms, production orders in force) joined in memory with the real-time state's {@link Glance}.
 */
@Component
class EnterpriseFacts {

    /** Alarms that are open: active and not cancelled (the real-time list's definition, AlarmQueries). */
    static final String OPEN_ALARM = "a.status = 'ACTIVE' and a.handling <> 'CANCELLED'";
    /** Production orders (停产/限产) in force now. */
    static final String ORDER_IN_FORCE = "o.status = 'ACTIVE' and o.valid_from <= now() and o.valid_to > now()";
    /** Alarm types that say an order is not kept. */
    static final String ORDER_ALARMS = "('PRODUCTION_DURING_STOP', 'LIMIT_NOT_KEPT')";
    /** Enterprises that are supervised: closed ones are left out. */
    static final String SUPERVISED = "e.status <> 'CLOSED'";

    enum MapState { ALARM, ORDERED, OFFLINE, STOPPED, NORMAL }

    /** 限停: no order in force, an order kept, an order not kept (an open order alarm). */
    enum OrderState { NONE, KEPT, VIOLATED }

    /** 通讯: every point online, some offline, none online (or no points). */
    enum Comm { ONLINE, PARTIAL, OFFLINE }

    record Fact(long id, String name, Double lng, Double lat, String districtCode, String districtName, String industryCode,
                String industryName, int openAlarms, String maxAlarmLevel, String orderKind, boolean orderAlarm,
                Glance glance) {

        /** The row's common columns: id, name, district and industry with their names. */
        Map<String, Object> basics() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("districtCode", districtCode);
            m.put("districtName", districtName);
            m.put("industryCode", industryCode);
            m.put("industryName", industryName);
            return m;
        }

        Status state() {
            return glance == null ? Status.UNKNOWN : glance.state();
        }

        /** Open alarms → under an order in force → offline (or nothing known) → stopped → normal. */
        MapState mapState() {
            if (openAlarms > 0) {
                return MapState.ALARM;
            }
            if (orderKind != null) {
                return MapState.ORDERED;
            }
            return switch (state()) {
                case OFFLINE, UNKNOWN -> MapState.OFFLINE;
                case STOPPED -> MapState.STOPPED;
                default -> MapState.NORMAL;
            };
        }

        OrderState orderState() {
            return orderKind == null ? OrderState.NONE : orderAlarm ? OrderState.VIOLATED : OrderState.KEPT;
        }

        Status production() {
            return glance == null ? Status.UNKNOWN : glance.production();
        }

        /** Null when the enterprise has no treatment facility. */
        Status treatment() {
            return glance == null ? Status.UNKNOWN : glance.treatment();
        }

        Comm comm() {
            if (glance == null || glance.pointsOnline() == 0) {
                return Comm.OFFLINE;
            }
            return glance.pointsOnline() == glance.points() ? Comm.ONLINE : Comm.PARTIAL;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final RealtimeState realtime;

    EnterpriseFacts(NamedParameterJdbcTemplate jdbc, RealtimeState realtime) {
        this.jdbc = jdbc;
        this.realtime = realtime;
    }

    /**
     * The supervised enterprises in the caller's scope that also satisfy {@code filter} (an SQL condition on
     * {@code e}, with its parameters in {@code params}; null for none), ordered by id.
     */
    List<Fact> load(String filter, Map<String, Object> params) {
        AccessScope scope = AccessScope.current();
        Map<String, Object> p = new HashMap<>(scope.parameters());
        if (params != null) {
            p.putAll(params);
        }
        String sql = """
                select e.id, e.name, e.longitude, e.latitude, e.district_code, r.name as district_name, e.industry_code,
                       i.name as industry_name, coalesce(al.n, 0) as open_alarms, al.max_level, al.order_alarm, o.kind
                from enterprise e
                left join region r on r.code = e.district_code
                left join industry i on i.code = e.industry_code
                left join (select a.enterprise_id, count(*) as n, min(a.level) as max_level,
                                  bool_or(a.type in %s) as order_alarm
                           from alarm a where %s group by a.enterprise_id) al on al.enterprise_id = e.id
                left join (select o.enterprise_id, max(o.kind) as kind from production_order o where %s
                           group by o.enterprise_id) o on o.enterprise_id = e.id
                where %s and %s and %s
                order by e.id""".formatted(ORDER_ALARMS, OPEN_ALARM, ORDER_IN_FORCE, scope.enterpriseFilter("e"),
                SUPERVISED, filter == null ? "true" : filter);
        // LEVEL_1 < LEVEL_2 < LEVEL_3 < NOTICE as text: min(level) is the most severe; max(kind) = STOP over LIMIT
        Map<Long, Glance> glances = realtime.glances();
        List<Fact> out = new ArrayList<>();
        jdbc.query(sql, p, rs -> {
            long id = rs.getLong("id");
            out.add(new Fact(id, rs.getString("name"), (Double) rs.getObject("longitude"), (Double) rs.getObject("latitude"),
                    rs.getString("district_code"), rs.getString("district_name"), rs.getString("industry_code"),
                    rs.getString("industry_name"), rs.getInt("open_alarms"), rs.getString("max_level"),
                    rs.getString("kind"), rs.getBoolean("order_alarm"), glances.get(id)));
        });
        return out;
    }
}
