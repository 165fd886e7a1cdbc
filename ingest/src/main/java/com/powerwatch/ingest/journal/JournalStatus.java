package com.powerwatch.ingest.journal;

/**
 * Whether the journal takes appends right now, for health checks.
 *
 * @param writable          appends are being accepted
 * @param problem           why not (the last write error, or "closed" / "failed"), null when writable
 * @param problemSinceMillis when the current write outage began (epoch millis), 0 when there is none
 * @param outages           write outages since the journal was opened (each ended or still going on)
 */
public record JournalStatus(boolean writable, String problem, long problemSinceMillis, long outages) {
}
