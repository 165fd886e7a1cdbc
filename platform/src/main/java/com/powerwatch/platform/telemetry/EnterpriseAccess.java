package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Single-object access checks for telemetry: finds the enterprise an object belongs to (404 when there is
 * none) and requires it to be in the caller's scope (403 otherwise).
 */
@Component
public class EnterpriseAccess {

    private final NamedParameterJdbcTemplate jdbc;

    EnterpriseAccess(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Owner(long enterpriseId, String districtCode) {
    }

    public Owner enterprise(long id) {
        return require("企业", id, "select e.id, e.district_code from enterprise e where e.id = :id");
    }

    public Owner facility(long id) {
        return require("设施", id, "select e.id, e.district_code from facility f join enterprise e on e.id = f.enterprise_id where f.id = :id");
    }

    public Owner point(long id) {
        return require("监测点", id, """
                select e.id, e.district_code from monitoring_point mp join facility f on f.id = mp.facility_id
                join enterprise e on e.id = f.enterprise_id where mp.id = :id""");
    }

    private Owner require(String what, long id, String sql) {
        List<Owner> found = jdbc.query(sql, Map.of("id", id), (rs, i) -> new Owner(rs.getLong(1), rs.getString(2)));
        if (found.isEmpty()) {
            throw ApiException.notFound(what, id);
        }
        Owner o = found.get(0);
        AccessScope.current().require(o.districtCode(), o.enterpriseId());
        return o;
    }

    /**
     * SQL: the codes of an industry and everything under it (GB/T 4754 letters do not prefix their divisions), with
     * the named parameter {@code :industry}.
     */
    public static final String INDUSTRY_TREE = """
            (with recursive sub as (select code from industry where code = :industry
                                    union all select i.code from industry i join sub on i.parent_code = sub.code)
             select code from sub)""";
}
