package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.store.StoreWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Ingestion figures for Prometheus ({@code /actuator/prometheus}): connections, frames, rejections,
 * acks, journal size and lag, store-writer progress and health — what an operator graphs and alerts on.
 */
@Component
public class IngestMetrics implements MeterBinder {

    private final TcpGateway gateway;
    private final Journal journal;
    private final StoreWriter store;

    public IngestMetrics(TcpGateway gateway, Journal journal, StoreWriter store) {
        this.gateway = gateway;
        this.journal = journal;
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("powerwatch.gateway.connections", gateway, g -> g.stats().connections()).register(r);
        Gauge.builder("powerwatch.gateway.devices.online", gateway, g -> g.stats().devicesOnline()).register(r);
        FunctionCounter.builder("powerwatch.gateway.frames", gateway, g -> g.stats().framesReceived())
                .description("frames and rejected byte runs received").register(r);
        FunctionCounter.builder("powerwatch.gateway.frames.rejected", gateway, g -> g.stats().framesRejected()).register(r);
        FunctionCounter.builder("powerwatch.gateway.acks", gateway, g -> g.stats().acksSent()).register(r);
        FunctionCounter.builder("powerwatch.gateway.journal.failures", gateway, g -> g.stats().journalFailures()).register(r);
        FunctionCounter.builder("powerwatch.gateway.peers.dropped", gateway, g -> g.stats().peersDroppedForJunk()).register(r);
        FunctionCounter.builder("powerwatch.gateway.connections.refused", gateway, g -> g.stats().guards().refusedOverTotal())
                .tag("cap", "total").description("connections closed at once: a cap was reached").register(r);
        FunctionCounter.builder("powerwatch.gateway.connections.refused", gateway, g -> g.stats().guards().refusedOverAddressCap())
                .tag("cap", "address").description("connections closed at once: a cap was reached").register(r);
        FunctionCounter.builder("powerwatch.gateway.peers.cut", gateway, g -> g.stats().guards().droppedSlowFrame())
                .tag("why", "frame-deadline").description("connections closed by a read deadline").register(r);
        FunctionCounter.builder("powerwatch.gateway.peers.cut", gateway, g -> g.stats().guards().droppedIdle())
                .tag("why", "idle").description("connections closed by a read deadline").register(r);
        FunctionCounter.builder("powerwatch.gateway.frames.quarantined", gateway, g -> g.stats().quarantine().framesQuarantined())
                .description("frames dated too far ahead: kept and traced, applied nowhere").register(r);
        Gauge.builder("powerwatch.gateway.ack.latency.p99", gateway, g -> g.stats().ackLatency().p99Millis())
                .baseUnit("milliseconds").register(r);

        Gauge.builder("powerwatch.journal.bytes", journal, j -> j.metrics().bytesOnDisk()).baseUnit("bytes").register(r);
        Gauge.builder("powerwatch.journal.segments", journal, j -> j.metrics().segmentCount()).register(r);
        FunctionCounter.builder("powerwatch.journal.records", journal, j -> j.metrics().recordsAppended()).register(r);
        FunctionCounter.builder("powerwatch.journal.dropped.unconsumed", journal, j -> j.metrics().recordsDroppedUnconsumed()).register(r);
        Gauge.builder("powerwatch.journal.writable", journal, j -> j.status().writable() ? 1 : 0)
                .description("0 while the journal cannot write (disk full): frames are not acknowledged").register(r);
        FunctionCounter.builder("powerwatch.journal.appends.failed", journal, j -> j.metrics().appendsFailed()).register(r);

        Gauge.builder("powerwatch.store.lag", store, StoreWriter::lag).description("journal records not yet stored").register(r);
        Gauge.builder("powerwatch.store.healthy", store, s -> s.state().failing() ? 0 : 1).register(r);
        FunctionCounter.builder("powerwatch.store.frames", store, s -> s.stats().framesStored()).register(r);
        FunctionCounter.builder("powerwatch.store.values", store, s -> s.stats().valuesStored()).register(r);
        FunctionCounter.builder("powerwatch.store.failures", store, StoreWriter::failures).register(r);
    }
}
