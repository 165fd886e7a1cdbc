package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.alarm.AlarmRuleSchema;
import com.powerwatch.platform.alarm.RuleParameter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A meter's supply fault from its phase voltages (docs/analysis-models.md §1, meter faults). */
class MeterSupplyTest {

    static final MeterSupply.Limits D = MeterSupply.Limits.DEFAULT;

    @Test
    void meterFaultsFromPhaseVoltages() {
        assertEquals("POWER_LOSS", MeterSupply.fault(Map.of("UA", 0.1, "UB", 0.2, "UC", 0.3), 1, D));
        assertEquals("PHASE_LOSS", MeterSupply.fault(Map.of("UA", 0.1, "UB", 225.0, "UC", 226.0), 1, D));
        assertNull(MeterSupply.fault(Map.of("UA", 221.0, "UB", 225.0, "UC", 226.0), 1, D));
        assertNull(MeterSupply.fault(Map.of("P", 0.0), 1, D), "no voltages: no verdict");
        assertNull(MeterSupply.fault(Map.of("UA", 0.1, "UB", 150.0, "UC", 150.0), 1, D), "the others not live: no verdict");
        // behind a 10 kV PT (ratio 100): secondaries of 57.7 V read as 5,774 V
        assertEquals("PHASE_LOSS", MeterSupply.fault(Map.of("UA", 10.0, "UB", 5774.0, "UC", 5770.0), 100, D));
        assertNull(MeterSupply.fault(Map.of("UA", 5770.0, "UB", 5774.0, "UC", 5770.0), 100, D));
    }

    @Test
    void theLimitsComeFromTheRules() {
        assertEquals("POWER_LOSS", MeterSupply.fault(Map.of("UA", 20.0, "UB", 20.0, "UC", 20.0), 1,
                new MeterSupply.Limits(30, 10, 198)));
        assertEquals("PHASE_LOSS", MeterSupply.fault(Map.of("UA", 0.1, "UB", 150.0, "UC", 150.0), 1,
                new MeterSupply.Limits(10, 10, 140)));
    }

    @Test
    void theDefaultsAreTheRuleSchemasDefaults() {
        assertEquals(D.zeroV(), schemaDefault("METER_POWER_LOSS", "zeroVoltageV"));
        assertEquals(D.phaseZeroV(), schemaDefault("PHASE_LOSS", "zeroVoltageV"));
        assertEquals(D.normalMinV(), schemaDefault("PHASE_LOSS", "normalVoltageMinV"));
    }

    private static double schemaDefault(String type, String name) {
        RuleParameter p = AlarmRuleSchema.of(type).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return ((Number) p.defaultValue()).doubleValue();
    }
}
