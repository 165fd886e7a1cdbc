package com.powerwatch.platform.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code powerwatch.*} settings of the ingestion pipeline (see application.yml for defaults). Byte sizes are
 * {@link DataSize}: {@code 50MB}, {@code 64KB} or a plain number of bytes.
 */
@ConfigurationProperties(prefix = "powerwatch")
public record IngestProperties(Path dataDir, Gateway gateway, JournalSettings journal, Store store) {

    public record Gateway(int port, String bindAddress, Duration idleTimeout, DataSize garbageBudgetBytes) {
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
}
