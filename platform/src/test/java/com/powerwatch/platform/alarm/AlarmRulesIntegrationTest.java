package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule parameters per scope: validation, who may set them, and resolution global < region < industry < enterprise < facility. */
class AlarmRulesIntegrationTest extends AlarmTestBase {

    @Autowired
    AlarmRules rules;

    private static Map<String, Object> rule(String type, String level, String key, Map<String, Object> params) {
        return Map.of("type", type, "scopeLevel", level, "scopeKey", key, "params", params);
    }

    /**
     * Resolved both ways — with the queries of one facility (the API) and from the rule book the engine and the
     * real-time state keep in memory (issue 15) — and the same either way.
     */
    private AlarmRules.EffectiveRule effective(String type, long facilityId) {
        AlarmRules.EffectiveRule viaQueries = rules.effective(type, facilityId);
        assertEquals(viaQueries, rules.ruleBook().facility(type, facilityId), "the rule book resolves as the queries do");
        return viaQueries;
    }

    private Map<String, Object> put(User u, Map<String, Object> body, int status) {
        return ok(call(u.http(), HttpMethod.PUT, "/api/alarm-rules", body), status);
    }

    @Test
    void theMostSpecificScopeWinsParameterByParameter() {
        // START_STOP_ORDER is used by this test only, so the GLOBAL rule cannot disturb other tests
        String type = "START_STOP_ORDER";
        Site s = site(YANTA);
        Site neighbour = site(WEIYANG);
        User admin = admin();
        AlarmRules.EffectiveRule defaults = effective(type, s.treatmentId());
        assertEquals(10, defaults.values().get("startLagMinutes"));
        assertEquals("DEFAULT", defaults.sources().get("startLagMinutes"));

        put(admin, rule(type, "GLOBAL", "", Map.of("startLagMinutes", 20, "stopLeadMinutes", 8)), 200);
        put(admin, rule(type, "REGION", "610100", Map.of("startLagMinutes", 25)), 200);
        put(admin, rule(type, "REGION", YANTA, Map.of("startLagMinutes", 30)), 200);
        put(admin, rule(type, "INDUSTRY", "C", Map.of("startLagMinutes", 35)), 200);
        put(admin, rule(type, "INDUSTRY", "336", Map.of("startLagMinutes", 40)), 200);
        AlarmRules.EffectiveRule e = effective(type, s.treatmentId());
        assertEquals(40, e.values().get("startLagMinutes"), "the deeper industry beats the wider one and every region");
        assertEquals("INDUSTRY:336", e.sources().get("startLagMinutes"));
        assertEquals(8, e.values().get("stopLeadMinutes"));
        assertEquals("GLOBAL", e.sources().get("stopLeadMinutes"));

        put(admin, rule(type, "ENTERPRISE", String.valueOf(s.enterpriseId()), Map.of("startLagMinutes", 45, "stopLeadMinutes", 3)), 200);
        put(admin, rule(type, "FACILITY", String.valueOf(s.treatmentId()), Map.of("startLagMinutes", 50)), 200);
        e = effective(type, s.treatmentId());
        assertEquals(50, e.integer("startLagMinutes"));
        assertEquals("FACILITY:" + s.treatmentId(), e.sources().get("startLagMinutes"));
        assertEquals(3, e.integer("stopLeadMinutes"));
        assertEquals("ENTERPRISE:" + s.enterpriseId(), e.sources().get("stopLeadMinutes"));
        assertEquals(45, effective(type, s.productionId()).integer("startLagMinutes"), "the other facility: the enterprise's");

        // 未央 is not under the 雁塔 region rule, but is under the city one, and the same industry
        AlarmRules.EffectiveRule n = effective(type, neighbour.treatmentId());
        assertEquals(40, n.integer("startLagMinutes"));
        jdbc.update("update enterprise set industry_code = '4411' where id = ?", neighbour.enterpriseId()); // D, not C
        n = effective(type, neighbour.treatmentId());
        assertEquals(25, n.integer("startLagMinutes"), "the city's region rule");
        assertEquals("REGION:610100", n.sources().get("startLagMinutes"));

        // switching the type off for one enterprise
        put(admin, Map.of("type", type, "scopeLevel", "ENTERPRISE", "scopeKey", String.valueOf(s.enterpriseId()),
                "params", Map.of(), "enabled", false), 200);
        e = effective(type, s.treatmentId());
        assertTrue(e.enabled(), "the facility rule (enabled) is more specific");
        assertFalse(effective(type, s.productionId()).enabled());
        assertEquals(40, effective(type, s.productionId()).integer("startLagMinutes"), "params {} falls through to INDUSTRY:336");

        // the API answer names the sources too
        Map<String, Object> viaApi = ok(call(admin.http(), HttpMethod.GET, "/api/alarm-rules/effective?type=" + type + "&facilityId="
                + s.treatmentId(), null), 200);
        assertEquals("FACILITY:" + s.treatmentId(), ((Map<?, ?>) viaApi.get("sources")).get("startLagMinutes"));
    }

