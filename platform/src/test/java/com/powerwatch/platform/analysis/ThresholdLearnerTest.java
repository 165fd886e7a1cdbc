package com.powerwatch.platform.analysis;

import com.powerwatch.platform.analysis.ThresholdLearner.Facility;
import com.powerwatch.platform.analysis.ThresholdLearner.Proposal;
import com.powerwatch.platform.analysis.ThresholdLearner.Reason;
import com.powerwatch.platform.analysis.ThresholdLearner.Refusal;
import com.powerwatch.platform.analysis.ThresholdLearner.Result;
import com.powerwatch.platform.analysis.ThresholdLearner.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner on synthetic histories of 1-minute values (deterministic noise): where the thresholds land relative
 * to the levels, when a third (idle) level is taken, and the refusals.
 */
class ThresholdLearnerTest {

    private static final long MIN = 60_000L;
    private static final long START = 1_767_196_800_000L; // 2026-01-01 00:00 +08:00
    private static final Facility PRODUCTION = new Facility("P", false, null, 0.6);
    private static final Facility TREATMENT = new Facility("P", true, null, 0.6);

    private final ThresholdLearner learner = new ThresholdLearner();

    /** {@code days} of 1-minute values; {@code value} gets the minute of the day. */
    static List<Sample> history(int days, IntFunction<Double> value) {
        List<Sample> out = new ArrayList<>();
        for (int m = 0; m < days * 1440; m++) {
            Double v = value.apply(m);
            if (v != null) {
                out.add(new Sample(START + m * MIN, v));
            }
        }
        return out;
    }

    /**
     * Day shift 08:00–20:00 at ≈ {@code on} (±2 % Gaussian noise), off 0–0.15 kW otherwise, with a 3-minute ramp
     * at every start and stop (the samples between the levels that a 1-minute average catches).
     */
    static List<Sample> dayShift(int days, double on, long seed) {
        Random r = new Random(seed);
        return history(days, m -> {
            int t = m % 1440;
            if (t >= 480 && t < 483) {
                return on * (t - 479) / 4.0; // ramp up: 25 %, 50 %, 75 %
            }
            if (t >= 1200 && t < 1203) {
                return on * (1203 - t) / 4.0; // ramp down
            }
            return t >= 483 && t < 1200 ? on * (1 + 0.02 * r.nextGaussian()) : 0.15 * r.nextDouble();
        });
    }

    static Proposal proposal(Result r) {
        if (r instanceof Refusal refusal) {
            throw new AssertionError("refused: " + refusal.reason() + " " + refusal.message());
        }
        return (Proposal) r;
    }

    @Test
    void onOffHistoryGivesThresholdsBetweenTheLevelsAndTheNormalPower() {
        Proposal p = proposal(learner.learn(dayShift(7, 50, 1), PRODUCTION));
        assertEquals(2, p.quality().levels(), p.quality().toString());
        assertTrue(p.stopBelow() > 0.15 + 0.1, "stop_below above the off noise: " + p);
        assertTrue(p.stopBelow() < p.runAbove(), "hysteresis: " + p);
        assertTrue(p.runAbove() < 0.5 * 50, "run_above well below the running level: " + p);
        assertEquals(50, p.normalRunning(), 0.5, "normal running = median of the running level");
        assertNull(p.abnormalBelow(), "production facilities get no abnormal threshold");
        assertEquals(0.5, p.quality().shareRunning(), 0.01);
        assertEquals(0, p.quality().shareIdle());
        assertTrue(p.quality().separation() > 0.9, "two clear levels: " + p.quality());
        assertEquals(7, p.quality().daysCovered(), 1e-9);
        assertEquals(7 * 1440, p.quality().samples());
        assertTrue(p.quality().warnings().isEmpty(), p.quality().warnings().toString());
        // the proposed thresholds read the history correctly: every running minute ≥ run_above, every off minute < stop
        for (Sample s : dayShift(7, 50, 1)) {
            int t = (int) ((s.ts() - START) / MIN % 1440);
            if (t >= 483 && t < 1200) {
                assertTrue(s.value() >= p.runAbove());
            } else if (t < 480 || t >= 1203) {
                assertTrue(s.value() < p.stopBelow());
            }
        }
    }

