package com.powerwatch.platform.datacheck;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every data-check rule: a case that must fire (evidence numbers asserted) and a close case that must not. */
class DataCheckRulesIntegrationTest extends DataCheckTestSupport {

    private static final String D = "610113";

    @BeforeEach
    void base() {
        baseData();
    }

    /** Runs one rule over the enterprises; asserts the run succeeded and returns the findings. */
    private List<StoredFinding> check(String rule, long... enterprises) {
        long run = run(List.of(rule), enterprises);
        assertEquals("SUCCEEDED", status(run));
        List<StoredFinding> found = findings(run);
        found.forEach(f -> assertEquals(rule, f.rule()));
        return found;
    }

    private static StoredFinding only(List<StoredFinding> findings) {
        assertEquals(1, findings.size(), () -> "expected one finding, got " + findings);
        return findings.get(0);
    }

    private static double num(JsonNode evidence, String field) {
        assertTrue(evidence.hasNonNull(field), () -> field + " missing in " + evidence);
        return evidence.get(field).asDouble();
    }

    // ---- archive and completeness rules ----

    @Test
    void enterpriseWithoutAnyPoint() {
        long bare = enterprise(D);
        facility(bare, "PRODUCTION");
        long complete = completeEnterprise(D)[0];
        StoredFinding f = only(check("ENTERPRISE_NO_POINT", bare, complete));
        assertEquals(bare, f.enterpriseId());
        assertEquals("ENTERPRISE", f.objectType());
        assertEquals(0, f.evidence().get("activePoints").asInt());
        assertEquals(1, f.evidence().get("activeFacilities").asInt());
    }

    @Test
    void noTotalMeterUnlessATotalFacilityHasAnActivePoint() {
        long e = enterprise(D);
        point(facility(e, "PRODUCTION"));
        point(facility(e, "TREATMENT"));
        long totalFacility = facility(e, "TOTAL");
        long retired = point(totalFacility);
        jdbc.update("update monitoring_point set status = 'RETIRED' where id = ?", retired);
        long complete = completeEnterprise(D)[0];
        StoredFinding f = only(check("NO_TOTAL_METER", e, complete));
        assertEquals(e, f.enterpriseId());
        assertEquals(1, f.evidence().get("totalFacilities").asInt());
        assertEquals(2, f.evidence().get("activePoints").asInt());
    }

    @Test
    void noProductionFacilityCountsOnlyActiveOnes() {
        long e = enterprise(D);
        point(facility(e, "TOTAL"));
        long retired = facility(e, "PRODUCTION");
        jdbc.update("update facility set status = 'RETIRED' where id = ?", retired);
        long complete = completeEnterprise(D)[0];
        StoredFinding f = only(check("PRODUCTION_NO_FACILITY", e, complete));
        assertEquals(e, f.enterpriseId());
        assertEquals("PRODUCTION", f.evidence().get("facilityKind").asText());
        assertEquals(1, f.evidence().get("activeFacilities").asInt());
    }

    @Test
    void noTreatmentFacility() {
        long e = enterprise(D);
        point(facility(e, "PRODUCTION"));
        long complete = completeEnterprise(D)[0];
        StoredFinding f = only(check("NO_TREATMENT_FACILITY", e, complete));
        assertEquals(e, f.enterpriseId());
        assertEquals("TREATMENT", f.evidence().get("facilityKind").asText());
    }

    @Test
    void productionFacilityWithOnlyARetiredPoint() {
        long e = enterprise(D);
        long withRetired = facility(e, "PRODUCTION");
        jdbc.update("update monitoring_point set status = 'RETIRED' where id = ?", point(withRetired));
        long withPoint = facility(e, "PRODUCTION");
        point(withPoint);
        StoredFinding f = only(check("PRODUCTION_FACILITY_NO_POINT", e));
        assertEquals("FACILITY", f.objectType());
        assertEquals(withRetired, f.objectId());
        assertEquals(1, f.evidence().get("retiredPoints").asInt());
    }

    @Test
    void treatmentFacilityWithoutPoint() {
        long e = enterprise(D);
        long without = facility(e, "TREATMENT");
        point(facility(e, "TREATMENT"));
        facility(e, "PRODUCTION"); // a production facility without point is another rule's finding
        StoredFinding f = only(check("TREATMENT_FACILITY_NO_POINT", e));
        assertEquals(without, f.objectId());
        assertEquals("TREATMENT", f.evidence().get("kind").asText());
    }

