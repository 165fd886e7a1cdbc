package com.powerwatch.platform.analysis;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The engine's meter / supply fault from the phase voltages (docs/analysis-models.md §1, meter faults). */
class MeterFaultTest {

    @Test
    void meterFaultsFromPhaseVoltages() {
        assertEquals("POWER_LOSS", AlarmEngine.fault(Map.of("UA", 0.1, "UB", 0.2, "UC", 0.3), 1, 10, 10, 198));
        assertEquals("PHASE_LOSS", AlarmEngine.fault(Map.of("UA", 0.1, "UB", 225.0, "UC", 226.0), 1, 10, 10, 198));
        assertNull(AlarmEngine.fault(Map.of("UA", 221.0, "UB", 225.0, "UC", 226.0), 1, 10, 10, 198));
        assertNull(AlarmEngine.fault(Map.of("P", 0.0), 1, 10, 10, 198), "no voltages: no verdict");
        // behind a 10 kV PT (ratio 100): secondaries of 57.7 V read as 5,774 V
        assertEquals("PHASE_LOSS", AlarmEngine.fault(Map.of("UA", 10.0, "UB", 5774.0, "UC", 5770.0), 100, 10, 10, 198));
        assertNull(AlarmEngine.fault(Map.of("UA", 5770.0, "UB", 5774.0, "UC", 5770.0), 100, 10, 10, 198));
    }
}
