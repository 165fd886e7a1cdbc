package com.powerwatch.platform.alarm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.powerwatch.platform.alarm.RuleParameter.integer;
import static com.powerwatch.platform.alarm.RuleParameter.number;

/**
 * The parameters each alarm type's rule takes, as data: the rule settings page, the validation of
 * {@code PUT /api/alarm-rules} and {@link AlarmRules#effective} all read this table. Defaults are the proposals of
 * docs/domain-notes.md §1 ([D]); every one can be overridden per region, industry, enterprise or facility.
 */
public final class AlarmRuleSchema {

    private static final RuleParameter PERSIST = integer("persistMinutes", 1, 1440, 15, "min",
            "条件持续多久才报警 (T_alarm；10/15 分钟数据建议 30)");
    private static final RuleParameter DEBOUNCE = integer("debounceSamples", 1, 10, 2, "samples",
            "连续几个样本一致才认定设施状态变化 (1 分钟数据 2，≥10 分钟数据 1；同一设施取其各规则中的最大值)");
    // the association's own tolerances (facility_association) apply unless a rule sets these; defaults as registered
    private static final RuleParameter START_LAG = integer("startLagMinutes", 0, 120, 10, "min",
            "治污设施可晚于生产开启的时间 (τ_start)；未设置时取产治关联登记的开机容差");
    private static final RuleParameter STOP_LEAD = integer("stopLeadMinutes", 0, 120, 30, "min",
            "治污设施可早于生产停止的时间 (τ_stop)；未设置时取产治关联登记的停机容差");
    private static final RuleParameter WINDOW_30 = integer("windowDays", 7, 365, 30, "d", "历史参照窗口");
    private static final RuleParameter OFFLINE_MULTIPLE = number("intervalMultiple", 1, 20, 3, "×",
            "超过上报间隔的几倍无数据视为离线");
    private static final RuleParameter OFFLINE_MINIMUM = integer("minimumMinutes", 1, 1440, 5, "min", "离线判定的最短时间");
    private static final RuleParameter OFFLINE_UNKNOWN = integer("unknownIntervalMinutes", 1, 1440, 30, "min",
            "上报间隔未知时的离线判定时间");
    private static final RuleParameter ZERO_VOLTAGE = number("zeroVoltageV", 0, 100, 10, "V", "低于此相电压视为无电压");

    static final Map<String, List<RuleParameter>> BY_TYPE;