    @Test
    void parametersAreCheckedAgainstTheTypesSchema() {
        User operator = user(Role.OPERATOR, List.of(), null);
        Site s = site(YANTA);
        String facility = String.valueOf(s.treatmentId());
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("abnormalRatio", 1.5)), 400), "params.abnormalRatio");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("persistMinutes", 7.5)), 400), "params.persistMinutes");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("persistMinutes", "15")), 400), "params.persistMinutes");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("noSuchThing", 1)), 400), "params.noSuchThing");
        assertBad(put(operator, rule("NO_SUCH_TYPE", "GLOBAL", "", Map.of()), 400), "type");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "REGION", "999999", Map.of()), 400), "scopeKey");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "INDUSTRY", "Z9", Map.of()), 400), "scopeKey");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", "999999999", Map.of()), 400), "scopeKey");
        assertBad(put(operator, rule("TREATMENT_ABNORMAL", "GLOBAL", "x", Map.of()), 400), "scopeKey");

        Map<String, Object> saved = put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("abnormalRatio", 0.5,
                "persistMinutes", 30)), 200);
        Map<String, Object> replaced = put(operator, rule("TREATMENT_ABNORMAL", "FACILITY", facility, Map.of("abnormalRatio", 0.7)), 200);
        assertEquals(saved.get("id"), replaced.get("id"), "one rule per (type, scope): a PUT replaces it");
        assertEquals(15, effective("TREATMENT_ABNORMAL", s.treatmentId()).integer("persistMinutes"), "replaced, not merged");
        assertEquals(0.7, effective("TREATMENT_ABNORMAL", s.treatmentId()).number("abnormalRatio"));
        status(204, call(operator.http(), HttpMethod.DELETE, "/api/alarm-rules/" + saved.get("id"), null), "delete");
        assertEquals("DEFAULT", effective("TREATMENT_ABNORMAL", s.treatmentId()).sources().get("abnormalRatio"));
        assertTrue(jdbc.queryForObject("select count(*) from audit_log where action in ('ALARM_RULE_SAVED', 'ALARM_RULE_DELETED') and target = ?",
                Integer.class, "alarm-rule:" + saved.get("id")) >= 3);

        List<Map<String, Object>> schema = operator.http().exchange("/api/alarm-rules/schema", HttpMethod.GET, null, LIST).getBody();
        assertEquals(16, schema.size());
    }

    @Test
    void whoMaySetRulesWhere() {
        Site mine = site(YANTA);
        Site theirs = site(WEIYANG);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        User company = user(Role.ENTERPRISE_USER, List.of(), mine.enterpriseId());
        String type = "FROZEN_VALUE";
        put(officer, rule(type, "ENTERPRISE", String.valueOf(mine.enterpriseId()), Map.of("identicalSamples", 20)), 200);
        put(officer, rule(type, "REGION", YANTA, Map.of("identicalSamples", 15)), 200);
        status(403, call(officer.http(), HttpMethod.PUT, "/api/alarm-rules", rule(type, "ENTERPRISE",
                String.valueOf(theirs.enterpriseId()), Map.of())), "another district's enterprise");
        status(403, call(officer.http(), HttpMethod.PUT, "/api/alarm-rules", rule(type, "REGION", WEIYANG, Map.of())), "another region");
        status(403, call(officer.http(), HttpMethod.PUT, "/api/alarm-rules", rule(type, "REGION", "610100", Map.of())), "the whole city");
        status(403, call(officer.http(), HttpMethod.PUT, "/api/alarm-rules", rule(type, "GLOBAL", "", Map.of())), "global");
        status(403, call(company.http(), HttpMethod.PUT, "/api/alarm-rules", rule(type, "ENTERPRISE",
                String.valueOf(mine.enterpriseId()), Map.of())), "the enterprise itself");
        Map<String, Object> theirRule = put(admin(), rule(type, "FACILITY", String.valueOf(theirs.treatmentId()), Map.of("identicalSamples", 30)), 200);
        status(403, call(officer.http(), HttpMethod.DELETE, "/api/alarm-rules/" + theirRule.get("id"), null), "delete outside");
        List<Map<String, Object>> visible = officer.http().exchange("/api/alarm-rules?type=" + type, HttpMethod.GET, null, LIST).getBody();
        assertFalse(visible.stream().anyMatch(r -> r.get("id").equals(theirRule.get("id"))), visible.toString());
        status(403, call(officer.http(), HttpMethod.GET, "/api/alarm-rules/effective?type=" + type + "&facilityId=" + theirs.treatmentId(), null),
                "effective outside");
        assertEquals(20, effective(type, mine.treatmentId()).integer("identicalSamples"));
    }

    @Test
    void aSilenceLimitNotAboveTheDataClocksFutureToleranceIsRefused() {
        // the engine's data clock may run 2 min (powerwatch.analysis.future-tolerance) ahead of the receive time
        User operator = user(Role.OPERATOR, List.of(), null);
        String facility = String.valueOf(site(YANTA).treatmentId());
        Map<String, Object> refused = put(operator, rule("METER_OFFLINE", "FACILITY", facility, Map.of("minimumMinutes", 2)), 400);
        assertBad(refused, "params.minimumMinutes");
        assertTrue(((String) refused.get("message")).contains("2 分钟"), refused.toString());
        assertBad(put(operator, rule("LOGGER_OFFLINE", "GLOBAL", "", Map.of("unknownIntervalMinutes", 1)), 400),
                "params.unknownIntervalMinutes");
        Map<String, Object> saved = put(operator, rule("METER_OFFLINE", "FACILITY", facility, Map.of("minimumMinutes", 3)), 200);
        status(204, call(operator.http(), HttpMethod.DELETE, "/api/alarm-rules/" + saved.get("id"), null), "delete");
    }

    private static void assertBad(Map<String, Object> body, String field) {
        assertEquals(field, body.get("field"), body.toString());
    }
}
