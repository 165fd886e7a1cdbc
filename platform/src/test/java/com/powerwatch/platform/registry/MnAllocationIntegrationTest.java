package com.powerwatch.platform.registry;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MNs the platform allocates are "district code + 8 digits", drawn at random inside the enterprise's own district (so
 * one MN tells nothing about the next), and nobody registers an MN in another district's range.
 */
class MnAllocationIntegrationTest extends RegistryTestBase {

    String allocate(TestRestTemplate t, long enterprise) {
        return (String) ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + enterprise + "/data-loggers", null), 201).get("mn");
    }

    @Test
    void anOfficerCannotRegisterAnMnInAnotherDistrictsRange() {
        TestRestTemplate officer = as(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        long enterprise = createEnterprise(officer, YANTA);
        String url = "/api/registry/enterprises/" + enterprise + "/data-loggers";
        Map<String, Object> refused = ok(call(officer, HttpMethod.POST, url, Map.of("mn", WEIYANG + "99999999")), 400);
        assertEquals("mn", refused.get("field"));
        assertTrue(String.valueOf(refused.get("message")).contains(WEIYANG), refused.toString());
        assertEquals("mn", ok(call(admin(), HttpMethod.POST, url, Map.of("mn", "61010012345678")), 400).get("field"),
                "the city's code is not this district's range either, whoever asks");
        // its own district's range and MNs of other shapes (a vendor's own numbering) are fine
        ok(call(officer, HttpMethod.POST, url, Map.of("mn", YANTA + String.format("%08d",
                java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000)))), 201);
        ok(call(officer, HttpMethod.POST, url, Map.of("mn", unique("VENDOR"))), 201);
        // and Weiyang still allocates
        long weiyang = createEnterprise(admin(), WEIYANG);
        assertTrue(allocate(admin(), weiyang).startsWith(WEIYANG));
    }

    @Test
    void allocationIsRandomWithinTheDistrictAndSurvivesTheTopOfTheRange() {
        TestRestTemplate t = admin();
        long enterprise = createEnterprise(t, YANTA);
        // the top of the range taken: a "max + 1" allocator would fail for the district from now on
        call(t, HttpMethod.POST, "/api/registry/enterprises/" + enterprise + "/data-loggers", Map.of("mn", YANTA + "99999999"));
        Set<Long> numbers = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String mn = allocate(t, enterprise);
            assertTrue(mn.matches(YANTA + "\\d{8}"), mn);
            numbers.add(Long.parseLong(mn.substring(6)));
        }
        assertEquals(5, numbers.size());
        List<Long> sorted = numbers.stream().sorted().toList();
        boolean sequential = true;
        for (int i = 1; i < sorted.size(); i++) {
            sequential &= sorted.get(i) - sorted.get(i - 1) == 1;
        }
        assertFalse(sequential, "one allocated MN does not give away the next: " + sorted);
    }
}