    static {
        Map<String, List<RuleParameter>> m = new LinkedHashMap<>();
        m.put("TREATMENT_NOT_STARTED", List.of(PERSIST, START_LAG, DEBOUNCE,
                integer("level1AfterMinutes", 15, 10080, 240, "min", "未开启持续多久升为一级")));
        m.put("TREATMENT_STOPPED", List.of(PERSIST, STOP_LEAD, DEBOUNCE));
        m.put("TREATMENT_ABNORMAL", List.of(PERSIST, DEBOUNCE,
                number("abnormalRatio", 0.1, 0.95, 0.6, "", "运行功率低于正常运行功率 P_norm 的此比例视为异常 (k)")));
        m.put("START_STOP_ORDER", List.of(START_LAG, STOP_LEAD));
        m.put("TREATMENT_RATIO_DROP", List.of(
                number("ratioOfMedian", 0.1, 0.95, 0.5, "", "日治污/生产电量比低于历史中位数的此比例报警"), WINDOW_30,
                integer("minHistoryDays", 2, 90, 7, "d", "窗口内至少有几个正常生产日才评估（历史不足不报警）"),
                number("minProductionShare", 0.05, 1, 0.3, "", "当日生产电量不低于历史生产日中位数的此比例才评估"),
                number("minProductionKwh", 0, 1_000_000, 10, "kWh", "生产日的最低生产电量")));
        m.put("PRODUCTION_DURING_STOP", List.of(PERSIST, DEBOUNCE,
                integer("runDownMinutes", 0, 240, 15, "min", "停产开始后允许的停机过渡时间"),
                number("baselineShareMax", 0.05, 0.8, 0.25, "", "停产期间总用电不得超过基线的比例")));
        m.put("LIMIT_NOT_KEPT", List.of(
                number("tolerancePoints", 0, 30, 5, "%", "削减比例可低于要求的百分点"),
                number("level2BelowPoints", 0, 50, 10, "%", "低于要求超过此百分点为二级"),
                integer("earlyWarningHours", 1, 24, 2, "h", "滚动评估：低于目标持续多久预警")));
        m.put("OVER_CAPACITY", List.of(
                number("ratedFactor", 1, 3, 1.1, "×", "生产功率超过额定功率的倍数"),
                number("historyFactor", 1, 5, 1.3, "×", "无额定功率时：生产功率超过历史参照功率的倍数"),
                number("percentile", 50, 100, 99, "%", "历史参照功率：近 windowDays 天运行时段 15 分钟平均功率的此分位数（每日计算）"),
                integer("windowDays", 7, 365, 30, "d", "历史参照功率的窗口"),
                integer("persistMinutes", 1, 1440, 60, "min", "持续多久报警")));
        m.put("LOGGER_OFFLINE", List.of(OFFLINE_MULTIPLE, OFFLINE_MINIMUM, OFFLINE_UNKNOWN,
                integer("level3AfterHours", 1, 720, 24, "h", "离线多久升为三级")));
        m.put("METER_OFFLINE", List.of(OFFLINE_MULTIPLE, OFFLINE_MINIMUM, OFFLINE_UNKNOWN));
        m.put("METER_POWER_LOSS", List.of(ZERO_VOLTAGE, integer("persistMinutes", 1, 1440, 5, "min", "持续多久报警")));
        m.put("PHASE_LOSS", List.of(ZERO_VOLTAGE,
                number("normalVoltageMinV", 100, 240, 198, "V", "其余相电压不低于此值才判为缺相"),
                integer("persistMinutes", 1, 1440, 5, "min", "持续多久报警")));
        m.put("INVALID_DATA", List.of(integer("persistSamples", 1, 1000, 3, "samples", "连续几个无效标记样本报警")));
        m.put("FROZEN_VALUE", List.of(
                integer("identicalSamples", 3, 1000, 12, "samples", "功率非零且连续相同的样本数"),
                integer("minimumMinutes", 1, 1440, 15, "min", "且至少持续的时间（1 分钟数据时起作用）")));
        m.put("IMPOSSIBLE_READING", List.of(
                number("powerTolerance", 0.01, 1, 0.15, "", "|P − 3·U·I·PF| / P 允许偏差"),
                number("voltageMinV", 100, 240, 198, "V", "相电压下限"),
                number("voltageMaxV", 200, 300, 242, "V", "相电压上限"),
                integer("persistSamples", 1, 1000, 3, "samples", "连续几个不合理样本报警")));
        m.put("PATTERN_ANOMALY", List.of(
                integer("windowDays", 7, 365, 28, "d", "历史参照窗口（同一小时、同类日：工作日/周末）"),
                number("medianFactor", 1, 20, 2, "×", "小时电量超过同时段历史中位数的倍数 (k)"),
                number("madFactor", 1, 50, 5, "×", "或超过 中位数 + m × MAD (m)，取两者较大者"),
                number("minExcessKw", 0, 1_000_000, 20, "kW", "小时平均功率至少高出中位数的绝对值"),
                number("minExcessShare", 0, 2, 0.5, "", "小企业：高出量达到其日常高峰小时（历史各日最大小时电量的中位数）的此比例即可（取与上一项的较小者）"),
                number("minExcessFloorKw", 0, 1_000, 2, "kW", "高出量在任何情况下不低于此值（计量噪声）"),
                integer("persistHours", 1, 24, 2, "h", "连续几个小时超出才报警"),
                integer("minHistoryDays", 2, 60, 3, "d", "同时段同类日至少有几天历史才评估（历史不足不报警）")));
        BY_TYPE = java.util.Collections.unmodifiableMap(m);
    }

    private AlarmRuleSchema() {
    }

    /** The parameters of a type (empty list for a type without parameters). */
    public static List<RuleParameter> of(String type) {
        return BY_TYPE.getOrDefault(type, List.of());
    }
}
