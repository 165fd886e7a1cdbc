package com.powerwatch.ingest.gateway;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram with logarithmic buckets (about 9 % wide), cheap enough for the ack path.
 * Percentiles are bucket upper bounds.
 */
public final class LatencyRecorder {

    private static final int BUCKETS = 256;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /**
     * Percentiles in milliseconds, and the raw bucket counts so a caller can compute percentiles over
     * any window from two snapshots (bucket i holds latencies up to 1.09^i microseconds).
     */
    public record Snapshot(long count, double p50Millis, double p99Millis, double maxMillis, long[] buckets) {
    }

    public void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    static int bucket(long nanos) {
        if (nanos <= 1000) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log(nanos / 1000.0) / Math.log(1.09));
        return Math.min(BUCKETS - 1, b);
    }

    static double upperMillis(int bucket) {
        return Math.pow(1.09, bucket) / 1000.0;
    }

    public Snapshot snapshot() {
        long total = 0;
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
            total += c[i];
        }
        if (total == 0) {
            return new Snapshot(0, 0, 0, 0, c);
        }
        return new Snapshot(total, percentile(c, total, 0.50), percentile(c, total, 0.99), percentile(c, total, 1.0), c);
    }

    private static double percentile(long[] c, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += c[i];
            if (seen >= rank) {
                return upperMillis(i);
            }
        }
        return upperMillis(BUCKETS - 1);
    }
}
