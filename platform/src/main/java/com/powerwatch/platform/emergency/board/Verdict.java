package com.powerwatch.platform.emergency.board;

import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Measure;

import java.time.Instant;

/**
 * The verdict on one measure from what its 15-minute buckets show (docs/emergency.md §4). Pure.
 *
 * <ul>
 *   <li>STOP: 未达标 as soon as one judged bucket shows production running (a listed facility at or above its run
 *       threshold), whatever else is missing — that is evidence; else 无法判断 while fewer than {@code min-coverage} of
 *       the expected buckets have data from every facility concerned; else 未达标 when production drew more than
 *       {@code stop-baseline-share} × the baseline on average (when the baseline is known); else 达标.</li>
 *   <li>LIMIT: 无法判断 without a baseline or with too little data; reduction r = 1 − (mean production kW over the
 *       covered buckets in which production runs) / baseline (100 % when it never runs); 达标 when r ≥ required −
 *       {@code limit-tolerance-points}.</li>
 *   <li>SELF (自主减排): no obligation; the reduction is shown when a baseline is known.</li>
 * </ul>
 * Buckets are judged from the measure's start plus {@code run-down}; until the first of them is due the verdict is
 * 无法判断 (执行初期) — never 达标 without data.
 */
public final class Verdict {

    public enum Kind { COMPLIANT, NON_COMPLIANT, UNDETERMINED, NOT_STARTED, SELF }

    /**
     * What the data of one measure show.
     *
     * @param expected       judged buckets that should hold data by now
     * @param covered        of those, buckets with data from every facility concerned
     * @param running        covered or not, buckets in which production ran
     * @param runningCovered covered buckets in which production ran
     * @param runningKwSum   Σ production kW over the covered running buckets
     * @param coveredKwSum   Σ production kW over all covered buckets
     * @param firstRunning   start of the first bucket with production running, or null
     */
    public record Evidence(int expected, int covered, int running, int runningCovered, double runningKwSum, double coveredKwSum,
                           Instant firstRunning) {
    }

    /** A verdict with the reduction it rests on (null when unknown) and the reason in officers' words. */
    public record Result(Kind kind, Double reductionPercent, Double coverage, String reason) {
    }

    private Verdict() {
    }

    public static Result judge(Measure measure, Double limitPercent, Double baselineKw, String baselineNote, boolean started,
                               Evidence ev, EmergencyProperties s) {
        Double coverage = ev.expected() == 0 ? null : (double) ev.covered() / ev.expected();
        Double reduction = reduction(baselineKw, ev);
        if (!started) {
            return new Result(Kind.NOT_STARTED, null, null, "措施尚未开始");
        }
        if (measure == Measure.SELF) {
            return new Result(Kind.SELF, reduction, coverage, "自主减排，不作强制要求");
        }
        if (measure == Measure.STOP && ev.running() > 0) {
            return new Result(Kind.NON_COMPLIANT, reduction, coverage, "停产期间生产设施运行（" + ev.running() + " 个15分钟时段）");
        }
        if (ev.expected() == 0) {
            return new Result(Kind.UNDETERMINED, null, null, "执行初期：停产缓冲期内或首个15分钟时段未满");
        }
        if (coverage < s.minCoverage()) {
            return new Result(Kind.UNDETERMINED, reduction, coverage, "数据不全：仅 " + Math.round(coverage * 100) + "% 的时段有完整数据");
        }
        if (measure == Measure.STOP) {
            if (baselineKw != null && ev.coveredKwSum() / ev.covered() > s.stopBaselineShare() * baselineKw) {
                return new Result(Kind.NON_COMPLIANT, reduction, coverage, "停产期间生产用电超过基线的 "
                        + Math.round(s.stopBaselineShare() * 100) + "%");
            }
            return new Result(Kind.COMPLIANT, reduction, coverage, "生产设施均已停运");
        }
        if (baselineKw == null) {
            return new Result(Kind.UNDETERMINED, null, coverage, baselineNote == null ? "无基线" : "无基线：" + baselineNote);
        }
        double required = limitPercent == null ? 0 : limitPercent;
        if (reduction >= required - s.limitTolerancePoints()) {
            return new Result(Kind.COMPLIANT, reduction, coverage, "削减 " + round1(reduction) + "%，要求 " + round1(required) + "%");
        }
        return new Result(Kind.NON_COMPLIANT, reduction, coverage, "仅削减 " + round1(reduction) + "%，要求 " + round1(required) + "%");
    }

    /** 1 − mean running kW / baseline, in percent; 100 when production never ran in a covered bucket; null without both. */
    static Double reduction(Double baselineKw, Evidence ev) {
        if (baselineKw == null || baselineKw <= 0 || ev.covered() == 0) {
            return null;
        }
        if (ev.runningCovered() == 0) {
            return 100.0;
        }
        return round1(100 * (1 - ev.runningKwSum() / ev.runningCovered() / baselineKw));
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