    @Test
    void productionThresholdMissingOnlyWhenBothAreEmpty() {
        long e = enterprise(D);
        long none = facility(e, "PRODUCTION", 55.0, null, null);
        facility(e, "PRODUCTION", null, null, 5.0);   // run threshold alone is a threshold
        facility(e, "TREATMENT", null, null, null);   // treatment: other rule
        StoredFinding f = only(check("PRODUCTION_NO_THRESHOLD", e));
        assertEquals(none, f.objectId());
        assertTrue(f.evidence().get("stopBelow").isNull());
        assertEquals(55.0, num(f.evidence(), "ratedKw"));
    }

    @Test
    void treatmentThresholdMissingOnlyWhenBothAreEmpty() {
        long e = enterprise(D);
        long none = facility(e, "TREATMENT", null, null, null);
        facility(e, "TREATMENT", null, 0.5, null);
        StoredFinding f = only(check("TREATMENT_NO_THRESHOLD", e));
        assertEquals(none, f.objectId());
        assertTrue(f.evidence().get("runAbove").isNull());
    }

    @Test
    void industryMustBeASubclass() {
        long middle = enterprise(D, null, "261");
        long empty = enterprise(D, null, null);
        long subclass = enterprise(D);
        List<StoredFinding> found = check("INDUSTRY_NOT_SUBCLASS", middle, empty, subclass);
        assertEquals(2, found.size());
        StoredFinding m = found.stream().filter(f -> f.enterpriseId() == middle).findFirst().orElseThrow();
        assertEquals("261", m.evidence().get("industryCode").asText());
        assertEquals(3, m.evidence().get("level").asInt());
        assertTrue(found.stream().anyMatch(f -> f.enterpriseId() == empty && f.evidence().get("industryCode").isNull()));
    }

    @Test
    void emptyCreditCode() {
        long empty = enterprise(D, null, "2611");
        long filled = enterprise(D);
        StoredFinding f = only(check("EMPTY_CREDIT_CODE", empty, filled));
        assertEquals(empty, f.enterpriseId());
        assertTrue(f.evidence().get("creditCode").isNull());
    }

    @Test
    void inactiveEnterprisesAreNotChecked() {
        long closed = enterprise(D, null, null);
        jdbc.update("update enterprise set status = 'CLOSED' where id = ?", closed);
        assertEquals(List.of(), check("EMPTY_CREDIT_CODE", closed));
    }

    // ---- collection completeness ----

    @Test
    void noDataAfterGoLive() {
        long e = enterprise(D);
        long never = point(facility(e, "TOTAL"), DAY.minusDays(3));
        long silent = point(facility(e, "PRODUCTION"), DAY.minusDays(3));
        samples(silent, at(DAY.minusDays(3), 1, 0), 10, Duration.ofHours(1), i -> 5.0, i -> null);
        samples(silent, at(DAY, 0, 0).minusHours(1), 1, Duration.ofHours(1), i -> 5.0, i -> null); // 25 h before the end of DAY
        long late = point(facility(e, "TREATMENT"), DAY.minusDays(1));
        samples(late, at(DAY, 1, 0), 23, Duration.ofHours(1), i -> 5.0, i -> null);   // first sample 25 h after go-live
        long fine = point(facility(e, "PRODUCTION"), DAY.minusDays(3));
        samples(fine, at(DAY.minusDays(3), 0, 30), 1, Duration.ofHours(1), i -> 5.0, i -> null);
        samples(fine, at(DAY, 1, 0), 1, Duration.ofHours(1), i -> 5.0, i -> null);          // 23 h before the end of DAY
        long newToday = point(facility(e, "PRODUCTION"), DAY);
        samples(newToday, at(DAY, 23, 0), 1, Duration.ofHours(1), i -> 5.0, i -> null);     // within 24 h of go-live
        long notLiveYet = point(facility(e, "PRODUCTION"), DAY.plusDays(1));
        point(facility(e, "PRODUCTION"));                                                  // no go-live date: not checked

        List<StoredFinding> found = check("NO_DATA_AFTER_GO_LIVE", e);
        assertEquals(List.of(never, silent, late), found.stream().map(StoredFinding::objectId).toList());
        JsonNode n = found.get(0).evidence();
        assertEquals("NEVER_REPORTED", n.get("reason").asText());
        assertEquals(iso(DAY.minusDays(3), 0, 0), n.get("goLive").asText());
        assertEquals(iso(DAY.plusDays(1), 0, 0), n.get("checkTime").asText());
        assertEquals(96.0, num(n, "silentHours"));
        assertEquals(24.0, num(n, "limitHours"));
        JsonNode s = found.get(1).evidence();
        assertEquals("SILENT", s.get("reason").asText());
        assertEquals(iso(DAY.minusDays(1), 23, 0), s.get("lastSampleAt").asText());
        assertEquals(25.0, num(s, "silentHours"));
        JsonNode l = found.get(2).evidence();
        assertEquals("LATE_FIRST_REPORT", l.get("reason").asText());
        assertEquals(iso(DAY, 1, 0), l.get("firstSampleAt").asText());
        assertTrue(found.stream().noneMatch(f -> f.objectId() == fine || f.objectId() == newToday || f.objectId() == notLiveYet));
    }

