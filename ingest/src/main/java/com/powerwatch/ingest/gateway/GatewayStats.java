package com.powerwatch.ingest.gateway;

import java.util.Map;

/**
 * The gateway's counters for the operations view.
 *
 * @param connections         open TCP connections now
 * @param connectionsTotal    connections accepted since start
 * @param devicesOnline       MNs with a live connection
 * @param devicesKnown        MNs heard since start
 * @param framesReceived      frames and rejected byte runs received
 * @param framesRejected      of which rejected
 * @param rejectedByReason    rejections per reason
 * @param acksSent            9014/9013 replies written
 * @param journalFailures     frames the journal could not take (not acknowledged; the device re-sends)
 * @param peersDroppedForJunk connections closed for exceeding the garbage budget
 * @param ackLatency          receive-to-ack latency
 * @param guards              connection caps and deadlines: what they are set to and what they refused or closed
 * @param quarantine          frames dated too far ahead (kept and traced, applied nowhere), TCP and AMQP together
 */
public record GatewayStats(long connections, long connectionsTotal, long devicesOnline, long devicesKnown,
                           long framesReceived, long framesRejected, Map<String, Long> rejectedByReason, long acksSent,
                           long journalFailures, long peersDroppedForJunk, LatencyRecorder.Snapshot ackLatency,
                           Guards guards, Quarantine quarantine) {

    /**
     * @param futureToleranceSeconds how far ahead of its receive time a DataTime may be
     * @param framesQuarantined      frames quarantined since start (verdict FUTURE_DATATIME in the trace)
     */
    public record Quarantine(long futureToleranceSeconds, long framesQuarantined) {
    }

    /**
     * @param maxConnections            the total cap
     * @param maxConnectionsPerAddress  the cap per remote address (exempt addresses aside)
     * @param addresses                 distinct capped (not exempt) remote addresses with a connection now
     * @param refusedOverTotal          connections refused since start because the total cap was reached
     * @param refusedOverAddressCap     … because their address had its cap
     * @param droppedSlowFrame          connections closed because a started frame did not complete within the deadline
     * @param droppedIdle               connections closed because no valid frame came for the idle timeout
     * @param junkRuns                  trace records of coalesced junk (each one run of rejected bytes of a connection)
     */
    public record Guards(int maxConnections, int maxConnectionsPerAddress, int addresses, long refusedOverTotal,
                         long refusedOverAddressCap, long droppedSlowFrame, long droppedIdle, long junkRuns) {
    }
}
