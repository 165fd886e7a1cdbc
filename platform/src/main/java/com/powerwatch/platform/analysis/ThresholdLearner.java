package com.powerwatch.platform.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Learns a facility's running-state thresholds from its own history (docs/analysis-models.md §8, domain notes
 * §1.2): the power (or current) levels it shows — off, sometimes idle, running — are found by Otsu's method on
 * ln(x + ε), and the thresholds are put between them. Pure: no I/O, no Spring; the caller reads the history.
 *
 * <p>Why the logarithm: a 50 kW fan and its 0.1 kW standby differ by a factor, not by an amount. On a linear
 * scale a wide running cluster swamps a small idle or standby level and the split lands in the middle of the
 * running noise; on a log scale each level is as wide as its relative noise. ε (2 % of the high quantile) keeps
 * zero finite and stops the noise of a meter reading 0.00–0.05 kW from looking like a spread of decades.
 *
 * <p>The result is a {@link Proposal} for an operator to accept, or a {@link Refusal} with a reason in Chinese
 * (too little data; one level only: the facility never stopped or never ran).
 */
public final class ThresholdLearner {

    /** One value (kW, or A when the facility's threshold quantity is I) at a data time (epoch ms). */
    public record Sample(long ts, double value) {
    }

    /**
     * What the learner needs to know of the facility.
     *
     * @param quantity         P (kW) or I (A)
     * @param treatment        a treatment facility gets an abnormal-low threshold
     * @param ratedKw          rated power, for plausibility warnings only (may be null)
     * @param abnormalFraction k: a running treatment facility below k × its normal running value is abnormal
     */
    public record Facility(String quantity, boolean treatment, Double ratedKw, double abnormalFraction) {
    }

    /**
     * The learner's numbers (all [D], settings {@code powerwatch.threshold-learning.*}).
     *
     * @param minSamples      fewer values than this → refused
     * @param minDays         fewer days covered (hours with data ÷ 24) → refused
     * @param minClusterShare every level must hold at least this share of the values
     * @param minSeparation   between-class ÷ total variance (of ln(x + ε)) at least this; a single level split in two
     *                        gives ≈ 0.64 (normal noise) to 0.75 (uniform)
     * @param maxOffRatio     the lowest level is "off" only when it is at most this share of the running level
     * @param minRunning      a running level below this (kW or A) is meter noise, not running
     * @param stopAt          two levels: stop_below at this fraction of the log gap above the off level
     * @param runAt           two levels: run_above at this fraction of the log gap above the off level
     */
    public record Settings(int minSamples, double minDays, double minClusterShare, double minSeparation,
                           double maxOffRatio, double minRunning, double stopAt, double runAt) {

        public static final Settings DEFAULTS = new Settings(200, 3, 0.01, 0.8, 0.25, 0.5, 0.3, 0.5);

        public Settings {
            if (!(0 < stopAt && stopAt <= runAt && runAt < 1)) {
                throw new IllegalArgumentException("threshold learning: need 0 < stopAt <= runAt < 1");
            }
            if (minSamples < 10 || minClusterShare <= 0 || minClusterShare >= 0.5) {
                throw new IllegalArgumentException("threshold learning: need minSamples >= 10 and 0 < minClusterShare < 0.5");
            }
        }
    }

    /** Why no proposal. */
    public enum Reason { TOO_FEW_SAMPLES, TOO_FEW_DAYS, NEVER_RAN, NEVER_STOPPED }

    public sealed interface Result permits Proposal, Refusal {
        Quality quality();
    }

    /** Thresholds in the facility's quantity; {@code abnormalBelow} only for treatment and only above runAbove. */
    public record Proposal(String quantity, double stopBelow, double runAbove, double normalRunning, Double abnormalBelow,
                           Quality quality) implements Result {
    }

    /** {@code message} is for people (Chinese); {@code quality} holds what was measured before giving up. */
    public record Refusal(Reason reason, String message, Quality quality) implements Result {
    }

