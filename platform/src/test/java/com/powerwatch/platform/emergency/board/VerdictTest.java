package com.powerwatch.platform.emergency.board;

import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Measure;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The verdict rules of docs/emergency.md §4, one by one; never 达标 without data. */
class VerdictTest {

    static final EmergencyProperties S = new EmergencyProperties(DataSize.ofMegabytes(10), 20000, Duration.ofDays(31), Duration.ofDays(3),
            Duration.ofMinutes(15), 0.8, Duration.ofMinutes(5), 5, 0.25, 2, 0.5, Duration.ofMinutes(1), Duration.ofSeconds(10), "", "", 10);

    static Verdict.Evidence ev(int expected, int covered, int running, int runningCovered, double runningKw, double coveredKw) {
        return new Verdict.Evidence(expected, covered, running, runningCovered, runningKw, coveredKw,
                running > 0 ? Instant.parse("2026-12-01T00:30:00Z") : null);
    }

    @Test
    void aStopIsKeptOnlyWithDataAndWithoutRunning() {
        assertEquals(Verdict.Kind.COMPLIANT, Verdict.judge(Measure.STOP, null, 100.0, null, true, ev(8, 8, 0, 0, 0, 40), S).kind());
        assertEquals(Verdict.Kind.UNDETERMINED, Verdict.judge(Measure.STOP, null, 100.0, null, true, ev(8, 6, 0, 0, 0, 30), S).kind(),
                "6 of 8 buckets is below 80 %: no verdict of compliance without data");
        assertEquals(Verdict.Kind.NON_COMPLIANT, Verdict.judge(Measure.STOP, null, 100.0, null, true, ev(8, 2, 1, 1, 90, 90), S).kind(),
                "running is evidence even with gaps");
        assertEquals(Verdict.Kind.NON_COMPLIANT, Verdict.judge(Measure.STOP, null, 100.0, null, true, ev(4, 4, 0, 0, 0, 4 * 30.0), S).kind(),
                "no facility over its threshold, but 30 kW on average is over 25 % of 100 kW");
        assertEquals(Verdict.Kind.UNDETERMINED, Verdict.judge(Measure.STOP, null, null, null, true, ev(0, 0, 0, 0, 0, 0), S).kind(),
                "in the run-down: no verdict yet");
        assertEquals(Verdict.Kind.NOT_STARTED, Verdict.judge(Measure.STOP, null, null, null, false, ev(0, 0, 0, 0, 0, 0), S).kind());
    }

    @Test
    void aLimitIsJudgedByTheMeanRunningPowerAgainstTheBaseline() {
        // 4 running buckets at 60 kW against a 100 kW baseline: 40 % reduction; 40 ≥ 50 − 5? no
        Verdict.Result r = Verdict.judge(Measure.LIMIT, 50.0, 100.0, null, true, ev(4, 4, 4, 4, 240, 240), S);
        assertEquals(Verdict.Kind.NON_COMPLIANT, r.kind());
        assertEquals(40.0, r.reductionPercent());
        // 46 % reduction is within the 5-point tolerance of 50 %
        assertEquals(Verdict.Kind.COMPLIANT, Verdict.judge(Measure.LIMIT, 50.0, 100.0, null, true, ev(2, 2, 2, 2, 108, 108), S).kind());
        // never running: 100 %
        assertEquals(100.0, Verdict.judge(Measure.LIMIT, 50.0, 100.0, null, true, ev(4, 4, 0, 0, 0, 8), S).reductionPercent());
        Verdict.Result none = Verdict.judge(Measure.LIMIT, 50.0, null, "应急预警：基线计算中", true, ev(4, 4, 4, 4, 240, 240), S);
        assertEquals(Verdict.Kind.UNDETERMINED, none.kind());
        assertNull(none.reductionPercent());
        assertEquals("无基线：应急预警：基线计算中", none.reason());
    }

    @Test
    void bucketsExpectedCountEveryBucketThatBeganInTheWindow() {
        long first = MeasureEvaluator.ceil(Instant.parse("2026-12-01T00:07:00Z").toEpochMilli());
        assertEquals(Instant.parse("2026-12-01T00:15:00Z").toEpochMilli(), first);
        assertEquals(0, MeasureEvaluator.expected(first, first));
        assertEquals(1, MeasureEvaluator.expected(first, first + 1));
        assertEquals(4, MeasureEvaluator.expected(first, first + 3 * MeasureEvaluator.BUCKET + 1));
    }
}