    @Test
    void treatmentGetsAnAbnormalThresholdAtTheFractionOfItsNormalPower() {
        Proposal p = proposal(learner.learn(dayShift(7, 20, 2), TREATMENT));
        assertEquals(20, p.normalRunning(), 0.3);
        assertEquals(0.6 * p.normalRunning(), p.abnormalBelow(), 0.05);
        assertTrue(p.abnormalBelow() > p.runAbove(), "the abnormal band sits above run_above (registry rule)");

        Proposal tiny = proposal(learner.learn(dayShift(7, 20, 2), new Facility("P", true, null, 0.05)));
        assertNull(tiny.abnormalBelow(), "0.05 × normal is below run_above: no abnormal band");
        assertTrue(tiny.quality().warnings().stream().anyMatch(w -> w.contains("不设异常阈值")), tiny.quality().warnings().toString());
    }

    @Test
    void anIdleLevelBecomesTheBandBetweenTheThresholds() {
        Random r = new Random(3);
        // off 00:00–06:00, idle ≈ 8 kW 06:00–10:00 (warm-up, 空转), running ≈ 50 kW 10:00–22:00, off after
        List<Sample> h = history(10, m -> {
            int t = m % 1440;
            if (t < 360 || t >= 1320) {
                return 0.1 * r.nextDouble();
            }
            return t < 600 ? 8 * (1 + 0.04 * r.nextGaussian()) : 50 * (1 + 0.02 * r.nextGaussian());
        });
        Proposal p = proposal(learner.learn(h, PRODUCTION));
        assertEquals(3, p.quality().levels(), p.quality().toString());
        assertTrue(p.stopBelow() > 0.1 && p.stopBelow() < 8 * 0.85, "stop_below between off and idle: " + p);
        assertTrue(p.runAbove() > 8 * 1.15 && p.runAbove() < 50 * 0.9, "run_above between idle and running: " + p);
        assertEquals(8, p.quality().idleLevel(), 0.2);
        assertEquals(4 / 24.0, p.quality().shareIdle(), 0.005);
        assertEquals(50, p.normalRunning(), 0.5);
        assertTrue(p.quality().separation() > 0.95, p.quality().toString());
    }

    @Test
    void aVariableRunningLoadIsNotMistakenForAnIdleLevel() {
        Random r = new Random(4);
        // production varies 20–100 kW while on; off at night
        List<Sample> h = history(7, m -> {
            int t = m % 1440;
            return t >= 480 && t < 1200 ? 20 + 80 * r.nextDouble() : 0.1 * r.nextDouble();
        });
        Proposal p = proposal(learner.learn(h, PRODUCTION));
        assertEquals(2, p.quality().levels(), p.quality().toString());
        assertTrue(p.runAbove() < 20, "every running minute reads as running: " + p);
        assertTrue(p.quality().warnings().isEmpty(), p.quality().warnings().toString());
        assertEquals(60, p.normalRunning(), 3);
    }

    @Test
    void aStandbyLoadIsTheOffLevelAndStopBelowClearsItsNoise() {
        Random r = new Random(5);
        // lighting and controls keep 5 kW on the meter when the line is off
        List<Sample> h = history(7, m -> {
            int t = m % 1440;
            return t >= 480 && t < 1200 ? 40 * (1 + 0.03 * r.nextGaussian()) : 5 * (1 + 0.05 * r.nextGaussian());
        });
        Proposal p = proposal(learner.learn(h, PRODUCTION));
        assertEquals(2, p.quality().levels());
        assertTrue(p.stopBelow() > 5 * 1.15, "above the standby noise: " + p);
        assertTrue(p.runAbove() < 40 * 0.85, "below the running noise: " + p);
        assertEquals(5, p.quality().offLevel(), 0.1);
    }

    @Test
    void alwaysRunningIsRefusedBecauseTheFacilityNeverStopped() {
        Random r = new Random(6);
        Result res = learner.learn(history(14, m -> 50 * (1 + 0.1 * r.nextGaussian())), PRODUCTION);
        Refusal no = assertInstanceOf(Refusal.class, res);
        assertEquals(Reason.NEVER_STOPPED, no.reason());
        assertTrue(no.message().contains("从未停机"), no.message());
    }

