package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.Cp;
import com.powerwatch.platform.telemetry.FacilityStateMachine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production–treatment association models end to end: HJ 212 frames through the real gateway, the journal, the
 * engine's own consumer, the recorder, PostgreSQL. One logger per test carries a production meter (100001,
 * thresholds 5/10 kW) and a treatment meter (100002, 2/4 kW), associated with 10 min start and 30 min stop
 * tolerance; one frame a minute; debounce 2 samples.
 */
class TreatmentModelsIntegrationTest extends EngineTestSupport {

    record Plant(long enterprise, long production, long treatment, long productionPoint, long treatmentPoint, String mn) {
        String subject() {
            return "facility:" + treatment;
        }
    }

    Plant plant(Double abnormalBelow) {
        long e = enterprise();
        long prod = facility(e, "PRODUCTION", 5.0, 10.0, null, 40.0);
        long treat = facility(e, "TREATMENT", 2.0, 4.0, abnormalBelow, 60.0);
        associate(prod, treat, 10, 30);
        String mn = uniqueMn();
        logger(mn, e);
        long pp = point(prod, mn, "100001");
        long tp = point(treat, mn, "100002");
        registry.refresh();
        return new Plant(e, prod, treat, pp, tp, mn);
    }

    /** Minute by minute: {production kW, treatment kW, treatment phase volts}. */
    void run(Plant p, int minutes, IntFunction<double[]> at) throws Exception {
        for (int m = 0; m < minutes; m++) {
            double[] v = at.apply(m);
            Cp.Builder cp = meter(Cp.builder(), "100001", v[0], 225);
            meter(cp, "100002", v[1], v.length > 2 ? v[2] : 225);
            send(p.mn(), m, cp);
        }
        awaitEngine(p.treatmentPoint(), minutes - 1);
    }

    @Test
    void treatmentNotStartedRaisesAfterPersistenceWithLateStartOrderAndClearsWhenItStarts() throws Exception {
        Plant p = plant(null);
        run(p, 31, m -> new double[]{20, m < 25 ? 0 : 50});

        List<Map<String, Object>> a = alarms("TREATMENT_NOT_STARTED", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals("RECOVERED", a.get(0).get("status"));
        assertEquals(ms(15), millis(a.get(0).get("started_at")), "raised once persistence (15 min) is reached");
        assertEquals(ms(26), millis(a.get(0).get("ended_at")), "cleared when the treatment runs (2 samples agree)");
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("firstAbnormalAt") && ev.contains("未开启") && ev.contains("启停阈值为10.0kW"), ev);
        assertTrue(ev.contains("\"production\""), "the associated facility's values are in the evidence: " + ev);

        List<Map<String, Object>> o = alarms("START_STOP_ORDER", p.subject());
        assertEquals(1, o.size());
        assertEquals(ms(11), millis(o.get(0).get("started_at")), "后启: beyond the 10-min start tolerance");
        assertTrue(((String) o.get(0).get("first_evidence")).contains("LATE_START"));
        assertEquals(ms(26), millis(o.get(0).get("ended_at")));
        assertEquals(0, alarms("TREATMENT_STOPPED", p.subject()).size());
    }

    @Test
    void startWithinToleranceAndNormalRundownRaiseNothing() throws Exception {
        Plant p = plant(null);
        // treatment 5 min after production (tolerance 10); production stops at 40, treatment 10 min later
        run(p, 60, m -> new double[]{m < 40 ? 20 : 0, m >= 5 && m < 50 ? 50 : 0});
        assertEquals(0, alarmsOf(p.subject()), "no alarm on the treatment");
        assertEquals(0, alarmsOf("enterprise:" + p.enterprise()));
    }

