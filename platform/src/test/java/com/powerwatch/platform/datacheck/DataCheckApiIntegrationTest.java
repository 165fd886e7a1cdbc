package com.powerwatch.platform.datacheck;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-check API: manual runs, summary, per-enterprise list, findings filters, scoping and bad input. */
@SuppressWarnings({"unchecked", "rawtypes"})
class DataCheckApiIntegrationTest extends DataCheckTestSupport {

    private static final String LINTONG = "610115";
    private static final String CHANGAN = "610116";

    @Autowired
    TestRestTemplate anonymous;

    TestRestTemplate operator;
    long a1;
    long a2;
    long b1;

    @BeforeEach
    void scenario() {
        baseData();
        operator = AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null));
        a1 = enterprise(LINTONG, null, "2611");       // no credit code, nothing registered: 5 findings
        a2 = completeEnterprise(LINTONG)[0];           // clean
        long[] b = completeEnterprise(CHANGAN);        // industry only a 中类: 1 finding
        b1 = b[0];
        jdbc.update("update enterprise set industry_code = '261' where id = ?", b1);
    }

    private Map<String, Object> startRun(TestRestTemplate as, Map<String, Object> body) {
        ResponseEntity<Map> r = as.postForEntity("/api/data-checks/runs", body, Map.class);
        assertEquals(HttpStatus.CREATED, r.getStatusCode(), () -> String.valueOf(r.getBody()));
        return r.getBody();
    }

    private long scenarioRun() {
        Map<String, Object> run = startRun(operator, Map.of("day", DAY.toString(), "enterpriseIds", List.of(a1, a2, b1)));
        assertEquals("SUCCEEDED", run.get("status"));
        return ((Number) run.get("id")).longValue();
    }

    private static Map<String, Object> get(TestRestTemplate as, String url) {
        ResponseEntity<Map> r = as.getForEntity(url, Map.class);
        assertEquals(HttpStatus.OK, r.getStatusCode(), () -> url + " → " + r.getBody());
        return r.getBody();
    }

    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    void manualRunSummaryEnterpriseListAndFindings() {
        Map<String, Object> run = startRun(operator, Map.of("day", DAY.toString(), "enterpriseIds", List.of(a1, a2, b1)));
        long id = number(run.get("id"));
        assertEquals("SUCCEEDED", run.get("status"));
        assertEquals("MANUAL", run.get("trigger"));
        assertEquals(DAY.toString(), run.get("checkDay"));
        assertEquals(3, number(run.get("enterprisesChecked")));
        assertEquals(6, number(run.get("findings")));
        Map<String, Object> byRule = (Map<String, Object>) run.get("findingsByRule");
        assertEquals(Map.of("EMPTY_CREDIT_CODE", 1, "ENTERPRISE_NO_POINT", 1, "NO_TOTAL_METER", 1, "PRODUCTION_NO_FACILITY", 1,
                "NO_TREATMENT_FACILITY", 1, "INDUSTRY_NOT_SUBCLASS", 1), byRule);

        Map<String, Object> summary = get(operator, "/api/data-checks/summary?run=" + id);
        List<Map<String, Object>> districts = (List<Map<String, Object>>) summary.get("districts");
        assertEquals(2, districts.size());
        Map<String, Object> lintong = districts.get(0);
        assertEquals(LINTONG, lintong.get("districtCode"));
        assertEquals("临潼区", lintong.get("districtName"));
        assertEquals(2, number(lintong.get("enterprisesChecked")));
        assertEquals(1, number(lintong.get("enterprisesWithFindings")));
        assertEquals(5, number(lintong.get("findings")));
        assertEquals(Map.of("ARCHIVE_COMPLETENESS", 1, "COLLECTION_COMPLETENESS", 4), lintong.get("byCategory"));
        Map<String, Object> changan = districts.get(1);
        assertEquals(1, number(changan.get("enterprisesWithFindings")));
        assertEquals(Map.of("INDUSTRY_NOT_SUBCLASS", 1), changan.get("byRule"));
        Map<String, Object> total = (Map<String, Object>) summary.get("total");
        assertEquals(3, number(total.get("enterprisesChecked")));
        assertEquals(6, number(total.get("findings")));

        Map<String, Object> withFindings = get(operator, "/api/data-checks/enterprises?run=" + id);
        assertEquals(2, number(withFindings.get("total")));
        List<Map<String, Object>> rows = items(withFindings);
        assertEquals(List.of(a1, b1), rows.stream().map(r -> number(r.get("enterpriseId"))).toList(), "most findings first");
        assertEquals(5, ((Map<?, ?>) rows.get(0).get("byRule")).size());
        Map<String, Object> all = get(operator, "/api/data-checks/enterprises?run=" + id + "&onlyWithFindings=false&sort=findings&direction=asc");
        assertEquals(3, number(all.get("total")));
        assertEquals(a2, number(items(all).get(0).get("enterpriseId")));
        assertEquals(0, number(items(all).get(0).get("findings")));
        Map<String, Object> byDistrictRule = get(operator, "/api/data-checks/enterprises?run=" + id + "&rule=INDUSTRY_NOT_SUBCLASS");
        assertEquals(List.of(b1), items(byDistrictRule).stream().map(r -> number(r.get("enterpriseId"))).toList());

        Map<String, Object> credit = get(operator, "/api/data-checks/findings?run=" + id + "&rule=EMPTY_CREDIT_CODE");
        assertEquals(1, number(credit.get("total")));
        Map<String, Object> f = items(credit).get(0);
        assertEquals(a1, number(f.get("enterpriseId")));
        assertEquals("社会信用代码为空", f.get("ruleName"));
        assertEquals("ENTERPRISE", f.get("objectType"));
        assertTrue(((Map<?, ?>) f.get("evidence")).containsKey("creditCode"));
        assertNull(((Map<?, ?>) f.get("evidence")).get("creditCode"));
        assertEquals(1, number(get(operator, "/api/data-checks/findings?run=" + id + "&district=" + CHANGAN).get("total")));
        assertEquals(4, number(get(operator, "/api/data-checks/findings?run=" + id + "&category=COLLECTION_COMPLETENESS").get("total")));
        Map<String, Object> paged = get(operator, "/api/data-checks/findings?run=" + id + "&enterprise=" + a1 + "&size=2&page=1");
        assertEquals(5, number(paged.get("total")));
        assertEquals(2, items(paged).size());
    }

    @Test
    void readsAreScopedAndOnlyAdminsAndOperatorsStartRuns() {
        long id = scenarioRun();
        TestRestTemplate officer = AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(LINTONG), null));
        Map<String, Object> findings = get(officer, "/api/data-checks/findings?run=" + id + "&size=100");
        assertEquals(5, number(findings.get("total")));
        assertTrue(items(findings).stream().allMatch(f -> LINTONG.equals(f.get("districtCode"))));
        assertEquals(0, number(get(officer, "/api/data-checks/findings?run=" + id + "&enterprise=" + b1).get("total")));
        List<Map<String, Object>> districts = (List<Map<String, Object>>) get(officer, "/api/data-checks/summary?run=" + id).get("districts");
        assertEquals(List.of(LINTONG), districts.stream().map(d -> d.get("districtCode")).toList());
        assertEquals(List.of(a1), items(get(officer, "/api/data-checks/enterprises?run=" + id)).stream()
                .map(r -> number(r.get("enterpriseId"))).toList());
        Map<String, Object> run = get(officer, "/api/data-checks/runs/" + id);
        assertEquals(5, number(run.get("findings")));
        assertEquals(2, number(run.get("enterprisesChecked")));

        ResponseEntity<Map> denied = officer.postForEntity("/api/data-checks/runs", Map.of("day", DAY.toString()), Map.class);
        assertEquals(HttpStatus.FORBIDDEN, denied.getStatusCode());

        TestRestTemplate company = AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), b1));
        Map<String, Object> own = get(company, "/api/data-checks/findings?run=" + id);
        assertEquals(1, number(own.get("total")));
        assertEquals(b1, number(items(own).get(0).get("enterpriseId")));
        assertEquals(HttpStatus.FORBIDDEN, company.postForEntity("/api/data-checks/runs", Map.of(), Map.class).getStatusCode());

        TestRestTemplate city = AuthTestSupport.as(anonymous, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610100"), null));
        assertEquals(6, number(get(city, "/api/data-checks/findings?run=" + id).get("total")));

        assertEquals(HttpStatus.UNAUTHORIZED, anonymous.getForEntity("/api/data-checks/rules", Map.class).getStatusCode());
    }

    @Test
    void aFailingRuleIsRecordedAndTheOthersStillRun() {
        BrokenRule.fail = true;
        try {
            Map<String, Object> run = startRun(operator, Map.of("day", DAY.toString(),
                    "rules", List.of("TEST_BROKEN", "EMPTY_CREDIT_CODE"), "enterpriseIds", List.of(a1)));
            assertEquals("PARTIAL", run.get("status"));
            assertEquals(1, number(run.get("findings")));
            Map<String, Object> errors = (Map<String, Object>) run.get("ruleErrors");
            assertEquals(List.of("TEST_BROKEN"), List.copyOf(errors.keySet()));
            assertTrue(String.valueOf(errors.get("TEST_BROKEN")).contains("broken on purpose"));
        } finally {
            BrokenRule.fail = false;
        }
    }

    @Test
    void badParametersAreRejectedWithTheField() {
        LocalDate tomorrow = LocalDate.now(CheckContext.CHINA).plusDays(1);
        assertBad(operator.postForEntity("/api/data-checks/runs", Map.of("day", tomorrow.toString()), Map.class), "day");
        assertBad(operator.postForEntity("/api/data-checks/runs", Map.of("rules", List.of("NOPE")), Map.class), "rules");
        assertBad(operator.postForEntity("/api/data-checks/runs", Map.of("rules", List.of()), Map.class), "rules");
        assertBad(operator.postForEntity("/api/data-checks/runs", Map.of("enterpriseIds", List.of(a1, 987654321L)), Map.class), "enterpriseIds");
        assertBad(operator.postForEntity("/api/data-checks/runs", Map.of("day", "2026-13-40"), Map.class), null);
        long id = scenarioRun();
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&size=0", Map.class), "size");
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&page=-1", Map.class), "page");
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&rule=NOPE", Map.class), "rule");
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&category=NOPE", Map.class), "category");
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&district=61", Map.class), "district");
        assertBad(operator.getForEntity("/api/data-checks/findings?run=" + id + "&enterprise=x", Map.class), "enterprise");
        assertBad(operator.getForEntity("/api/data-checks/enterprises?run=" + id + "&sort=bogus", Map.class), "sort");
        assertBad(operator.getForEntity("/api/data-checks/enterprises?run=" + id + "&direction=up", Map.class), "direction");
        assertBad(operator.getForEntity("/api/data-checks/summary?run=abc", Map.class), "run");
        assertEquals(HttpStatus.NOT_FOUND, operator.getForEntity("/api/data-checks/summary?run=987654321", Map.class).getStatusCode());
        assertEquals(HttpStatus.NOT_FOUND, operator.getForEntity("/api/data-checks/runs/987654321", Map.class).getStatusCode());
    }

    private static void assertBad(ResponseEntity<Map> r, String field) {
        assertEquals(HttpStatus.BAD_REQUEST, r.getStatusCode(), () -> String.valueOf(r.getBody()));
        assertEquals("INVALID", r.getBody().get("error"));
        if (field != null) {
            assertEquals(field, r.getBody().get("field"), () -> String.valueOf(r.getBody()));
        }
    }

    @Test
    void rulesListEveryRuleWithItsConfiguredNumbers() {
        ResponseEntity<List> r = operator.getForEntity("/api/data-checks/rules", List.class);
        assertEquals(HttpStatus.OK, r.getStatusCode());
        List<Map<String, Object>> rules = r.getBody();
        List<String> codes = rules.stream().map(x -> (String) x.get("code")).toList();
        assertTrue(codes.containsAll(List.of("ENTERPRISE_NO_POINT", "NO_TOTAL_METER", "PRODUCTION_NO_FACILITY",
                "PRODUCTION_FACILITY_NO_POINT", "PRODUCTION_NO_THRESHOLD", "NO_TREATMENT_FACILITY", "TREATMENT_FACILITY_NO_POINT",
                "TREATMENT_NO_THRESHOLD", "NO_DATA_AFTER_GO_LIVE", "NEGATIVE_ENERGY", "ENERGY_OVER_25X_MAX_LOAD",
                "ENERGY_ABNORMALLY_LARGE", "PROD_TREAT_OVER_TOTAL", "NEGATIVE_POWER", "CONSTANT_POWER",
                "INDUSTRY_NOT_SUBCLASS", "EMPTY_CREDIT_CODE")), () -> codes.toString());
        Map<String, Object> over = rules.stream().filter(x -> x.get("code").equals("ENERGY_OVER_25X_MAX_LOAD")).findFirst().orElseThrow();
        assertEquals("采集数据质量", over.get("categoryZh"));
        assertTrue(((String) over.get("definition")).contains("25 倍"), () -> String.valueOf(over));
        Map<String, Object> constant = rules.stream().filter(x -> x.get("code").equals("CONSTANT_POWER")).findFirst().orElseThrow();
        assertTrue(((String) constant.get("definition")).contains("12"));
        assertEquals(25.0, ((Number) get(operator, "/api/data-checks/settings").get("maxLoadFactor")).doubleValue());
    }

    @Test
    void aFullRunChecksEveryRuleAndBecomesLatest() {
        Map<String, Object> run = startRun(operator, Map.of());
        assertEquals("SUCCEEDED", run.get("status"), () -> String.valueOf(run.get("ruleErrors")));
        assertEquals(LocalDate.now(CheckContext.CHINA).minusDays(1).toString(), run.get("checkDay"));
        assertNull(run.get("rules"));
        assertTrue(number(run.get("enterprisesChecked")) >= 3);
        long id = number(run.get("id"));
        scenarioRun(); // a restricted run afterwards does not replace the full one as "latest"
        assertEquals(id, number(get(operator, "/api/data-checks/runs/latest").get("id")));
        assertEquals(id, number(((Map<?, ?>) get(operator, "/api/data-checks/summary").get("run")).get("id")));
        List<Map<String, Object>> runs = items(get(operator, "/api/data-checks/runs?size=5"));
        assertTrue(runs.stream().anyMatch(x -> number(x.get("id")) == id));
    }
}
