package com.powerwatch.platform.report;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scope as the archive keys it, and the scope of a user who is not the caller (a subscriber, a template's owner):
 * {@code ALL}, {@code R:<district prefixes, sorted>} or {@code E:<enterprise id>}. Two people whose scopes are equal
 * share one archived report; a user lists exactly the reports of their own scope (all of them when it is everything).
 */
@Component
public class ReportScopes {

    private final JdbcTemplate jdbc;

    ReportScopes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static String key(AccessScope scope) {
        if (scope.everything()) {
            return "ALL";
        }
        if (scope.enterpriseId() != null) {
            return "E:" + scope.enterpriseId();
        }
        return "R:" + scope.districtPrefixes().stream().sorted().distinct().collect(Collectors.joining(","));
    }

    /** The scope of an enabled user now (their role, regions or enterprise as stored); null when the user is gone or disabled. */
    public PowerWatchUser user(long userId) {
        List<PowerWatchUser> found = jdbc.query("select id, username, role, enterprise_id from app_user where id = ? and enabled",
                (rs, i) -> new PowerWatchUser(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        jdbc.queryForList("select region_code from app_user_region where user_id = ? order by region_code", String.class,
                                rs.getLong("id")), (Long) rs.getObject("enterprise_id"), false), userId);
        return found.isEmpty() ? null : found.get(0);
    }
}
