package com.powerwatch.ingest.frame;

import com.powerwatch.hj212.DecodeResult;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames whose DataTime lies further ahead of their receive time than a tolerance — a logger with a wrong clock —
 * are quarantined: journaled and traced with verdict {@value #VERDICT} and the reason, but no consumer applies them
 * (consumers take valid frames only), so one bad clock cannot move a meter's latest time, the real-time state, the
 * aggregates or the alarm engine's data clock. Shared by every entry point (TCP, AMQP) so the count is one.
 */
public final class ClockQuarantine {

    public static final String VERDICT = "FUTURE_DATATIME";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(2);

    private final Duration tolerance;
    private final AtomicLong quarantined = new AtomicLong();

    public ClockQuarantine(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("the future tolerance cannot be negative: " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /** The journal record of a decoder result, quarantined when its DataTime is too far ahead of {@code receivedAtMillis}. */
    public ReceivedFrame receive(DecodeResult result, long receivedAtMillis, String channel, String peer) {
        return ReceivedFrame.of(result, receivedAtMillis, channel, peer);
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** Frames quarantined since start. */
    public long quarantined() {
        return quarantined.get();
    }
}
