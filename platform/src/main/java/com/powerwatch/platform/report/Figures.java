package com.powerwatch.platform.report;

/** Rounding and ratios as every report shows them. */
public final class Figures {

    private Figures() {
    }

    public static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** {@code part / whole} as a percentage with one decimal; null when {@code whole} is 0 (nothing to judge). */
    public static Double percent(double part, double whole) {
        return whole == 0 ? null : round(part * 100.0 / whole, 1);
    }
}