    @Test
    void twoLoadLevelsWithoutAStopAreRefusedToo() {
        Random r = new Random(7);
        // a kiln line at 30 kW at night and 90 kW by day: two levels, but neither is "off"
        Result res = learner.learn(history(14, m -> (m % 1440 < 480 ? 30 : 90) * (1 + 0.02 * r.nextGaussian())), PRODUCTION);
        Refusal no = assertInstanceOf(Refusal.class, res);
        assertEquals(Reason.NEVER_STOPPED, no.reason(), no.message());
    }

    @Test
    void alwaysOffIsRefusedBecauseTheFacilityNeverRan() {
        Random r = new Random(8);
        Refusal no = assertInstanceOf(Refusal.class, learner.learn(history(14, m -> 0.08 * r.nextDouble()), PRODUCTION));
        assertEquals(Reason.NEVER_RAN, no.reason());
        assertTrue(no.message().contains("从未运行"), no.message());

        // ran for 40 minutes in 14 days: below the 1 % share a level needs
        Refusal brief = assertInstanceOf(Refusal.class, learner.learn(
                history(14, m -> m >= 5000 && m < 5040 ? 30.0 : 0.08 * r.nextDouble()), PRODUCTION));
        assertEquals(Reason.NEVER_RAN, brief.reason(), brief.message());
    }

    @Test
    void tooLittleDataIsRefused() {
        Refusal few = assertInstanceOf(Refusal.class, learner.learn(dayShift(7, 50, 9).subList(0, 150), PRODUCTION));
        assertEquals(Reason.TOO_FEW_SAMPLES, few.reason());
        assertTrue(few.message().contains("150"), few.message());

        // two days of minutes: plenty of samples, too short a period
        Refusal shortPeriod = assertInstanceOf(Refusal.class, learner.learn(dayShift(2, 50, 9), PRODUCTION));
        assertEquals(Reason.TOO_FEW_DAYS, shortPeriod.reason());
        assertEquals(2, shortPeriod.quality().daysCovered(), 1e-9);

        // NaN and clearly negative values (a reversed CT) do not count
        List<Sample> bad = new ArrayList<>();
        for (Sample s : dayShift(7, 50, 9)) {
            bad.add(new Sample(s.ts(), s.value() > 1 ? -s.value() : s.value()));
        }
        Refusal reversed = assertInstanceOf(Refusal.class, learner.learn(bad, PRODUCTION));
        assertEquals(Reason.NEVER_RAN, reversed.reason());
        assertTrue(reversed.quality().negativeDropped() > 3000, reversed.quality().toString());
    }

    @Test
    void currentQuantityIsLearnedInAmperes() {
        Random r = new Random(10);
        // a device that reports only phase currents: ≈ 80 A running, 0–0.3 A (CT noise) when off
        List<Sample> h = history(7, m -> {
            int t = m % 1440;
            return t >= 420 && t < 1140 ? 80 * (1 + 0.03 * r.nextGaussian()) : 0.3 * r.nextDouble();
        });
        Proposal p = proposal(learner.learn(h, new Facility("I", true, 30.0, 0.6)));
        assertEquals("I", p.quantity());
        assertEquals(80, p.normalRunning(), 1);
        assertTrue(p.stopBelow() > 0.3 && p.runAbove() < 40 && p.stopBelow() < p.runAbove(), p.toString());
        assertEquals(48, p.abnormalBelow(), 0.6);
        assertTrue(p.quality().warnings().isEmpty(), "rated kW is not compared with amperes: " + p.quality().warnings());
    }

    @Test
    void aNormalPowerAboveTheRatedPowerIsFlagged() {
        Proposal p = proposal(learner.learn(dayShift(7, 50, 11), new Facility("P", false, 30.0, 0.6)));
        assertTrue(p.quality().warnings().stream().anyMatch(w -> w.contains("额定功率")), p.quality().warnings().toString());
    }

    @Test
    void significantFiguresKeepThresholdsReadable() {
        assertEquals(2.25, ThresholdLearner.sig3(2.2471), 1e-12);
        assertEquals(1230, ThresholdLearner.sig3(1234.5), 1e-9);
        assertEquals(0.0123, ThresholdLearner.sig3(0.012345), 1e-12);
    }
}