    // ---- energy ----

    @Test
    void negativeEnergyButNotAResetOrRollover() {
        long[] e = completeEnterprise(D);
        Double[] bad = {1000.0, 1010.0, 1020.0, 990.0, 1000.0, 3.0, 8.0};
        samples(e[1], at(DAY, 8, 0), bad.length, Duration.ofMinutes(10), i -> 20.0, i -> bad[i]);
        Double[] reset = {5000.0, 5010.0, 2.0, 5.0};
        samples(e[2], at(DAY, 8, 0), reset.length, Duration.ofMinutes(10), i -> 20.0, i -> reset[i]);
        Double[] rollover = {999_990.0, 999_998.0, 3.0, 9.0};
        samples(e[3], at(DAY, 8, 0), rollover.length, Duration.ofMinutes(10), i -> 20.0, i -> rollover[i]);

        StoredFinding f = only(check("NEGATIVE_ENERGY", e[0]));
        assertEquals(e[1], f.objectId());
        assertEquals(1, f.evidence().get("negativeSteps").asInt());
        JsonNode worst = f.evidence().get("worst");
        assertEquals(-30.0, num(worst, "deltaKwh"));
        assertEquals(1020.0, num(worst, "registerBefore"));
        assertEquals(990.0, num(worst, "registerAfter"));
        assertEquals(iso(DAY, 8, 20), worst.get("from").asText());
        assertEquals(iso(DAY, 8, 30), worst.get("to").asText());
        JsonNode events = f.evidence().get("meterEvents");
        assertEquals(1, events.size());
        assertEquals("RESET", events.get(0).get("kind").asText());
        assertEquals(3.0, num(events.get(0), "countedKwh"));
    }

    @Test
    void energyOver25TimesMaxLoad() {
        long[] e = completeEnterprise(D);
        dailyEnergy(e[1], DAY, 10.0, 260.0);   // 26 × 10 kW
        dailyEnergy(e[2], DAY, 10.0, 240.0);   // 24 × 10 kW: possible
        StoredFinding f = only(check("ENERGY_OVER_25X_MAX_LOAD", e[0]));
        assertEquals(e[1], f.objectId());
        assertEquals(260.0, num(f.evidence(), "energyKwh"));
        assertEquals(10.0, num(f.evidence(), "maxLoadKw"));
        assertEquals(26.0, num(f.evidence(), "ratio"));
        assertEquals(25.0, num(f.evidence(), "limit"));
    }

    @Test
    void aRolloverIsCountedAsEnergyAndShownInEvidence() {
        long[] e = completeEnterprise(D);
        Double[] register = {999_990.0, 999_998.0, 3.0, 30.0};   // 8 + (1,000,000 − 999,998 + 3 = 5) + 27 = 40 kWh
        samples(e[1], at(DAY, 8, 0), register.length, Duration.ofMinutes(10), i -> 1.0, i -> register[i]);
        StoredFinding f = only(check("ENERGY_OVER_25X_MAX_LOAD", e[0]));
        assertEquals(40.0, num(f.evidence(), "energyKwh"));
        assertEquals(40.0, num(f.evidence(), "ratio"));
        JsonNode event = f.evidence().get("meterEvents").get(0);
        assertEquals("ROLLOVER", event.get("kind").asText());
        assertEquals(5.0, num(event, "countedKwh"));
        assertEquals(List.of(), check("NEGATIVE_ENERGY", e[0]));
    }

    @Test
    void energyAboveRatedLimit() {
        long e = enterprise(D);
        long over = point(facility(e, "PRODUCTION", 10.0, 1.0, 2.0));
        long under = point(facility(e, "PRODUCTION", 10.0, 1.0, 2.0));
        dailyEnergy(over, DAY, 12.5, 300.0);    // limit 24 h × 10 kW × 1.2 = 288
        dailyEnergy(under, DAY, 12.5, 280.0);
        StoredFinding f = only(check("ENERGY_ABNORMALLY_LARGE", e));
        assertEquals(over, f.objectId());
        assertEquals(300.0, num(f.evidence(), "energyKwh"));
        assertEquals(288.0, num(f.evidence(), "ratedLimitKwh"));
        assertEquals("RATED", f.evidence().get("exceeded").get(0).asText());
        assertEquals(0, f.evidence().get("baselineDays").asInt());
    }

