package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.alarm.AlarmRuleSchema;
import com.powerwatch.platform.alarm.RuleParameter;
import com.powerwatch.platform.telemetry.FacilityStateMachine.Thresholds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FacilityThresholdsTest {

    private static final FacilityRules K_HALF = new FacilityRules() {
        @Override
        public double abnormalRatio(long facilityId) {
            return 0.5;
        }

        @Override
        public MeterSupply.Limits supplyLimits(long facilityId) {
            return MeterSupply.Limits.DEFAULT;
        }
    };

    private static RegistrySnapshot.Facility facility(String kind, String quantity, Double stop, Double run,
                                                      Double abnormal, Double normalRunning, Double ratedKw) {
        return new RegistrySnapshot.Facility(7, 1, "f", kind, quantity, stop, run, abnormal, List.of(), List.of(),
                normalRunning, ratedKw);
    }

    @Test
    void theRegistryThresholdsComeFirstAndOneAloneServesForBoth() {
        assertEquals(new Thresholds(5, 10, null),
                FacilityThresholds.of(facility("PRODUCTION", "P", 5.0, 10.0, null, null, 400.0), K_HALF));
        assertEquals(new Thresholds(8, 8, null),
                FacilityThresholds.of(facility("PRODUCTION", "P", null, 8.0, null, null, null), K_HALF));
        assertEquals(new Thresholds(3, 3, null),
                FacilityThresholds.of(facility("PRODUCTION", "P", 3.0, null, null, null, null), K_HALF));
    }

    @Test
    void withoutRegistryThresholdsTheRatedPowerGivesThem() {
        assertEquals(new Thresholds(10, 20, null),
                FacilityThresholds.of(facility("PRODUCTION", "P", null, null, null, null, 200.0), K_HALF),
                "5 % and 10 % of rated");
        assertEquals(new Thresholds(0.3, 0.5, null),
                FacilityThresholds.of(facility("PRODUCTION", "P", null, null, null, null, 2.0), K_HALF),
                "never below 0.3 / 0.5 kW");
        assertNull(FacilityThresholds.of(facility("PRODUCTION", "I", null, null, null, null, 200.0), K_HALF),
                "rated kW says nothing about amperes");
        assertNull(FacilityThresholds.of(facility("PRODUCTION", "P", null, null, null, null, null), K_HALF));
    }

    @Test
    void aTreatmentIsAbnormalBelowItsThresholdElseBelowKTimesItsAcceptedNormalValue() {
        assertEquals(30.0, FacilityThresholds.of(facility("TREATMENT", "P", 2.0, 4.0, 30.0, 80.0, null), K_HALF)
                .abnormalBelow(), "the registry's abnormal_below wins");
        assertEquals(40.0, FacilityThresholds.of(facility("TREATMENT", "P", 2.0, 4.0, null, 80.0, null), K_HALF)
                .abnormalBelow(), "k × normal_running");
        assertEquals(48.0, FacilityThresholds.of(facility("TREATMENT", "P", null, null, null, 80.0, 100.0),
                FacilityRules.DEFAULT).abnormalBelow(), 1e-9, "default k with rated defaults");
        assertNull(FacilityThresholds.of(facility("TREATMENT", "P", 2.0, 4.0, null, null, null), K_HALF).abnormalBelow());
        assertNull(FacilityThresholds.of(facility("PRODUCTION", "P", 2.0, 4.0, 30.0, 80.0, null), K_HALF).abnormalBelow(),
                "only treatment facilities have an abnormal band");
    }

    @Test
    void theDefaultRatioIsTheRuleSchemasDefault() {
        RuleParameter k = AlarmRuleSchema.of("TREATMENT_ABNORMAL").stream()
                .filter(p -> p.name().equals("abnormalRatio")).findFirst().orElseThrow();
        assertEquals(((Number) k.defaultValue()).doubleValue(), FacilityThresholds.DEFAULT_ABNORMAL_RATIO);
    }
}
