package com.powerwatch.platform.telemetry;

/**
 * The parameters of the alarm rules in force for a facility that the real-time state needs to judge it as the alarm
 * engine does, so that the map and the alarms never disagree. The analysis package provides them from its rule
 * cache (AnalysisConfig); telemetry does not depend on the alarm rules (alarm → analysis → telemetry would close a
 * cycle).
 */
public interface FacilityRules {

    /** k of TREATMENT_ABNORMAL: a treatment running below k × its learned normal power is abnormal. */
    double abnormalRatio(long facilityId);

    /** The voltages of METER_POWER_LOSS and PHASE_LOSS for the facility's meters. */
    MeterSupply.Limits supplyLimits(long facilityId);

    /** The rule schema's defaults (no rule service at hand, e.g. a state rebuilt for comparison). */
    FacilityRules DEFAULT = new FacilityRules() {
        @Override
        public double abnormalRatio(long facilityId) {
            return FacilityThresholds.DEFAULT_ABNORMAL_RATIO;
        }

        @Override
        public MeterSupply.Limits supplyLimits(long facilityId) {
            return MeterSupply.Limits.DEFAULT;
        }
    };
}
