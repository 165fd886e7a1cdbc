package com.powerwatch.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the fleet's counters. "Frames" are valid data frames (2011 and history/minute uploads), each
 * counted once however often it was re-sent; faults and protocol answers are counted apart.
 *
 * @param elapsedMillis        real time since start
 * @param simulatedTime        the fleet's simulated China time now (yyyy-MM-ddTHH:mm:ss)
 * @param loggers              loggers in the fleet
 * @param connected            loggers connected now
 * @param connects             successful connects so far (reconnects included)
 * @param connectFailures      failed connect attempts
 * @param disconnects          connections lost or closed by the platform
 * @param framesSent           data frames written at least once
 * @param framesResent         re-sends (after an ack timeout or a reconnect)
 * @param framesAcked          data frames confirmed by a 9014
 * @param framesUnacked        data frames given up after all re-sends
 * @param framesNoAckRequested data frames sent without the A bit
 * @param framesPending        data frames created but not yet finished (queued or waiting for a 9014)
 * @param framesDropped        data frames dropped from a full outbox while disconnected
 * @param valuesSent           code-field items in frames written at least once
 * @param valuesAcked          code-field items in acknowledged frames
 * @param historyFramesSent    frames uploaded in answer to history requests (also counted in framesSent)
 * @param commandsReceived     server commands received (1012, 1062, 2051 ...)
 * @param timeRequestsSent     1013 time-calibration requests sent
 * @param timeRequestsAnswered 9013 answers received for them
 * @param unexpectedAcks       9014s with an unknown or already acknowledged QN
 * @param badFramesReceived    undecodable bytes received from the platform
 * @param bytesSent            all bytes written, faults included
 * @param faultsInjected       malformed frames written
 * @param faultsByKind         the same by kind
 */
public record SimulatorReport(long elapsedMillis, String simulatedTime, int loggers, long connected, long connects,
                              long connectFailures, long disconnects, long framesSent, long framesResent,
                              long framesAcked, long framesUnacked, long framesNoAckRequested, long framesPending,
                              long framesDropped, long valuesSent, long valuesAcked, long historyFramesSent,
                              long commandsReceived, long timeRequestsSent, long timeRequestsAnswered,
                              long unexpectedAcks, long badFramesReceived, long bytesSent, long faultsInjected,
                              Map<FaultKind, Long> faultsByKind) {

    public SimulatorReport {
        faultsByKind = Map.copyOf(faultsByKind);
    }

    /** One line for the console. */
    public String summaryLine() {
        return String.format("t=%ds sim=%s conn=%d/%d sent=%d acked=%d resent=%d unacked=%d pending=%d dropped=%d "
                        + "values=%d faults=%d history=%d cmds=%d",
                elapsedMillis / 1000, simulatedTime, connected, loggers, framesSent, framesAcked, framesResent,
                framesUnacked, framesPending, framesDropped, valuesSent, faultsInjected, historyFramesSent,
                commandsReceived);
    }

    /** The report as one JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(512).append('{');
        field(sb, "elapsedMillis", elapsedMillis);
        sb.append("\"simulatedTime\":\"").append(simulatedTime).append("\",");
        field(sb, "loggers", loggers);
        field(sb, "connected", connected);
        field(sb, "connects", connects);
        field(sb, "connectFailures", connectFailures);
        field(sb, "disconnects", disconnects);
        field(sb, "framesSent", framesSent);
        field(sb, "framesResent", framesResent);
        field(sb, "framesAcked", framesAcked);
        field(sb, "framesUnacked", framesUnacked);
        field(sb, "framesNoAckRequested", framesNoAckRequested);
        field(sb, "framesPending", framesPending);
        field(sb, "framesDropped", framesDropped);
        field(sb, "valuesSent", valuesSent);
        field(sb, "valuesAcked", valuesAcked);
        field(sb, "historyFramesSent", historyFramesSent);
        field(sb, "commandsReceived", commandsReceived);
        field(sb, "timeRequestsSent", timeRequestsSent);
        field(sb, "timeRequestsAnswered", timeRequestsAnswered);
        field(sb, "unexpectedAcks", unexpectedAcks);
        field(sb, "badFramesReceived", badFramesReceived);
        field(sb, "bytesSent", bytesSent);
        field(sb, "faultsInjected", faultsInjected);
        sb.append("\"faultsByKind\":{");
        boolean first = true;
        for (Map.Entry<FaultKind, Long> e : new TreeMap<>(faultsByKind).entrySet()) {
            sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            first = false;
        }
        return sb.append("}}").toString();
    }

    private static void field(StringBuilder sb, String name, long value) {
        sb.append('"').append(name).append("\":").append(value).append(',');
    }
}
