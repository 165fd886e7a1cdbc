package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.Role;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whom an alarm can be dispatched to (派发), for the dispatch dialog: the enabled officers whose regions cover the
 * enterprise's district and the administrators, and the units (the district and the regions above it). The same
 * rules as {@link AlarmHandling#dispatch}, which stays the guard.
 */
@Component
class DispatchCandidates {

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmQueries queries;

    DispatchCandidates(NamedParameterJdbcTemplate jdbc, AlarmQueries queries) {
        this.jdbc = jdbc;
        this.queries = queries;
    }

    Map<String, Object> of(long alarmId) {
        Map<String, Object> alarm = queries.find(alarmId);
        String district = (String) alarm.get("districtCode");
        AccessScope.current().require(district, ((Number) alarm.get("enterpriseId")).longValue());
        Role role = AccessScope.currentUser().role();
        if (role != Role.CITY_ADMIN && role != Role.DISTRICT_OFFICER) {
            throw AlarmHandling.forbidden("only officers and administrators dispatch alarms");
        }
        Map<String, Object> p = Map.of("district", district);
        List<Map<String, Object>> users = jdbc.query("""
                select u.id, u.username, u.display_name, u.role,
                       coalesce(string_agg(coalesce(r.name, ur.region_code), '、' order by ur.region_code), '') as regions
                from app_user u left join app_user_region ur on ur.user_id = u.id left join region r on r.code = ur.region_code
                where u.enabled and (u.role = 'CITY_ADMIN' or (u.role = 'DISTRICT_OFFICER' and exists (
                      select 1 from app_user_region x where x.user_id = u.id
                      and :district like regexp_replace(x.region_code, '(00)+$', '') || '%')))
                group by u.id order by case u.role when 'DISTRICT_OFFICER' then 0 else 1 end, u.username limit 500""", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("username", rs.getString("username"));
            m.put("displayName", rs.getString("display_name"));
            m.put("role", rs.getString("role"));
            m.put("regions", rs.getString("regions"));
            return m;
        });
        List<Map<String, Object>> units = jdbc.query("""
                with recursive up as (select code, name, level, parent_code from region where code = :district
                                      union all select r.code, r.name, r.level, r.parent_code from region r join up on r.code = up.parent_code)
                select code, name, level from up order by level desc""", p, (rs, i) -> Map.<String, Object>of(
                "code", rs.getString("code"), "name", rs.getString("name"), "level", rs.getInt("level")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", users);
        out.put("units", units);
        return out;
    }
}
