package com.powerwatch.platform.telemetry;

import java.util.Map;

/**
 * A meter's supply fault from its phase voltages (docs/analysis-models.md §1, meter faults): all phases ≈ 0 is a
 * power loss at the meter (失电), one or two ≈ 0 with the others live a phase loss (缺相). One judgement for the
 * alarm engine (METER_POWER_LOSS, PHASE_LOSS) and the real-time map, with the voltages of the rules in force.
 */
public final class MeterSupply {

    public static final String POWER_LOSS = "POWER_LOSS";
    public static final String PHASE_LOSS = "PHASE_LOSS";

    /**
     * Secondary volts (multiplied by the PT ratio for canonical values): below {@code zeroV} every phase → power loss;
     * a phase below {@code phaseZeroV} with the others at or above {@code normalMinV} → phase loss. Equal to the
     * defaults of METER_POWER_LOSS.zeroVoltageV, PHASE_LOSS.zeroVoltageV and PHASE_LOSS.normalVoltageMinV in
     * AlarmRuleSchema (a test checks it).
     */
    public record Limits(double zeroV, double phaseZeroV, double normalMinV) {
        public static final Limits DEFAULT = new Limits(10, 10, 198);
    }

    private MeterSupply() {
    }

    /** The fault a sample shows ({@link #POWER_LOSS}, {@link #PHASE_LOSS}) or null; voltages are canonical (× PT). */
    public static String fault(Map<String, Object> values, double pt, Limits l) {
        int present = 0;
        int zero = 0;
        int phaseZero = 0;
        int live = 0;
        double ratio = Math.max(pt, 1);
        // behind a PT the secondary phase voltage is 57.7 V: "live" is then 5 × the zero threshold
        double liveV = (pt > 1 ? 5 * l.phaseZeroV() : l.normalMinV()) * ratio;
        for (String q : new String[]{"UA", "UB", "UC"}) {
            if (values.get(q) instanceof Number n) {
                double u = n.doubleValue();
                present++;
                if (u < l.zeroV() * ratio) {
                    zero++;
                }
                if (u < l.phaseZeroV() * ratio) {
                    phaseZero++;
                } else if (u >= liveV) {
                    live++;
                }
            }
        }
        if (present > 0 && zero == present) {
            return POWER_LOSS;
        }
        if (phaseZero > 0 && live > 0 && phaseZero + live == present) {
            return PHASE_LOSS;
        }
        return null;
    }
}
