package com.powerwatch.ingest.frame;

import com.powerwatch.hj212.DecodeResult;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    /**
     * The tolerance must stay below the shortest default offline limit (5 min, of the alarm engine's LOGGER_OFFLINE /
     * METER_OFFLINE rules and of the real-time state): a tolerated frame that far ahead would let the fleet's data
     * clock pass it, and loggers that report normally would look silent.
     */
    public static final Duration MAX_TOLERANCE = Duration.ofMinutes(5);
    /** DataTimes are China standard time (HJ 212). */
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final Duration tolerance;
    private final AtomicLong quarantined = new AtomicLong();

    public ClockQuarantine(Duration tolerance) {
        if (tolerance.isNegative() || tolerance.compareTo(MAX_TOLERANCE) >= 0) {
            throw new IllegalArgumentException("the future tolerance must be at least 0 and below " + MAX_TOLERANCE
                    + " (the shortest offline limit): " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /** The journal record of a decoder result, quarantined when its DataTime is too far ahead of {@code receivedAtMillis}. */
    public ReceivedFrame receive(DecodeResult result, long receivedAtMillis, String channel, String peer) {
        ReceivedFrame frame = ReceivedFrame.of(result, receivedAtMillis, channel, peer);
        if (!(result instanceof DecodeResult.Decoded d)) {
            return frame;
        }
        LocalDateTime dataTime = d.packet().cp().dataTimeValue();
        if (dataTime == null) {
            return frame;
        }
        long ahead = dataTime.toInstant(CHINA).toEpochMilli() - receivedAtMillis;
        if (ahead <= tolerance.toMillis()) {
            return frame;
        }
        quarantined.incrementAndGet();
        return frame.withVerdict(VERDICT, "DataTime " + d.packet().cp().dataTime() + " is " + span(ahead)
                + " ahead of the receive time (tolerance " + span(tolerance.toMillis()) + "): quarantined — kept here, "
                + "applied nowhere (no sample, real-time state or alarm); the logger's clock needs setting (校时)");
    }

    /** A duration as an operator reads it: 30 d 2 h, 8 min 5 s, 2 min. */
    static String span(long millis) {
        long s = millis / 1000;
        long d = s / 86_400;
        long h = s % 86_400 / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (d > 0) {
            return d + " d " + h + " h";
        }
        if (h > 0) {
            return h + " h " + m + " min";
        }
        return m > 0 ? m + " min" + (sec > 0 ? " " + sec + " s" : "") : sec + " s";
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** Frames quarantined since start. */
    public long quarantined() {
        return quarantined.get();
    }
}
