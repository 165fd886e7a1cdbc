package com.powerwatch.platform.analysis;

import com.powerwatch.platform.telemetry.CanonicalSample;
import com.powerwatch.platform.telemetry.FacilityStateMachine;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production-order, capacity, communication and data-quality models. Samples are handed to the engine directly
 * (as the telemetry mapping would produce them) so that receive times and long runs are under the test's control;
 * the recorder and PostgreSQL are real.
 */
class ProductionAndDataModelsIntegrationTest extends EngineTestSupport {

    record Site(long enterprise, long production, long point, String mn) {
    }

    Site site(Double ratedKw) {
        Meters m = meters(1, ratedKw);
        return new Site(m.enterprise(), m.facility(), m.points().get(0), m.mn());
    }

    /** A production facility with two meters (100001 a, 100002 b) on one logger. */
    record TwoMeters(long facility, String mn, long a, long b) {
    }

    TwoMeters twoMeters() {
        Meters m = meters(2);
        return new TwoMeters(m.facility(), m.mn(), m.points().get(0), m.points().get(1));
    }

    void order(long enterprise, String kind, Integer percent, double baselineKw, int fromMinute, int toMinute) {
        jdbc.update("""
                insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, valid_from, valid_to, source)
                values (?, ?, ?, ?, ?, ?, 'EMERGENCY')""", enterprise, kind, percent, baselineKw,
                new Timestamp(ms(fromMinute)), new Timestamp(ms(toMinute)));
    }