    @Test
    void energyAboveTheStatisticalBaseline() {
        long e = enterprise(D);
        long jump = point(facility(e, "PRODUCTION"));
        long normal = point(facility(e, "PRODUCTION"));
        long shortHistory = point(facility(e, "PRODUCTION"));
        double[] history = {95, 100, 105, 98, 102, 100, 97, 103, 100, 100};
        dailyEnergy(jump, DAY.minusDays(10), 20.0, append(history, 200));
        dailyEnergy(normal, DAY.minusDays(10), 20.0, append(history, 110));
        dailyEnergy(shortHistory, DAY.minusDays(6), 20.0, 100, 100, 100, 100, 100, 100, 200); // 6 days < 7
        StoredFinding f = only(check("ENERGY_ABNORMALLY_LARGE", e));
        assertEquals(jump, f.objectId());
        JsonNode ev = f.evidence();
        assertEquals(200.0, num(ev, "energyKwh"));
        assertEquals(10, ev.get("baselineDays").asInt());
        assertEquals(100.0, num(ev, "medianKwh"));
        assertEquals(2.906, num(ev, "stddevKwh"), 0.001);
        assertEquals(120.0, num(ev, "statLimitKwh"));  // median + 5σ = 114.5 < median × 1.2
        assertEquals("BASELINE", ev.get("exceeded").get(0).asText());
        assertTrue(ev.get("ratedKw").isNull());
    }

    private static double[] append(double[] a, double v) {
        double[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    @Test
    void productionPlusTreatmentOverTotalWithTolerance() {
        long[] over = completeEnterprise(D);
        dailyEnergy(over[1], DAY, 10.0, 100.0);
        dailyEnergy(over[2], DAY, 5.0, 60.0);
        dailyEnergy(over[3], DAY, 5.0, 46.0);   // 106 > 105
        long[] within = completeEnterprise(D);
        dailyEnergy(within[1], DAY, 10.0, 100.0);
        dailyEnergy(within[2], DAY, 5.0, 60.0);
        dailyEnergy(within[3], DAY, 5.0, 44.0); // 104 ≤ 105
        StoredFinding f = only(check("PROD_TREAT_OVER_TOTAL", over[0], within[0]));
        assertEquals(over[0], f.enterpriseId());
        assertEquals("ENTERPRISE", f.objectType());
        JsonNode ev = f.evidence();
        assertEquals(60.0, num(ev, "productionKwh"));
        assertEquals(46.0, num(ev, "treatmentKwh"));
        assertEquals(106.0, num(ev, "sumKwh"));
        assertEquals(100.0, num(ev, "totalKwh"));
        assertEquals(1.06, num(ev, "ratio"));
        assertEquals(105.0, num(ev, "limitKwh"));
    }

    // ---- power ----

    @Test
    void negativePower() {
        long[] e = completeEnterprise(D);
        Double[] p = {5.0, -2.5, -1.0, 5.0};
        samples(e[1], at(DAY, 10, 0), p.length, Duration.ofMinutes(1), i -> p[i], i -> null);
        Double[] zero = {0.0, 0.0, 5.0};
        samples(e[2], at(DAY, 10, 0), zero.length, Duration.ofMinutes(1), i -> zero[i], i -> null);
        samples(e[3], at(DAY.minusDays(1), 10, 0), 1, Duration.ofMinutes(1), i -> -9.0, i -> null); // another day
        StoredFinding f = only(check("NEGATIVE_POWER", e[0]));
        assertEquals(e[1], f.objectId());
        assertEquals(2, f.evidence().get("negativeSamples").asInt());
        assertEquals(-2.5, num(f.evidence(), "minKw"));
        assertEquals(iso(DAY, 10, 1), f.evidence().get("firstAt").asText());
        assertEquals(iso(DAY, 10, 2), f.evidence().get("lastAt").asText());
    }

    @Test
    void constantPowerNeedsTwelveIdenticalNonZeroSamples() {
        long[] e = completeEnterprise(D);
        samples(e[1], at(DAY, 9, 0), 14, Duration.ofMinutes(10), i -> i == 0 || i == 13 ? 8.0 : 7.5, i -> null);  // 12 × 7.5
        samples(e[2], at(DAY, 9, 0), 13, Duration.ofMinutes(10), i -> i == 11 ? 8.0 : 7.5, i -> null);            // 11 × 7.5, break, 1
        samples(e[3], at(DAY, 9, 0), 30, Duration.ofMinutes(10), i -> 0.0, i -> null);                             // stopped: zero
        StoredFinding f = only(check("CONSTANT_POWER", e[0]));
        assertEquals(e[1], f.objectId());
        JsonNode ev = f.evidence();
        assertEquals(7.5, num(ev, "valueKw"));
        assertEquals(12, ev.get("samples").asInt());
        assertEquals(iso(DAY, 9, 10), ev.get("firstAt").asText());
        assertEquals(iso(DAY, 11, 0), ev.get("lastAt").asText());
        assertEquals(1, ev.get("runs").asInt());
    }
}
