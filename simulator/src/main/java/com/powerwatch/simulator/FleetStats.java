package com.powerwatch.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by all loggers (written from several event-loop threads). */
final class FleetStats {
    final LongAdder connected = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder framesCreated = new LongAdder();
    final LongAdder framesFinished = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder framesResent = new LongAdder();
    final LongAdder framesAcked = new LongAdder();
    final LongAdder framesUnacked = new LongAdder();
    final LongAdder framesNoAck = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    final LongAdder valuesSent = new LongAdder();
    final LongAdder valuesAcked = new LongAdder();
    final LongAdder historyFramesSent = new LongAdder();
    final LongAdder commandsReceived = new LongAdder();
    final LongAdder timeRequestsSent = new LongAdder();
    final LongAdder timeRequestsAnswered = new LongAdder();
    final LongAdder unexpectedAcks = new LongAdder();
    final LongAdder badFramesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);

    FleetStats() {
        for (FaultKind k : FaultKind.values()) {
            faults.put(k, new LongAdder());
        }
    }

    SimulatorReport snapshot(long elapsedMillis, String simulatedTime, int loggers) {
        Map<FaultKind, Long> byKind = new EnumMap<>(FaultKind.class);
        long faultTotal = 0;
        for (Map.Entry<FaultKind, LongAdder> e : faults.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                byKind.put(e.getKey(), n);
            }
            faultTotal += n;
        }
        return new SimulatorReport(elapsedMillis, simulatedTime, loggers, connected.sum(), connects.sum(),
                connectFailures.sum(), disconnects.sum(), framesSent.sum(), framesResent.sum(), framesAcked.sum(),
                framesUnacked.sum(), framesNoAck.sum(), framesCreated.sum() - framesFinished.sum(),
                framesDropped.sum(), valuesSent.sum(), valuesAcked.sum(), historyFramesSent.sum(),
                commandsReceived.sum(), timeRequestsSent.sum(), timeRequestsAnswered.sum(), unexpectedAcks.sum(),
                badFramesReceived.sum(), bytesSent.sum(), faultTotal, byKind);
    }
}