    /**
     * How much to trust a proposal.
     *
     * @param samples      values used
     * @param daysCovered  hours with data ÷ 24
     * @param levels       2 (off, running) or 3 (off, idle, running); 0 when refused before splitting
     * @param separation   between-class ÷ total variance of ln(x + ε) for the chosen levels (1 = perfectly apart)
     * @param offLevel     median of the off level (kW or A); idleLevel likewise (null without an idle level)
     * @param warnings     plausibility remarks for the operator (Chinese)
     */
    public record Quality(int samples, double daysCovered, Long from, Long to, int levels, double shareStopped,
                          double shareIdle, double shareRunning, double separation, Double offLevel, Double idleLevel,
                          Double runningLevel, double epsilon, int negativeDropped, List<String> warnings) {

        /** For storage and the API (JSON object). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("samples", samples);
            m.put("daysCovered", round(daysCovered));
            m.put("levels", levels);
            m.put("shareStopped", round(shareStopped));
            m.put("shareIdle", round(shareIdle));
            m.put("shareRunning", round(shareRunning));
            m.put("separation", round(separation));
            m.put("offLevel", offLevel);
            m.put("idleLevel", idleLevel);
            m.put("runningLevel", runningLevel);
            m.put("transform", "ln(x + ε)");
            m.put("epsilon", sig3(epsilon));
            m.put("negativeDropped", negativeDropped);
            m.put("warnings", warnings);
            return m;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    private static final int BINS = 256;
    private static final long HOUR = 3_600_000L;

    private final Settings settings;

    public ThresholdLearner(Settings settings) {
        this.settings = settings;
    }

    public ThresholdLearner() {
        this(Settings.DEFAULTS);
    }

    public Settings settings() {
        return settings;
    }

    public Result learn(List<Sample> history, Facility facility) {
        String unit = "I".equals(facility.quantity()) ? "A" : "kW";
        // values: NaN dropped; small negatives (meter noise at zero) read as 0; clearly negative ones (a reversed
        // CT, IMPOSSIBLE_READING) are dropped and counted
        double[] x = new double[history.size()];
        int n = 0;
        int negative = 0;
        Set<Long> hours = new HashSet<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Sample s : history) {
            double v = s.value();
            if (!Double.isFinite(v)) {
                continue;
            }
            if (v < 0) {
                if (v < -settings.minRunning()) {
                    negative++;
                    continue;
                }
                v = 0;
            }
            x[n++] = v;
            hours.add(Math.floorDiv(s.ts(), HOUR));
            from = Math.min(from, s.ts());
            to = Math.max(to, s.ts());
        }
        x = Arrays.copyOf(x, n);
        double days = hours.size() / 24.0;
        List<String> warnings = new ArrayList<>();
        Quality bare = new Quality(n, days, n == 0 ? null : from, n == 0 ? null : to, 0, 0, 0, 0, 0, null, null, null, 0,
                negative, warnings);
        if (n < settings.minSamples()) {
            return new Refusal(Reason.TOO_FEW_SAMPLES, "无法学习：有效数据太少（" + n + " 个，至少需要 "
                    + settings.minSamples() + " 个）", bare);
        }
        if (days < settings.minDays()) {
            return new Refusal(Reason.TOO_FEW_DAYS, String.format(Locale.ROOT, "无法学习：数据只覆盖 %.1f 天（有数据的小时数÷24），至少需要 %s 天",
                    days, fmt(settings.minDays())), bare);
        }
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double median = quantile(sorted, 0.5);
        double top = quantile(sorted, 0.995);
        if (top < settings.minRunning()) {
            return new Refusal(Reason.NEVER_RAN, "无法学习：此期间设施从未运行（中位数 " + fmt(median) + " " + unit
                    + "，99.5% 分位数 " + fmt(top) + " " + unit + "，低于运行下限 " + fmt(settings.minRunning()) + " " + unit + "）",
                    bare);
        }
        double eps = Math.max(0.02 * top, 1e-3);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.log(x[i] + eps);
        }

        Split two = split(x, y, 2);
        Split three = split(x, y, 3);
        Split chosen = null;
        if (three != null && acceptable(three) && idleIsReal(three, two)) {
            chosen = three;
        } else if (two != null && acceptable(two)) {
            chosen = two;
        }
        if (chosen == null) {
            return refuseSingleLevel(sorted, median, facility, unit, bare);
        }

        Level off = chosen.levels.get(0);
        Level run = chosen.levels.get(chosen.levels.size() - 1);
        Level idle = chosen.levels.size() == 3 ? chosen.levels.get(1) : null;
        double stop;
        double runAbove;
        if (idle == null) {
            // hysteresis between the two levels, on the log scale: on above the midpoint, off again only well below it
            double gap = run.centre - off.centre;
            stop = Math.exp(off.centre + settings.stopAt() * gap) - eps;
            runAbove = Math.exp(off.centre + settings.runAt() * gap) - eps;
        } else {
            // the idle level becomes the band between the thresholds (LOW / 空转): each threshold at a midpoint
            stop = Math.exp((off.centre + idle.centre) / 2) - eps;
            runAbove = Math.exp((idle.centre + run.centre) / 2) - eps;
            runAbove = Math.max(runAbove, idle.upperNoise);
        }
        // never inside the off level's own noise (domain notes: off level + 3σ, here the robust σ of the MAD)
        stop = Math.max(stop, off.upperNoise);
        runAbove = Math.max(runAbove, stop);
        stop = sig3(stop);
        runAbove = sig3(runAbove);
        double normal = sig3(run.median);
        if (runAbove > run.low) {
            warnings.add("运行阈值 " + fmt(runAbove) + " " + unit + " 高于运行水平 1% 的样本（1% 分位 " + fmt(run.low) + " " + unit
                    + "），正常运行也可能被判为低负荷，请核对");
        }
        Double abnormal = null;
        if (facility.treatment()) {
            double a = sig3(facility.abnormalFraction() * normal);
            if (a > runAbove) {
                abnormal = a;
            } else {
                warnings.add("异常阈值 " + fmt(facility.abnormalFraction()) + "×正常运行值 = " + fmt(a) + " " + unit
                        + " 不高于运行阈值 " + fmt(runAbove) + " " + unit + "，不设异常阈值；低于运行阈值的运行按低负荷（空转）判定");
            }
        }
        if (!"I".equals(facility.quantity()) && facility.ratedKw() != null) {
            if (normal > 1.1 * facility.ratedKw()) {
                warnings.add("正常运行功率 " + fmt(normal) + " kW 超过额定功率 " + fmt(facility.ratedKw())
                        + " kW 的 1.1 倍：请核对额定功率或电表 CT/PT 变比");
            }
            if (runAbove > facility.ratedKw()) {
                warnings.add("运行阈值高于额定功率，登记规则不允许：接受前请修正额定功率或阈值");
            }
        }
        Quality q = new Quality(n, days, from, to, chosen.levels.size(), share(off, n), idle == null ? 0 : share(idle, n),
                share(run, n), chosen.separation, sig3(off.median), idle == null ? null : sig3(idle.median), normal, eps,
                negative, warnings);
        return new Proposal(facility.quantity(), stop, runAbove, normal, abnormal, q);
    }

    // ------------------------------------------------------------------------------------------------ decisions

    /** Levels distinct enough, each big enough, the lowest one "off" and something actually running. */
    private boolean acceptable(Split s) {
        if (s.separation < settings.minSeparation()) {
            return false;
        }
        for (Level l : s.levels) {
            if (l.share < settings.minClusterShare()) {
                return false;
            }
        }
        Level off = s.levels.get(0);
        Level run = s.levels.get(s.levels.size() - 1);
        return run.median >= settings.minRunning() && off.median <= settings.maxOffRatio() * run.median;
    }

    /**
     * A third level is taken only when it is a level and not the running (or ramp) spread cut in two: it must
     * halve what two levels leave unexplained, each level must be at least twice the one below (on x + ε), and the
     * idle level must be compact (its spread ≤ 0.2 × the gaps to its neighbours; ramp samples spread evenly).
     */
    private static boolean idleIsReal(Split three, Split two) {
        if (two != null && 1 - three.separation > 0.5 * (1 - two.separation)) {
            return false;
        }
        Level a = three.levels.get(0);
        Level b = three.levels.get(1);
        Level c = three.levels.get(2);
        double lower = b.centre - a.centre;
        double upper = c.centre - b.centre;
        double ln2 = Math.log(2);
        return lower >= ln2 && upper >= ln2 && b.sd <= 0.2 * Math.min(lower, upper);
    }

    private Refusal refuseSingleLevel(double[] sorted, double median, Facility facility, String unit, Quality bare) {
        boolean off = median < settings.minRunning()
                || (!"I".equals(facility.quantity()) && facility.ratedKw() != null && median < 0.1 * facility.ratedKw());
        String range = fmt(quantile(sorted, 0.05)) + "–" + fmt(quantile(sorted, 0.95)) + " " + unit;
        if (off) {
            return new Refusal(Reason.NEVER_RAN, "无法学习：此期间设施（几乎）从未运行，找不到运行水平（中位数 " + fmt(median) + " " + unit
                    + "，5%–95% 分位 " + range + "）", bare);
        }
        return new Refusal(Reason.NEVER_STOPPED, "无法学习：此期间设施从未停机，找不到停机水平（中位数 " + fmt(median) + " " + unit
                + "，5%–95% 分位 " + range + "）", bare);
    }

    // ------------------------------------------------------------------------------------------------ Otsu

    /** One level: its values' median (x), centre and spread on the log scale, and robust noise bounds on x. */
    private static final class Level {
        int count;
        double share;
        double median;
        double centre; // median of ln(x + ε)
        double sd;     // standard deviation of ln(x + ε)
        double upperNoise; // median + 3σ (σ = 1.4826 × MAD), x
        double low;        // 1st percentile, x
    }

    private record Split(List<Level> levels, double separation) {
    }

    /**
     * Otsu's method with {@code classes} (2 or 3) classes on a 256-bin histogram of y = ln(x + ε): the cuts that
     * maximise the between-class variance; then the exact statistics of the values on each side. Null when the
     * values do not spread (all equal) or a class is empty.
     */
    private static Split split(double[] x, double[] y, int classes) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) {
            return null;
        }
        double width = (hi - lo) / BINS;
        long[] count = new long[BINS];
        double[] sum = new double[BINS];
        for (double v : y) {
            int b = Math.min(BINS - 1, (int) ((v - lo) / width));
            count[b]++;
            sum[b] += v;
        }
        long[] cc = new long[BINS + 1];
        double[] cs = new double[BINS + 1];
        for (int i = 0; i < BINS; i++) {
            cc[i + 1] = cc[i] + count[i];
            cs[i + 1] = cs[i] + sum[i];
        }
        // between-class variance ∝ Σ S_c² / N_c (the total mean term is constant)
        double best = Double.NEGATIVE_INFINITY;
        int[] cuts = null;
        if (classes == 2) {
            for (int k = 1; k < BINS; k++) {
                double v = term(cc, cs, 0, k) + term(cc, cs, k, BINS);
                if (v > best) {
                    best = v;
                    cuts = new int[]{k};
                }
            }
        } else {
            for (int k1 = 1; k1 < BINS - 1; k1++) {
                double t0 = term(cc, cs, 0, k1);
                if (Double.isNaN(t0)) {
                    continue;
                }
                for (int k2 = k1 + 1; k2 < BINS; k2++) {
                    double v = t0 + term(cc, cs, k1, k2) + term(cc, cs, k2, BINS);
                    if (v > best) {
                        best = v;
                        cuts = new int[]{k1, k2};
                    }
                }
            }
        }
        if (cuts == null) {
            return null;
        }
        return stats(x, y, cuts, lo, width);
    }

    /** S² / N of the bins [from, to); NaN when empty (never the best). */
    private static double term(long[] cc, double[] cs, int from, int to) {
        long nn = cc[to] - cc[from];
        if (nn == 0) {
            return Double.NaN;
        }
        double s = cs[to] - cs[from];
        return s * s / nn;
    }

    /** Assigns every value to its class (the cuts are bin indexes: class c holds the bins below cuts[c]). */
    private static Split stats(double[] x, double[] y, int[] cuts, double lo, double width) {
        int k = cuts.length + 1;
        List<List<double[]>> members = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            members.add(new ArrayList<>());
        }
        double total = 0;
        for (double v : y) {
            total += v;
        }
        double mean = total / y.length;
        double totalVar = 0;
        for (int i = 0; i < y.length; i++) {
            // same binning as the histogram, so a value lands on the side its bin was counted on
            int bin = Math.min(BINS - 1, (int) ((y[i] - lo) / width));
            int c = 0;
            while (c < cuts.length && bin >= cuts[c]) {
                c++;
            }
            members.get(c).add(new double[]{x[i], y[i]});
            totalVar += (y[i] - mean) * (y[i] - mean);
        }
        List<Level> levels = new ArrayList<>();
        double between = 0;
        for (List<double[]> m : members) {
            if (m.isEmpty()) {
                return null;
            }
            double[] xs = new double[m.size()];
            double[] ys = new double[m.size()];
            double sy = 0;
            for (int i = 0; i < m.size(); i++) {
                xs[i] = m.get(i)[0];
                ys[i] = m.get(i)[1];
                sy += ys[i];
            }
            double my = sy / ys.length;
            double var = 0;
            for (double v : ys) {
                var += (v - my) * (v - my);
            }
            Arrays.sort(xs);
            Arrays.sort(ys);
            Level l = new Level();
            l.count = xs.length;
            l.share = (double) xs.length / y.length;
            l.median = quantile(xs, 0.5);
            l.centre = quantile(ys, 0.5);
            l.sd = Math.sqrt(var / ys.length);
            double[] dev = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                dev[i] = Math.abs(xs[i] - l.median);
            }
            Arrays.sort(dev);
            double sigma = 1.4826 * quantile(dev, 0.5);
            l.upperNoise = l.median + 3 * sigma;
            l.low = quantile(xs, 0.01);
            levels.add(l);
            between += ys.length * (my - mean) * (my - mean);
        }
        return new Split(levels, totalVar == 0 ? 0 : between / totalVar);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private static double share(Level l, int n) {
        return Math.round(1000.0 * l.count / n) / 1000.0;
    }

    /** Three significant figures: thresholds an operator can read and type. */
    static double sig3(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    private static String fmt(double v) {
        double r = sig3(v);
        return r == Math.rint(r) && Math.abs(r) < 1e9 ? Long.toString((long) r) : Double.toString(r);
    }
}
