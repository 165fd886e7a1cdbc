package com.powerwatch.platform.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code powerwatch.*} settings of the ingestion pipeline (see application.yml for defaults). Byte sizes are
 * {@link DataSize}: {@code 50MB}, {@code 64KB} or a plain number of bytes.
 */
@ConfigurationProperties(prefix = "powerwatch")
public record IngestProperties(Path dataDir, Gateway gateway, JournalSettings journal, Store store,
                               @DefaultValue Quarantine quarantine) {

    /**
     * @param maxConnections           open TCP connections in total (keep it below the process's open-file limit)
     * @param maxConnectionsPerAddress open connections from one remote address
     * @param connectionCapExempt      addresses or CIDR ranges not capped per address (loopback for the demo fleet
     *                                 and the bench; a carrier NAT or APN gateway that many loggers share)
     * @param frameDeadline            a frame whose first bytes arrived must complete within this time
     */
    public record Gateway(int port, String bindAddress, Duration idleTimeout, DataSize garbageBudgetBytes,
                          @DefaultValue("15000") int maxConnections, @DefaultValue("100") int maxConnectionsPerAddress,
                          @DefaultValue({"127.0.0.0/8", "::1"}) List<String> connectionCapExempt,
                          @DefaultValue("30s") Duration frameDeadline) {
    }

    /**
     * @param writeRetryMaxBackoff while the journal cannot write (disk full) it tries again after 100 ms, doubling the
     *                             pause up to this; frames are not acknowledged meanwhile
     */
    public record JournalSettings(DataSize segmentBytes, Duration retentionMaxAge, DataSize retentionMaxBytes,
                                  @DefaultValue("5s") Duration writeRetryMaxBackoff) {
    }

    public record Store(int batchSize, Duration maxBackoff) {
    }

    /** @param futureTolerance how far ahead of its receive time a frame's DataTime may be before it is quarantined */
    public record Quarantine(@DefaultValue("2m") Duration futureTolerance) {
    }
}
