package com.powerwatch.simulator;

/**
 * What the simulator injects (and records in the ground truth). The names are the alarm type codes the
 * platform's alarm engine uses; see docs/simulator.md for what each injection does.
 */
public enum ViolationType {
    /** Production starts, its treatment never starts for the episode (治污设施未开启). */
    TREATMENT_NOT_STARTED,
    /** Treatment stops while production keeps running, and comes back later (治污设施异常关闭/停运). */
    TREATMENT_STOPPED,
    /** Treatment runs at 20–33 % of its normal running power while production runs (降频/空转). */
    TREATMENT_ABNORMAL,
    /** Treatment starts later than production by more than the lead tolerance, or stops earlier than the lag tolerance (启停顺序异常). */
    START_STOP_ORDER,
    /** Treatment/production energy ratio of a day falls below half of the enterprise's usual (产治电量比异常). */
    TREATMENT_RATIO_DROP,
    /** Production under an ordered stop (偷生产/违规生产). */
    PRODUCTION_DURING_STOP,
    /** Production above the allowed level under an ordered limit (限产不达标). */
    LIMIT_NOT_KEPT,
    /** Production far above its rated load (超负荷/擅自扩大产能). */
    OVER_CAPACITY,
    /** The data logger sends nothing (掉线). */
    LOGGER_OFFLINE,
    /** One meter's items are missing from the frames while the logger keeps sending. */
    METER_OFFLINE,
    /** All three voltages ≈ 0 on one meter, power 0 (表计掉电/失电). */
    METER_POWER_LOSS,
    /** One phase voltage ≈ 0 on one meter (缺相). */
    PHASE_LOSS,
    /** The meter's items are flagged invalid (Flag D or F). */
    INVALID_DATA,
    /** A meter repeats exactly the same values (恒值). */
    FROZEN_VALUE,
    /** Physically impossible readings: P ≠ 3·U·I·PF, W instead of kW, energy faster than power allows. */
    IMPOSSIBLE_READING,
    /** Electricity use far outside the enterprise's own pattern for that hour (e.g. a night shift that never happens). */
    PATTERN_ANOMALY
}