    @Test
    void treatmentStoppedDuringProductionRaisesStoppedAndEarlyStopOrder() throws Exception {
        Plant p = plant(null);
        run(p, 56, m -> new double[]{m < 50 ? 20 : 0, m < 10 ? 50 : 0});

        List<Map<String, Object>> s = alarms("TREATMENT_STOPPED", p.subject());
        assertEquals(1, s.size(), s.toString());
        assertEquals(ms(40), millis(s.get(0).get("started_at")),
                "off since minute 10, max(persistence 15 min, the association's stop tolerance 30 min)");
        assertEquals(ms(51), millis(s.get(0).get("ended_at")), "production stopped: nothing left to treat");
        assertTrue(((String) s.get(0).get("first_evidence")).contains("运行中停运"));

        List<Map<String, Object>> o = alarms("START_STOP_ORDER", p.subject());
        assertEquals(1, o.size(), o.toString());
        assertEquals(ms(10), millis(o.get(0).get("started_at")), "先停: the episode starts when the treatment went off");
        assertEquals(ms(51), millis(o.get(0).get("ended_at")));
        assertTrue(((String) o.get(0).get("first_evidence")).contains("EARLY_STOP"));
        assertEquals(0, alarms("TREATMENT_NOT_STARTED", p.subject()).size());
    }

    @Test
    void earlyStopWithinToleranceIsNoOrderViolation() throws Exception {
        Plant p = plant(null);
        // the treatment stops 8 min before production (tolerance 30, persistence 15)
        run(p, 50, m -> new double[]{m < 40 ? 20 : 0, m < 32 ? 50 : 0});
        assertEquals(0, alarmsOf(p.subject()));
    }

    @Test
    void anEarlyStopWithinTheAssociationsStopToleranceRaisesNoTreatmentStopped() throws Exception {
        Plant p = plant(null);
        // the treatment stops at minute 10, production 25 minutes later: within the registered 30-minute tolerance
        run(p, 45, m -> new double[]{m < 35 ? 20 : 0, m < 10 ? 50 : 0});
        assertEquals(0, alarmsOf(p.subject()), "neither TREATMENT_STOPPED nor START_STOP_ORDER");
    }

    /** A rule of the treatment facility itself (FACILITY scope), in force at once. */
    void facilityRule(Plant p, String type, String params) {
        jdbc.update("insert into alarm_rule (type, scope_level, scope_key, enterprise_id, params) values (?, 'FACILITY', ?, ?, cast(? as jsonb))",
                type, String.valueOf(p.treatment()), p.enterprise(), params);
        engine.refreshRules();
    }

    @Test
    void eachTreatmentRulesOwnToleranceIsApplied() throws Exception {
        // an operator sets TREATMENT_STOPPED's stopLeadMinutes (20) over the association's 30 min, and
        // TREATMENT_NOT_STARTED's startLagMinutes (25) over the association's 10 min
        Plant stopped = plant(null);
        facilityRule(stopped, "TREATMENT_STOPPED", "{\"stopLeadMinutes\": 20}");
        run(stopped, 40, m -> new double[]{20, m < 10 ? 50 : 0});
        List<Map<String, Object>> s = alarms("TREATMENT_STOPPED", stopped.subject());
        assertEquals(1, s.size(), s.toString());
        assertEquals(ms(30), millis(s.get(0).get("started_at")), "off since 10, max(persistence 15, the rule's 20 min)");

        Plant late = plant(null);
        facilityRule(late, "TREATMENT_NOT_STARTED", "{\"startLagMinutes\": 25}");
        run(late, 31, m -> new double[]{20, 0});
        List<Map<String, Object>> n = alarms("TREATMENT_NOT_STARTED", late.subject());
        assertEquals(1, n.size(), n.toString());
        assertEquals(ms(25), millis(n.get(0).get("started_at")), "max(persistence 15, the rule's 25 min)");
    }

    @Test
    void theDebounceOfEveryTreatmentRuleHolds() throws Exception {
        // TREATMENT_STOPPED asks for 4 agreeing samples: a treatment off for 3 samples has not changed state
        Plant p = plant(null);
        facilityRule(p, "TREATMENT_STOPPED", "{\"debounceSamples\": 4}");
        run(p, 13, m -> new double[]{20, m >= 10 ? 0 : 50});
        assertEquals(FacilityStateMachine.State.RUNNING, engine.facilityState(p.treatment()));
        run(p, 14, m -> new double[]{20, m >= 10 ? 0 : 50});
        assertEquals(FacilityStateMachine.State.STOPPED, engine.facilityState(p.treatment()));
    }

