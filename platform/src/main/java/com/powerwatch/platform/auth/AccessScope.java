package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which enterprises the current caller may see. Every query that returns enterprise data adds
 * {@link #enterpriseFilter(String)} to its WHERE clause, so scoping is enforced in the database, not in the UI.
 *
 * <p>A region code covers everything under it: {@code 610100} (a city) → prefix {@code 6101},
 * {@code 610000} (a province) → prefix {@code 61}, {@code 610113} (a district) → itself.
 *
 * @param everything   city administrator, operator, unscoped API client
 * @param districtPrefixes district-code prefixes the caller may see (district officer, scoped API client)
 * @param enterpriseId the only enterprise an enterprise user may see
 */
public record AccessScope(boolean everything, List<String> districtPrefixes, Long enterpriseId) {

    public static final AccessScope ALL = new AccessScope(true, List.of(), null);

    public AccessScope {
        districtPrefixes = List.copyOf(districtPrefixes);
    }

    /** The scope of the authenticated caller of this request (or of this thread); never null. */
    public static AccessScope current() {
        return of(currentUser());
    }

    /** The authenticated caller; throws {@link AccessDeniedException} when there is none. */
    public static PowerWatchUser currentUser() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof PowerWatchUser user) {
            return user;
        }
        throw new AccessDeniedException("请先登录");
    }

    static AccessScope of(PowerWatchUser user) {
        return switch (user.role()) {
            case CITY_ADMIN, OPERATOR -> ALL;
            case ENTERPRISE_USER -> new AccessScope(false, List.of(), user.enterpriseId());
            case DISTRICT_OFFICER -> new AccessScope(false, prefixes(user.regionCodes()), null);
            case API_CLIENT -> user.regionCodes().isEmpty() ? ALL : new AccessScope(false, prefixes(user.regionCodes()), null);
        };
    }

    static List<String> prefixes(List<String> regionCodes) {
        List<String> out = new ArrayList<>();
        for (String code : regionCodes) {
            out.add(trimRegion(code));
        }
        return out;
    }

    private static String trimRegion(String code) {
        String c = code.trim();
        while (c.length() > 2 && c.endsWith("00")) {
            c = c.substring(0, c.length() - 2);
        }
        return c;
    }

    /**
     * A region code given as a filter (query parameter {@code field}) as a district-code prefix: 610100 (a city) →
     * 6101, 610000 (a province) → 61, 610113 (a district) → itself. Not 6 digits → 400 on {@code field}.
     */
    public static String regionPrefix(String field, String code) {
        if (code == null || !code.trim().matches("\\d{6}")) {
            throw ApiException.badRequest(field, "行政区划代码须为6位数字：" + code);
        }
        return trimRegion(code);
    }

    /** Whether an enterprise in this district with this id is visible. */
    public boolean allows(String districtCode, long enterprise) {
        if (everything) {
            return true;
        }
        if (enterpriseId != null) {
            return enterpriseId == enterprise;
        }
        return districtCode != null && districtPrefixes.stream().anyMatch(districtCode::startsWith);
    }

    /** Like {@link #allows} but throws 403 (as {@link AccessDeniedException}) when not visible. */
    public void require(String districtCode, long enterprise) {
        if (!allows(districtCode, enterprise)) {
            throw new AccessDeniedException("编号为 " + enterprise + " 的企业不在您的管辖范围内");
        }
    }

    /**
     * A SQL condition on the enterprise table aliased {@code alias}, with named parameters
     * {@code :scopePrefixes} / {@code :scopeEnterprise}; add {@link #parameters()} to the query's parameters.
     * Example: {@code "select … from enterprise e where " + scope.enterpriseFilter("e")}.
     */
    public String enterpriseFilter(String alias) {
        if (everything) {
            return "true";
        }
        if (enterpriseId != null) {
            return alias + ".id = :scopeEnterprise";
        }
        if (districtPrefixes.isEmpty()) {
            return "false";
        }
        return alias + ".district_code like any (array[:scopePrefixes])";
    }

    /** The named parameters {@link #enterpriseFilter} refers to (a list, expanded by Spring's named-parameter support). */
    public Map<String, Object> parameters() {
        if (enterpriseId != null) {
            return Map.of("scopeEnterprise", enterpriseId);
        }
        return Map.of("scopePrefixes", districtPrefixes.stream().map(p -> p + "%").toList());
    }
}
