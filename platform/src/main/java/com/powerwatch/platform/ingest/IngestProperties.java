package com.powerwatch.platform.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/** {@code powerwatch.*} settings of the ingestion pipeline (see application.yml for defaults). */
@ConfigurationProperties(prefix = "powerwatch")
public record IngestProperties(Path dataDir, Gateway gateway, JournalSettings journal, Store store) {

    public record Gateway(int port, String bindAddress, Duration idleTimeout, long garbageBudgetBytes) {
    }

    public record JournalSettings(long segmentBytes, Duration retentionMaxAge, long retentionMaxBytes) {
    }

    public record Store(int batchSize, Duration maxBackoff) {
    }
}