    /** Minute-by-minute production power for minutes [from, to). */
    void run(Site s, int from, int to, IntFunction<Double> kw) {
        List<CanonicalSample> list = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int m = from; m < to; m++) {
            list.add(sample(s.point(), m, kw.apply(m), 225, null, false, now));
        }
        apply(list);
    }

    @Test
    void productionDuringAStopOrderRaisesAfterRunDownAndPersistence() {
        Site s = site(40.0);
        order(s.enterprise(), "STOP", null, 30, 0, 300);
        run(s, 0, 60, m -> m <= 40 ? 20.0 : 0.0);
        List<Map<String, Object>> a = alarms("PRODUCTION_DURING_STOP", "enterprise:" + s.enterprise());
        assertEquals(1, a.size(), a.toString());
        assertEquals(ms(30), millis(a.get(0).get("started_at")), "run-down 15 min, then persistence 15 min");
        assertEquals("LEVEL_1", a.get(0).get("level"));
        assertEquals(ms(42), millis(a.get(0).get("ended_at")), "cleared once production is stopped (2 samples)");
        assertTrue(((String) a.get(0).get("first_evidence")).contains("runningFacilities"));

        Site kept = site(40.0);
        order(kept.enterprise(), "STOP", null, 30, 0, 300);
        run(kept, 0, 60, m -> m < 10 ? 20.0 : 0.0); // stops within the run-down
        assertEquals(0, alarmsOf("enterprise:" + kept.enterprise()), "a kept stop order raises nothing");
    }

    @Test
    void aTreatmentRunningDuringAStopIsNotProductionButUnmeteredLoadOnTheTotalIs() {
        // production meter at 0; the treatment runs at 20 kW; the total meter sees treatment + other load. Baseline
        // 30 kW: more than 25 % of it (7.5 kW) on the total *less the treatment* is production during the stop
        for (double other : new double[]{1.0, 15.0}) {
            long e = enterprise();
            long prod = facility(e, "PRODUCTION", 5.0, 10.0, null, 40.0);
            long treat = facility(e, "TREATMENT", 2.0, 4.0, null, 25.0);
            long total = facility(e, "TOTAL", 5.0, 10.0, null, null);
            String mn = uniqueMn();
            logger(mn, e);
            long pp = point(prod, mn, "100001");
            long tp = point(treat, mn, "100002");
            long xp = point(total, mn, "100003");
            registry.refresh();
            order(e, "STOP", null, 30, 0, 300);
            long now = System.currentTimeMillis();
            for (int m = 0; m < 50; m++) {
                apply(sample(pp, m, 0.0, 225, null, false, now), sample(tp, m, 20.0, 225, null, false, now),
                        sample(xp, m, 20.0 + other, 225, null, false, now));
            }
            int raised = alarms("PRODUCTION_DURING_STOP", "enterprise:" + e).size();
            assertEquals(other > 7.5 ? 1 : 0, raised, "other load " + other + " kW on the total meter");
        }
    }

    @Test
    void limitNotKeptOverTheRollingWindowAndKeptLimit() {
        Site s = site(200.0);
        order(s.enterprise(), "LIMIT", 50, 100, 0, 400);
        run(s, 0, 300, m -> m <= 150 ? 90.0 : 30.0);
        List<Map<String, Object>> a = alarms("LIMIT_NOT_KEPT", "enterprise:" + s.enterprise());
        assertEquals(1, a.size(), a.toString());
        assertEquals(ms(119), millis(a.get(0).get("started_at")), "after a full 2-hour window");
        assertEquals("LEVEL_2", a.get(0).get("level"), "10 % instead of 50 %: more than 10 points short");
        assertEquals("RECOVERED", a.get(0).get("status"), "the rolling mean falls below the allowed power");
        assertTrue(millis(a.get(0).get("ended_at")) > ms(200));

        Site kept = site(200.0);
        order(kept.enterprise(), "LIMIT", 50, 100, 0, 400);
        run(kept, 0, 200, m -> 40.0);
        assertEquals(0, alarmsOf("enterprise:" + kept.enterprise()));
    }

    @Test
    void overCapacityAfterPersistence() {
        Site s = site(20.0);
        run(s, 0, 80, m -> m <= 70 ? 25.0 : 15.0);
        List<Map<String, Object>> a = alarms("OVER_CAPACITY", "facility:" + s.production());
        assertEquals(1, a.size());
        assertEquals(ms(60), millis(a.get(0).get("started_at")));
        assertEquals(ms(71), millis(a.get(0).get("ended_at")));

        Site normal = site(20.0);
        run(normal, 0, 80, m -> 21.0); // within 1.1 × rated
        assertEquals(0, alarmsOf("facility:" + normal.production()));
    }

    @Test
    void loggerOfflineOnceForAllItsMetersAndClearedByNewData() {
        TwoMeters t = twoMeters();
        long f = t.facility();
        String mn = t.mn();
        long a = t.a();
        long b = t.b();
        long now = System.currentTimeMillis();
        for (int m = 0; m < 3; m++) {
            apply(sample(a, m, 20.0, 225, null, false, now), sample(b, m, 20.0, 225, null, false, now));
        }
        engine.checkTimers(now + 10 * M);
        List<Map<String, Object>> l = alarms("LOGGER_OFFLINE", "logger:" + mn);
        assertEquals(1, l.size());
        assertEquals(ms(2) + 5 * M, millis(l.get(0).get("started_at")), "last data time + max(3 × 1 min, 5 min)");
        assertEquals("NOTICE", l.get(0).get("level"));
        assertEquals(0, alarms("METER_OFFLINE", "point:" + a).size(), "no meter alarms when the whole logger is silent");
        assertEquals(FacilityStateMachine.State.OFFLINE, engine.facilityState(f));

        apply(sample(a, 30, 20.0, 225, null, false, now + 11 * M), sample(b, 30, 20.0, 225, null, false, now + 11 * M));
        l = alarms("LOGGER_OFFLINE", "logger:" + mn);
        assertEquals("RECOVERED", l.get(0).get("status"));
        assertEquals(ms(30), millis(l.get(0).get("ended_at")));
    }

    @Test
    void meterOfflineWhileItsLoggerReports() {
        TwoMeters t = twoMeters();
        long f = t.facility();
        String mn = t.mn();
        long a = t.a();
        long b = t.b();
        long now = System.currentTimeMillis();
        for (int m = 0; m < 13; m++) {
            apply(sample(b, m, 20.0, 225, null, false, now)); // b first: the logger is never silent as a whole
            if (m < 3) {
                apply(sample(a, m, 20.0, 225, null, false, now - 20 * M));
            }
        }
        engine.checkTimers(now);
        List<Map<String, Object>> x = alarms("METER_OFFLINE", "point:" + a);
        assertEquals(1, x.size());
        assertEquals(ms(2) + 5 * M, millis(x.get(0).get("started_at")));
        assertEquals(0, alarms("METER_OFFLINE", "point:" + b).size());
        assertEquals(0, alarms("LOGGER_OFFLINE", "logger:" + mn).size());
        apply(sample(a, 13, 20.0, 225, null, false, now));
        assertEquals("RECOVERED", alarms("METER_OFFLINE", "point:" + a).get(0).get("status"));
    }

    @Test
    void aMeterGapInsideOneJournalBatchIsNotSteppedOver() throws Exception {
        // behind the journal (a replay, a sped-up simulation) one batch spans more data time than the offline limit:
        // meter a is silent for 12 min between two of its samples in the same batch. A fresh engine, so that its
        // data clock is this test's (the shared one has seen later data times from other tests).
        TwoMeters t = twoMeters();
        long f = t.facility();
        String mn = t.mn();
        long a = t.a();
        long b = t.b();
        withFreshEngine("alarm-engine-gap-test", Duration.ZERO, fresh -> {
            long now = System.currentTimeMillis();
            List<CanonicalSample> batch = new ArrayList<>();
            for (int m = 0; m < 30; m++) {
                batch.add(sample(b, m, 20.0, 225, null, false, now));
                if (m < 3 || m >= 15) {
                    batch.add(sample(a, m, 20.0, 225, null, false, now));
                }
            }
            fresh.apply(batch, registry.snapshot(), true);
        });
        List<Map<String, Object>> x = alarms("METER_OFFLINE", "point:" + a);
        assertEquals(1, x.size(), x.toString());
        assertEquals(ms(2) + 5 * M, millis(x.get(0).get("started_at")), "last data time + max(3 × 1 min, 5 min)");
        assertEquals("RECOVERED", x.get(0).get("status"));
        assertEquals(ms(15), millis(x.get(0).get("ended_at")));
        assertEquals(0, alarms("METER_OFFLINE", "point:" + b).size());
    }

    @Test
    void invalidFlagsFrozenValuesAndImpossibleReadings() {
        Site s = site(null);
        long now = System.currentTimeMillis();
        String subject = "point:" + s.point();
        // INVALID_DATA: 3 flagged samples in a row
        for (int m = 0; m < 5; m++) {
            apply(sample(s.point(), m, 20.0 + m, 225, null, m >= 1 && m <= 3, now));
        }
        List<Map<String, Object>> inv = alarms("INVALID_DATA", subject);
        assertEquals(1, inv.size());
        assertEquals(ms(3), millis(inv.get(0).get("started_at")));
        assertEquals(ms(4), millis(inv.get(0).get("ended_at")));

        // FROZEN_VALUE: P ≠ 0 identical ≥ 12 samples and ≥ 15 min (1-minute data: the minutes decide)
        run(s, 10, 140, m -> 33.3);
        run(s, 140, 142, m -> 30.0 + m % 2);
        List<Map<String, Object>> fr = alarms("FROZEN_VALUE", subject);
        assertEquals(1, fr.size());
        assertEquals(ms(25), millis(fr.get(0).get("started_at")));
        assertEquals(ms(140), millis(fr.get(0).get("ended_at")));

        // IMPOSSIBLE_READING: negative power for 3 samples
        run(s, 150, 156, m -> m >= 151 && m <= 153 ? -5.0 : 20.0 + m % 3);
        List<Map<String, Object>> im = alarms("IMPOSSIBLE_READING", subject);
        assertEquals(1, im.size());
        assertEquals(ms(153), millis(im.get(0).get("started_at")));
        assertEquals(ms(154), millis(im.get(0).get("ended_at")));
    }

    @Test
    void aStoppedFacilityAtZeroAndAMeterResetAreNotDataErrors() {
        Site s = site(null);
        run(s, 0, 150, m -> 0.0); // identical zeros: a stopped facility, not a frozen meter
        long now = System.currentTimeMillis();
        double e = 1000;
        for (int m = 150; m < 170; m++) {
            e = m == 160 ? 0.01 : e + 0.5; // the register restarts from 0 at minute 160 (reset / new meter)
            apply(sample(s.point(), m, 30.0 + m % 3, 225, e, false, now));
        }
        assertEquals(0, alarmsOf("point:" + s.point()));
    }

    @Test
    void registerRunningFasterThanThePowerIsImpossible() {
        Site s = site(null);
        long now = System.currentTimeMillis();
        double e = 1000;
        for (int m = 0; m < 10; m++) {
            e += m >= 3 && m < 7 ? 8 : 0.5; // 30 kW for a minute is 0.5 kWh
            apply(sample(s.point(), m, 30.0 + m % 3, 225, e, false, now));
        }
        List<Map<String, Object>> im = alarms("IMPOSSIBLE_READING", "point:" + s.point());
        assertEquals(1, im.size());
        assertEquals(ms(5), millis(im.get(0).get("started_at")));
        assertEquals(ms(7), millis(im.get(0).get("ended_at")));
    }
}
