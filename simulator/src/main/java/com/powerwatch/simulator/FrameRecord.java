package com.powerwatch.simulator;

import java.util.Map;

/**
 * Ground truth of one valid data frame once its outcome is known.
 *
 * @param mn       the logger
 * @param cn       2011 real-time, 2051 minute, 2061 hourly, 2031 daily
 * @param dataTime DataTime as sent (14 digits)
 * @param qn       the frame's QN
 * @param pno      sub-packet number, null when not split
 * @param pnum     sub-packet count, null when not split
 * @param outcome  what became of it
 * @param attempts how many times it was written (1 + re-sends)
 * @param values   its {@code code-field=value} items as sent, in order (Flag items included)
 */
public record FrameRecord(String mn, String cn, String dataTime, String qn, Integer pno, Integer pnum,
                          Outcome outcome, int attempts, Map<String, String> values) {

    public enum Outcome {
        /** A 9014 with its QN arrived. */
        ACKED,
        /** No 9014 after all re-sends. */
        UNACKED,
        /** Sent without the A bit: nothing to wait for. */
        SENT_NO_ACK,
        /** Still waiting (or never sent) when the fleet was closed. */
        PENDING_AT_CLOSE,
        /** Dropped from a full outbox while disconnected: never sent. */
        DROPPED
    }

    public FrameRecord {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** Whether the platform confirmed it: its values must be stored exactly once. */
    public boolean acked() {
        return outcome == Outcome.ACKED;
    }
}
