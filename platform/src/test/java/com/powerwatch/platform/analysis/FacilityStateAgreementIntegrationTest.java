package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.Cp;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.telemetry.FacilityStateMachine;
import com.powerwatch.platform.telemetry.RealtimeState;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;

import java.time.OffsetDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The map (real-time state) and the alarm engine read the same frames — through the gateway, the journal, each
 * its own consumer — and must say the same about a facility (docs/analysis-models.md §1, docs/telemetry.md).
 * Every value is sent twice, so that the engine's debounce (2 samples at 1-minute data) has taken it too.
 */
class FacilityStateAgreementIntegrationTest extends EngineTestSupport {

    @Autowired
    RealtimeState realtime;
    @Autowired
    TestRestTemplate rest;

    private int minute;

    /** Sends {@code kw} on meter 100001 for two minutes; waits until both the engine and the map took both. */
    private void twice(String mn, long point, double kw) throws Exception {
        twice(mn, point, () -> meter(Cp.builder(), "100001", kw, 225));
    }

    /** Sends 30 kW with these phase voltages for two minutes; waits until both the engine and the map took both. */
    private void twice(String mn, long point, double ua, double ub, double uc) throws Exception {
        twice(mn, point, () -> Cp.builder().value("100001", "Pt", "30").value("100001", "Ia", "45")
                .value("100001", "Ib", "45").value("100001", "Ic", "45").value("100001", "Ua", Double.toString(ua))
                .value("100001", "Ub", Double.toString(ub)).value("100001", "Uc", Double.toString(uc))
                .value("100001", "Flag", "N"));
    }

    private void twice(String mn, long point, java.util.function.Supplier<Cp.Builder> values) throws Exception {
        for (int i = 0; i < 2; i++, minute++) {
            send(mn, minute, values.get());
            int m = minute;
            awaitEngine(point, m);
            await("map at minute " + m, () -> realtime.point(point).get("dataTime") instanceof OffsetDateTime t
                    && t.toInstant().toEpochMilli() == ms(m));
        }
    }

    private void setRule(TestRestTemplate admin, String type, long facility, Map<String, Object> params) {
        assertEquals(200, admin.exchange("/api/alarm-rules", HttpMethod.PUT, new HttpEntity<>(Map.of("type", type,
                "scopeLevel", "FACILITY", "scopeKey", String.valueOf(facility), "params", params)), Map.class)
                .getStatusCode().value());
        engine.refreshRules();
    }

    /** Both say {@code expected} ("STATE" or "STATE/REASON" as the map shows it), and the engine's state maps to it. */
    private void bothSay(long facility, String expected, FacilityStateMachine.State engineState) {
        Map<String, Object> live = realtime.facility(facility, false);
        String map = live.get("state") + (live.get("reason") == null ? "" : "/" + live.get("reason"));
        assertEquals(expected, map, "the map");
        assertEquals(engineState, engine.facilityState(facility), "the engine");
        assertEquals(RealtimeState.status(engine.facilityState(facility)), live.get("state"), "the engine's state on the map");
    }

    /** The map shows the thresholds the engine judges with. */
    private void sameThresholds(long facility) {
        RegistrySnapshot.Facility f = registry.snapshot().facilities().get(facility);
        FacilityStateMachine.Thresholds t = engine.thresholds(f);
        Map<String, Object> live = realtime.facility(facility, false);
        assertEquals(t.stopBelow(), live.get("stopBelow"));
        assertEquals(t.runAbove(), live.get("runAbove"));
        assertEquals(t.abnormalBelow(), live.get("abnormalBelow"));
    }

