package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Every object below an enterprise (line, facility, logger, point, association) is reached through its enterprise:
 * this finds that enterprise (404 when the object does not exist) and checks the caller's scope on it (403).
 */
@Component
public class RegistryAccess {

    /** The enterprise an object belongs to. */
    public record Owner(long enterpriseId, String districtCode) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public RegistryAccess(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Owner enterprise(long id) {
        return owner("select e.id, e.district_code from enterprise e where e.id = :id", id, "企业");
    }

    public Owner line(long id) {
        return owner("select e.id, e.district_code from production_line l join enterprise e on e.id = l.enterprise_id where l.id = :id",
                id, "生产线");
    }

    public Owner facility(long id) {
        return owner("select e.id, e.district_code from facility f join enterprise e on e.id = f.enterprise_id where f.id = :id",
                id, "设施");
    }

    public Owner point(long id) {
        return owner("""
                select e.id, e.district_code from monitoring_point p join facility f on f.id = p.facility_id
                join enterprise e on e.id = f.enterprise_id where p.id = :id""", id, "监测点");
    }

    public Owner thresholdProposal(long id) {
        return owner("""
                select e.id, e.district_code from threshold_proposal t join facility f on f.id = t.facility_id
                join enterprise e on e.id = f.enterprise_id where t.id = :id""", id, "阈值提案");
    }

    public Owner dataLogger(String mn) {
        return owner("select e.id, e.district_code from data_logger d join enterprise e on e.id = d.enterprise_id where d.mn = :id",
                mn, "数采仪");
    }

    private Owner owner(String sql, Object id, String what) {
        List<Owner> found = jdbc.query(sql, Map.of("id", id),
                (rs, i) -> new Owner(rs.getLong(1), rs.getString(2)));
        if (found.isEmpty()) {
            throw ApiException.notFound(what, id);
        }
        Owner owner = found.get(0);
        AccessScope.current().require(owner.districtCode(), owner.enterpriseId());
        return owner;
    }

    /** A district officer may only place enterprises in districts of their scope (403 otherwise). */
    public static void requireDistrictInScope(String districtCode) {
        AccessScope scope = AccessScope.current();
        if (scope.everything()) {
            return;
        }
        if (scope.enterpriseId() != null || scope.districtPrefixes().stream().noneMatch(districtCode::startsWith)) {
            throw new org.springframework.security.access.AccessDeniedException("区县 " + districtCode + " 不在您的管辖范围内");
        }
    }
}