    @Test
    void aChangedAssociationToleranceReachesTheEngine() {
        Plant p = plant(null);
        var before = registry.snapshot();
        jdbc.update("update facility_association set stop_lag_minutes = 5 where treatment_facility_id = ?", p.treatment());
        await("the registry reloaded after a tolerance change", () -> registry.snapshot() != before);
    }

    @Test
    void treatmentRunningBelowNormalIsAbnormalUntilItRecovers() throws Exception {
        Plant p = plant(30.0);
        run(p, 41, m -> new double[]{20, m >= 10 && m < 35 ? 15 : 50});
        List<Map<String, Object>> a = alarms("TREATMENT_ABNORMAL", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(ms(25), millis(a.get(0).get("started_at")));
        assertEquals(ms(36), millis(a.get(0).get("ended_at")));
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("异常阈值为30.0kW") && ev.contains("降频"), ev);
        assertEquals(0, alarms("TREATMENT_STOPPED", p.subject()).size());
    }

    @Test
    void powerLossAtTheTreatmentMeterIsAMeterFaultNotAStop() throws Exception {
        Plant p = plant(null);
        // minutes 5–19: the treatment meter loses its supply (all phases ≈ 0 V, P = 0)
        run(p, 26, m -> m >= 5 && m < 20 ? new double[]{20, 0, 0.1} : new double[]{20, 50});
        assertEquals(0, alarmsOf(p.subject()), "no treatment alarm while its meter is without supply");
        List<Map<String, Object>> a = alarms("METER_POWER_LOSS", "point:" + p.treatmentPoint());
        assertEquals(1, a.size());
        assertEquals(ms(10), millis(a.get(0).get("started_at")), "persistence 5 min");
        assertEquals(ms(20), millis(a.get(0).get("ended_at")));
    }

    @Test
    void phaseLossIsReportedAsSuch() throws Exception {
        Plant p = plant(null);
        for (int m = 0; m < 12; m++) {
            Cp.Builder cp = meter(Cp.builder(), "100001", 20, 225);
            if (m >= 3) {
                cp.value("100001", "Ub", "0.1");
            }
            meter(cp, "100002", 50, 225);
            send(p.mn(), m, cp);
        }
        awaitEngine(p.productionPoint(), 11);
        List<Map<String, Object>> a = alarms("PHASE_LOSS", "point:" + p.productionPoint());
        assertEquals(1, a.size());
        assertEquals(ms(8), millis(a.get(0).get("started_at")));
        assertEquals("ACTIVE", a.get(0).get("status"));
        assertEquals(0, alarms("METER_POWER_LOSS", "point:" + p.productionPoint()).size());
    }

    @Test
    void aJournalReplayAndARestartRebuildDuplicateNothing() throws Exception {
        Plant p = plant(30.0);
        run(p, 60, m -> new double[]{m < 50 ? 20 : 0, m < 20 ? 0 : m < 30 ? 50 : m < 40 ? 15 : 0});
        assertTrue(alarmsOf(p.subject()) >= 2, "the scenario raised alarms");
        String sql = """
                select string_agg(id || ':' || type || ':' || status || ':' || repeats || ':' || last_seen_at || ':' ||
                       coalesce(ended_at::text, '-'), ',' order by id) from alarm
                where type not in ('LOGGER_OFFLINE', 'METER_OFFLINE')""";
        String before = jdbc.queryForObject(sql, String.class);

        for (Duration window : List.of(Duration.ZERO, Duration.ofHours(12))) {
            withFreshEngine("alarm-engine-replay-" + window.toHours(), window, replay -> {
                replay.rebuild();   // window 0: nothing; 12 h: this test's samples from point_sample
                replay.start();     // then the whole journal from the oldest record
                // lag counts from the committed offset: at 0 every batch has been applied (timers are off: 1 day)
                await("replay caught up", () -> replay.batches() > 0 && replay.lag() == 0);
            });
            assertEquals(before, jdbc.queryForObject(sql, String.class), "replay (rebuild window " + window + ") changed alarms");
        }
    }
}
