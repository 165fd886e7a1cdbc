package com.powerwatch.platform.auth;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user list one page at a time (GET /api/admin/users/paged), with the names of regions and enterprise. */
class UserListIntegrationTest extends AuthIntegrationTestBase {

    @Test
    void usersArePagedWithTheTotalAndCarryTheNamesOfTheirRegionsAndEnterprise() {
        long[] enterprises = enterprises();
        String admin = AuthTestSupport.adminToken(jdbc);
        String prefix = unique("paged");
        for (int i = 0; i < 5; i++) {
            user(prefix + "-" + i, Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of("610113", "610100"), null);
        }
        long factory = user(prefix + "-factory", Role.ENTERPRISE_USER, GOOD_PASSWORD, List.of(), enterprises[0]);
        String enterpriseName = jdbc.queryForObject("select name from enterprise where id = ?", String.class, enterprises[0]);

        Map<?, ?> first = get(admin, "/api/admin/users/paged?q=" + prefix + "&size=4&page=0").getBody();
        assertEquals(6, ((Number) first.get("total")).intValue(), "total counts every match: " + first);
        List<?> items = (List<?>) first.get("items");
        assertEquals(4, items.size());
        Map<?, ?> officer = (Map<?, ?>) items.get(0);
        assertEquals(prefix + "-0", officer.get("username"), "ordered by username");
        assertEquals(List.of("610100", "610113"), officer.get("regions"));
        assertEquals(List.of("西安市", "雁塔区"), officer.get("regionNames"), "names in the order of the codes");

        Map<?, ?> second = get(admin, "/api/admin/users/paged?q=" + prefix + "&size=4&page=1").getBody();
        List<?> rest = (List<?>) second.get("items");
        assertEquals(2, rest.size());
        Map<?, ?> last = (Map<?, ?>) rest.get(1);
        assertEquals(factory, ((Number) last.get("id")).longValue());
        assertEquals(enterpriseName, last.get("enterpriseName"));

        Map<?, ?> filtered = get(admin, "/api/admin/users/paged?q=" + prefix + "&role=ENTERPRISE_USER").getBody();
        assertEquals(1, ((Number) filtered.get("total")).intValue());

        // API clients have their own page: listed only when asked for
        user(prefix + "-client", Role.API_CLIENT, GOOD_PASSWORD, List.of(), null);
        assertEquals(6, ((Number) get(admin, "/api/admin/users/paged?q=" + prefix).getBody().get("total")).intValue());
        assertEquals(1, ((Number) get(admin, "/api/admin/users/paged?q=" + prefix + "&role=API_CLIENT").getBody().get("total")).intValue());

        ResponseEntity<Map> bad = get(admin, "/api/admin/users/paged?size=0");
        assertEquals(400, bad.getStatusCode().value());
        assertEquals("size", bad.getBody().get("field"));
        String operator = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        assertEquals(403, get(operator, "/api/admin/users/paged").getStatusCode().value());
        assertTrue(((Map<?, ?>) get(admin, "/api/auth/me").getBody()).containsKey("regionNames"));
    }
}
