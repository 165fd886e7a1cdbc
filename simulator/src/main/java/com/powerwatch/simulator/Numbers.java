package com.powerwatch.simulator;

/** Fixed-decimal rounding and formatting without String.format, which is too slow at 10,000 frames a second. */
final class Numbers {

    private static final double[] SCALE = {1, 10, 100, 1_000, 10_000, 100_000};

    private Numbers() {
    }

    static double round(double v, int decimals) {
        return Math.round(v * SCALE[decimals]) / SCALE[decimals];
    }

    /** {@code v} with exactly {@code decimals} digits after the point (half-up), e.g. 231.0, 0.950. */
    static String fixed(double v, int decimals) {
        long scaled = Math.round(v * SCALE[decimals]);
        StringBuilder sb = new StringBuilder(16);
        if (scaled < 0) {
            sb.append('-');
            scaled = -scaled;
        }
        long unit = (long) SCALE[decimals];
        sb.append(scaled / unit);
        if (decimals > 0) {
            sb.append('.');
            String frac = Long.toString(scaled % unit);
            for (int i = frac.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }
}
