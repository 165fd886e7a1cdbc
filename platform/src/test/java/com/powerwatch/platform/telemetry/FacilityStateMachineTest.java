package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.telemetry.FacilityStateMachine.State;
import com.powerwatch.platform.telemetry.FacilityStateMachine.Thresholds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FacilityStateMachineTest {

    private static final Thresholds T = new Thresholds(1, 5, null);
    private static final long M = 60_000;

    private static FacilityStateMachine feed(FacilityStateMachine sm, Thresholds t, int debounce, double... values) {
        long ts = sm.lastTs() == Long.MIN_VALUE ? 0 : sm.lastTs();
        for (double v : values) {
            ts += M;
            sm.update(ts, v, null, t, debounce);
        }
        return sm;
    }

    @Test
    void firstDecisionIsImmediateThenDebounced() {
        FacilityStateMachine sm = feed(new FacilityStateMachine(), T, 2, 0);
        assertEquals(State.STOPPED, sm.state());
        feed(sm, T, 2, 8);
        assertEquals(State.STOPPED, sm.state(), "one sample is not enough with debounce 2");
        feed(sm, T, 2, 0);
        assertEquals(State.STOPPED, sm.state(), "a single spike never switches");
        feed(sm, T, 2, 8, 8);
        assertEquals(State.RUNNING, sm.state());
        assertEquals(4 * M, sm.since(), "since = the first of the agreeing samples");
    }

    @Test
    void hysteresisBandKeepsTheLastOnOffDecision() {
        FacilityStateMachine sm = feed(new FacilityStateMachine(), T, 1, 0, 3, 3);
        assertEquals(State.STOPPED, sm.state(), "from a stop, the band stays stopped (no switching on below runAbove)");
        feed(sm, T, 1, 6);
        assertEquals(State.RUNNING, sm.state());
        feed(sm, T, 1, 3);
        assertEquals(State.LOW, sm.state(), "from a run, the band is idle (空转/低负荷)");
        assertEquals("LOW_LOAD", sm.reason());
        feed(sm, T, 1, 0.5);
        assertEquals(State.STOPPED, sm.state());
        assertEquals(State.LOW, feed(new FacilityStateMachine(), T, 1, 3).state(), "a first value in the band counts as switched on");
    }

    @Test
    void abnormalBelowTheNormalBand() {
        Thresholds t = new Thresholds(1, 5, 30.0);
        FacilityStateMachine sm = feed(new FacilityStateMachine(), t, 1, 50);
        assertEquals(State.RUNNING, sm.state());
        feed(sm, t, 1, 15);
        assertEquals(State.ABNORMAL, sm.state());
        assertEquals("BELOW_NORMAL", sm.reason());
        feed(sm, t, 1, 40);
        assertEquals(State.RUNNING, sm.state());
    }

    @Test
    void faultsAreNotStopsAndKeepTheOnMemory() {
        FacilityStateMachine sm = feed(new FacilityStateMachine(), T, 1, 8);
        sm.update(sm.lastTs() + M, 0.0, "POWER_LOSS", T, 1);
        assertEquals(State.FAULT, sm.state());
        assertEquals("POWER_LOSS", sm.reason());
        feed(sm, T, 1, 3);
        assertEquals(State.LOW, sm.state(), "after the fault the band still remembers 'on'");
        sm.offline(sm.lastTs() + 10 * M);
        assertEquals(State.OFFLINE, sm.state());
        assertFalse(sm.update(sm.lastTs(), 8.0, null, T, 1), "a sample not newer than the last is ignored (replay)");
    }

    @Test
    void noThresholdsOrNoValueIsUnknown() {
        FacilityStateMachine sm = new FacilityStateMachine();
        sm.update(M, 5.0, null, null, 1);
        assertEquals(State.UNKNOWN, sm.state());
        assertEquals("NO_THRESHOLDS", sm.reason());
        sm.update(2 * M, null, null, T, 1);
        assertEquals("NO_VALUE", sm.reason());
    }

    @Test
    void reviseDecidesTheLatestSampleAgainFromTheStateBeforeIt() {
        // a facility of two meters: the first meter's 3 kW for minute 2 arrives alone, the second's later
        FacilityStateMachine sm = feed(new FacilityStateMachine(), T, 1, 0);
        assertEquals(State.STOPPED, sm.state());
        assertFalse(sm.revise(2 * M, 3.0, null, T, 1), "3 kW from a stop: still stopped (band)");
        assertTrue(sm.revise(2 * M, 6.0, null, T, 1), "with the second meter's 3 kW the sum crosses runAbove");
        assertEquals(State.RUNNING, sm.state());
        assertEquals(2 * M, sm.since());
        assertTrue(sm.revise(2 * M, 3.0, null, T, 1), "the second meter went offline: 3 kW again");
        assertEquals(State.STOPPED, sm.state(), "decided from the stop before minute 2, not as idle after a run");
        assertFalse(sm.update(2 * M, 8.0, null, T, 1), "update still ignores a replay");
        assertEquals(State.STOPPED, sm.state());
        sm.revise(3 * M, 8.0, null, T, 1);
        assertEquals(State.RUNNING, sm.state(), "a newer sample is an ordinary update");
        assertEquals(3 * M, sm.since());
    }
}
