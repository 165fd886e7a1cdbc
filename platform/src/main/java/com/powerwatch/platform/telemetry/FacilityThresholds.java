package com.powerwatch.platform.telemetry;

/**
 * The thresholds a facility's state is judged against (docs/analysis-models.md §1) — one resolution for the alarm
 * engine and the real-time state, so that the map and the alarms never disagree on what "running" means:
 * <ul>
 *   <li>the registry's {@code stop_below} / {@code run_above} (one of them alone serves as both);</li>
 *   <li>with neither set and a rated power known (kW facilities only), the defaults of domain notes §1.2:
 *       stop below max(5 % of {@code rated_kw}, 0.3 kW), run above max(10 % of {@code rated_kw}, 0.5 kW);</li>
 *   <li>treatment only: the registry's {@code abnormal_below}, else k × the accepted learned
 *       {@code normal_running}, k = {@code abnormalRatio} of the TREATMENT_ABNORMAL rule in force for the facility.</li>
 * </ul>
 * It lives in {@code telemetry} (not {@code analysis}) because the real-time state needs it and the analysis package
 * already depends on telemetry; for the same reason k comes in through {@link FacilityRules} instead of the
 * alarm rules themselves (alarm → analysis → telemetry would close a cycle).
 */
public final class FacilityThresholds {

    /** k of TREATMENT_ABNORMAL when no rule says otherwise; equal to AlarmRuleSchema's default (a test checks it). */
    public static final double DEFAULT_ABNORMAL_RATIO = 0.6;

    private FacilityThresholds() {
    }

    /** The facility's thresholds, or null when none are set and none can be derived (the state is then UNKNOWN). */
    public static FacilityStateMachine.Thresholds of(RegistrySnapshot.Facility f, FacilityRules rules) {
        Double stop = f.stopBelow();
        Double run = f.runAbove();
        if (stop == null && run == null) {
            Double kw = f.ratedKw();
            // rated power says nothing about a threshold in amperes
            if (kw == null || "I".equals(f.thresholdQuantity())) {
                return null;
            }
            stop = Math.max(0.05 * kw, 0.3);
            run = Math.max(0.10 * kw, 0.5);
        }
        double s = stop != null ? stop : run;
        double r = run != null ? run : stop;
        Double abnormal = f.treatment() ? f.abnormalBelow() : null;
        if (abnormal == null && f.treatment() && f.normalRunning() != null) {
            // learned P_norm accepted by an operator: abnormal below k × P_norm (降频/空转, domain notes §1.2)
            abnormal = rules.abnormalRatio(f.id()) * f.normalRunning();
        }
        return new FacilityStateMachine.Thresholds(s, r, abnormal);
    }
}