    @Test
    void aFacilityWithOnlyItsRatedPowerRunsAboveTenPercentOfItOnTheMapAsInTheEngine() throws Exception {
        long e = enterprise();
        long f = facility(e, "PRODUCTION", null, null, null, 200.0); // defaults: stop < 10 kW, run ≥ 20 kW
        String mn = uniqueMn();
        logger(mn, e);
        long p = point(f, mn, "100001");
        registry.refresh();

        twice(mn, p, 30);
        bothSay(f, "RUNNING", FacilityStateMachine.State.RUNNING);
        sameThresholds(f);
        assertEquals(10.0, realtime.facility(f, false).get("stopBelow"), "5 % of rated");
        assertEquals(20.0, realtime.facility(f, false).get("runAbove"), "10 % of rated");

        twice(mn, p, 15);
        bothSay(f, "RUNNING/LOW_LOAD", FacilityStateMachine.State.LOW);
        twice(mn, p, 5);
        bothSay(f, "STOPPED", FacilityStateMachine.State.STOPPED);
        twice(mn, p, 15);
        bothSay(f, "STOPPED", FacilityStateMachine.State.STOPPED);
        twice(mn, p, 25);
        bothSay(f, "RUNNING", FacilityStateMachine.State.RUNNING);
    }

    @Test
    void aTreatmentBelowKTimesItsAcceptedNormalValueIsAbnormalOnTheMapAsInTheEngine() throws Exception {
        long e = enterprise();
        long t = facility(e, "TREATMENT", 2.0, 4.0, null, null);
        jdbc.update("update facility set normal_running = 50, updated_at = now() where id = ?", t);
        String mn = uniqueMn();
        logger(mn, e);
        long p = point(t, mn, "100001");
        registry.refresh();
        engine.refreshRules();

        twice(mn, p, 45);
        bothSay(t, "RUNNING", FacilityStateMachine.State.RUNNING);
        sameThresholds(t);
        assertEquals(30.0, (Double) realtime.facility(t, false).get("abnormalBelow"), 1e-9, "0.6 × 50 kW");

        twice(mn, p, 20);
        bothSay(t, "ABNORMAL/BELOW_NORMAL", FacilityStateMachine.State.ABNORMAL);

        // an operator lowers k for this facility: 20 kW is then normal for both (0.3 × 50 = 15 kW)
        setRule(AuthTestSupport.as(rest, AuthTestSupport.adminToken(jdbc)), "TREATMENT_ABNORMAL", t,
                Map.of("abnormalRatio", 0.3));
        twice(mn, p, 20);
        bothSay(t, "RUNNING", FacilityStateMachine.State.RUNNING);
        sameThresholds(t);
        assertEquals(15.0, (Double) realtime.facility(t, false).get("abnormalBelow"), 1e-9);

        twice(mn, p, 3);
        bothSay(t, "RUNNING/LOW_LOAD", FacilityStateMachine.State.LOW);
        twice(mn, p, 0);
        bothSay(t, "STOPPED", FacilityStateMachine.State.STOPPED);
    }

    @Test
    void aMetersSupplyFaultIsJudgedWithTheRulesInForceOnTheMapAsInTheEngine() throws Exception {
        long e = enterprise();
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null, null);
        String mn = uniqueMn();
        logger(mn, e);
        long p = point(f, mn, "100001");
        registry.refresh();
        engine.refreshRules();
        TestRestTemplate admin = AuthTestSupport.as(rest, AuthTestSupport.adminToken(jdbc));

        // phase A lost, B and C sagging to 150 V: not "live" by PHASE_LOSS.normalVoltageMinV (198 V), so no phase
        // loss for either (the map's own constant, 50 V, used to call it one)
        twice(mn, p, 0.2, 150, 150);
        bothSay(f, "RUNNING", FacilityStateMachine.State.RUNNING);
        assertEquals(RealtimeState.Status.ONLINE, realtime.point(p).get("state"));
        setRule(admin, "PHASE_LOSS", f, Map.of("normalVoltageMinV", 140));
        twice(mn, p, 0.2, 150, 150);
        bothSay(f, "ABNORMAL/PHASE_LOSS", FacilityStateMachine.State.FAULT);

        // all phases at 20 V: live enough for neither rule at its defaults; a power loss below 30 V for both
        twice(mn, p, 20, 20, 20);
        bothSay(f, "RUNNING", FacilityStateMachine.State.RUNNING);
        setRule(admin, "METER_POWER_LOSS", f, Map.of("zeroVoltageV", 30));
        twice(mn, p, 20, 20, 20);
        bothSay(f, "ABNORMAL/POWER_LOSS", FacilityStateMachine.State.FAULT);
    }
}
