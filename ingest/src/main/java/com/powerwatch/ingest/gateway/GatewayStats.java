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
 */
public record GatewayStats(long connections, long connectionsTotal, long devicesOnline, long devicesKnown,
                           long framesReceived, long framesRejected, Map<String, Long> rejectedByReason, long acksSent,
                           long journalFailures, long peersDroppedForJunk, LatencyRecorder.Snapshot ackLatency) {
}
