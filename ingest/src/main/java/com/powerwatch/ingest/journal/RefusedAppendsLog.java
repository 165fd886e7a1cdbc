package com.powerwatch.ingest.journal;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a receiver (the TCP gateway, an AMQP consumer) logs while the journal refuses its frames — a full disk refuses
 * every one, thousands a second, and a line per frame would fill the disk that is already full. One ERROR when refusing
 * starts, then at most one summary line per {@code interval} with the count refused since the previous line, and one
 * INFO when an append succeeds again. Thread-safe; an accepted append costs one volatile read.
 */
public final class RefusedAppendsLog {

    /** The summary interval of the receivers. */
    public static final Duration EVERY_MINUTE = Duration.ofMinutes(1);

    private final Logger log;
    private final String receiver;
    private final LongSupplier clockMillis;
    private final long intervalMillis;
    private volatile boolean refusing;
    private long sinceMillis;
    private long lastLineMillis;
    private long refusedTotal;
    private long refusedSinceLine;

    /**
     * @param log         the receiver's logger, so the lines say who could not journal
     * @param receiver    what receives, for the message ("gateway", "AMQP queue x")
     * @param clockMillis milliseconds (injectable for tests)
     * @param interval    at most one summary line this often
     */
    public RefusedAppendsLog(Logger log, String receiver, LongSupplier clockMillis, Duration interval) {
        this.log = log;
        this.receiver = receiver;
        this.clockMillis = clockMillis;
        this.intervalMillis = interval.toMillis();
    }

    public RefusedAppendsLog(Logger log, String receiver) {
        this(log, receiver, System::currentTimeMillis, EVERY_MINUTE);
    }

    /** An append failed: nothing was acknowledged, the sender sends again. */
    public synchronized void refused(Throwable cause) {
        long now = clockMillis.getAsLong();
        if (!refusing) {
            refusing = true;
            sinceMillis = now;
            lastLineMillis = now;
            refusedTotal = 1;
            refusedSinceLine = 0;
            log.error("{}: the journal refuses frames ({}); they are not acknowledged and are sent again. "
                    + "Further refusals are counted, one line a minute", receiver, cause.toString());
            return;
        }
        refusedTotal++;
        refusedSinceLine++;
        if (now - lastLineMillis >= intervalMillis) {
            log.error("{}: the journal still refuses frames: {} refused in the last {} s, {} since it started {} s ago ({})",
                    receiver, refusedSinceLine, (now - lastLineMillis) / 1000, refusedTotal, (now - sinceMillis) / 1000,
                    cause.toString());
            lastLineMillis = now;
            refusedSinceLine = 0;
        }
    }

    /** An append succeeded: ends a period of refusals (the common case, not refusing, is one volatile read). */
    public void accepted() {
        if (!refusing) {
            return;
        }
        synchronized (this) {
            if (!refusing) {
                return;
            }
            refusing = false;
            log.info("{}: the journal takes frames again after {} s; {} refused meanwhile (not acknowledged, so sent again)",
                    receiver, (clockMillis.getAsLong() - sinceMillis) / 1000, refusedTotal);
        }
    }

    /** Whether the latest append was refused. */
    public boolean refusing() {
        return refusing;
    }
}
