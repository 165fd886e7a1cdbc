package com.powerwatch.platform.analysis;

import com.powerwatch.platform.telemetry.CanonicalSample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * The fleet's data clock: the latest data time the engine has taken, but never more than {@code futureTolerance}
 * ahead of the receive time of the frame that carried it — so a logger whose clock jumps ahead moves it by that
 * tolerance at most, which is kept below every silence limit ({@link SilenceLimits}). Silence is measured on it (as
 * well as on the wall clock) so that a silence is found while the journal is replayed after a restart or an outage,
 * and in a simulation that runs faster than real time.
 *
 * <p>A meter counts as heard at the clock of the moment its frame was <em>received</em> — the journal's order — not
 * at the position of its data time among other loggers' data times: a logger whose data steadily arrives 20 minutes
 * late is heard every minute, whichever batch the engine reads it in ({@link Receipts}).
 */
final class DataClock {

    private final long toleranceMillis;
    private volatile long now;

    DataClock(Duration futureTolerance) {
        this.toleranceMillis = futureTolerance.toMillis();
    }

    /** The clock (0 before the first sample). */
    long now() {
        return now;
    }

    /** The data time a sample may move the clock to: its own, at most the tolerance after its receive time. */
    long bound(CanonicalSample s) {
        return bound(s.tsMillis(), s.receivedAtMillis());
    }

    /** A data time {@code ts} received at {@code receivedAt} (≤ 0: unknown, now), at most the tolerance after it. */
    long bound(long ts, long receivedAt) {
        return Math.min(ts, (receivedAt > 0 ? receivedAt : System.currentTimeMillis()) + toleranceMillis);
    }

    /** Moves the clock to {@code t} when later. */
    void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    /** The samples of a batch in the order they were received, each with the clock as it stood after its receipt. */
    Receipts receipts(Collection<CanonicalSample> batch) {
        List<CanonicalSample> order = new ArrayList<>(batch);
        order.sort(Comparator.comparingLong(CanonicalSample::receivedAtMillis)); // stable: journal order among equals
        long[] clocks = new long[order.size()];
        long c = now;
        for (int i = 0; i < clocks.length; i++) {
            c = Math.max(c, bound(order.get(i)));
            clocks[i] = c;
        }
        return new Receipts(order, clocks);
    }

    /**
     * A batch's receipts, handed out as the engine's clock passes them: the engine takes samples in data-time order
     * and, before each data time, hears every receipt the clock has reached.
     */
    static final class Receipts {
        private final List<CanonicalSample> order;
        private final long[] clocks;
        private int next;

        private Receipts(List<CanonicalSample> order, long[] clocks) {
            this.order = order;
            this.clocks = clocks;
        }

        /** Hands each receipt not yet handed out whose clock is ≤ {@code clock} to {@code heard}, in receive order. */
        void upTo(long clock, ObjLongConsumer<CanonicalSample> heard) {
            for (; next < clocks.length && clocks[next] <= clock; next++) {
                heard.accept(order.get(next), clocks[next]);
            }
        }
    }
}
