package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.Times;
import com.powerwatch.platform.emergency.plan.Scope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The measures of a warning as a scoped, paged list with their orders and baselines. */
@Component
class WarningMeasureList {

    private final NamedParameterJdbcTemplate jdbc;

    WarningMeasureList(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, Object> list(long warningId, String district, String measure, boolean current, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters()).addValue("w", warningId);
        StringBuilder w = new StringBuilder(" where m.warning_id = :w and ").append(scope.enterpriseFilter("e"));
        if (district != null && !district.isBlank()) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", district) + "%");
        }
        if (measure != null && !measure.isBlank()) {
            w.append(" and m.measure = :measure");
            p.addValue("measure", measure.trim());
        }
        if (current) {
            // the measures of the level now in force: those running until the warning's (current) end
            w.append(" and m.status = 'ACTIVE' and m.valid_to = (select ends_at from emergency_warning where id = :w)");
        }
        int safeSize = Math.max(1, Math.min(size, 500));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        String from = " from emergency_measure m join enterprise e on e.id = m.enterprise_id left join region r on r.code = e.district_code"
                + " left join production_order o on o.id = m.production_order_id left join emergency_plan pl on pl.id = m.plan_id";
        Long total = jdbc.queryForObject("select count(*)" + from + w, p, Long.class);
        List<Map<String, Object>> items = jdbc.query("""
                select m.id, m.enterprise_id, e.name, e.district_code, r.name as district_name, m.level, m.grade, m.measure, m.limit_percent,
                       m.facility_ids, pl.scope, m.valid_from, m.valid_to, m.status, m.rotation_picked, m.production_order_id,
                       o.status as order_status, o.baseline_kw, o.baseline_method, o.baseline_note""" + from + w
                + " order by m.valid_from, e.district_code, e.name limit :limit offset :offset", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("enterpriseId", rs.getLong("enterprise_id"));
            m.put("enterpriseName", rs.getString("name"));
            m.put("districtCode", rs.getString("district_code"));
            m.put("districtName", rs.getString("district_name"));
            m.put("level", rs.getString("level"));
            m.put("grade", rs.getString("grade"));
            m.put("measure", rs.getString("measure"));
            m.put("limitPercent", rs.getBigDecimal("limit_percent"));
            Array ids = rs.getArray("facility_ids");
            m.put("facilityIds", ids == null ? null : List.of((Object[]) ids.getArray()));
            m.put("scope", rs.getString("scope") == null ? null : Scope.valueOf(rs.getString("scope")).name());
            m.put("validFrom", Times.china(rs.getTimestamp("valid_from")));
            m.put("validTo", Times.china(rs.getTimestamp("valid_to")));
            m.put("status", rs.getString("status"));
            m.put("rotationPicked", rs.getBoolean("rotation_picked"));
            m.put("productionOrderId", rs.getObject("production_order_id"));
            m.put("orderStatus", rs.getString("order_status"));
            m.put("baselineKw", rs.getObject("baseline_kw"));
            m.put("baselineMethod", rs.getString("baseline_method"));
            m.put("baselineNote", rs.getString("baseline_note"));
            return m;
        });
        return Map.of("items", items, "total", total == null ? 0 : total, "page", safePage, "size", safeSize);
    }
}
