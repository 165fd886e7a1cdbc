package com.powerwatch.platform.ingest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import org.springframework.util.unit.DataSize;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Byte sizes on the command line accept units ({@code 50MB}, {@code 64KB}) as Spring's DataSize reads them, and plain
 * numbers still mean bytes: bound here exactly as the application binds {@code powerwatch.*} at start.
 */
class ByteSizePropertiesTest {

    private static IngestProperties bind(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                "powerwatch.data-dir", "/tmp/x",
                "powerwatch.gateway.port", "9212",
                "powerwatch.gateway.bind-address", "0.0.0.0",
                "powerwatch.gateway.idle-timeout", "10m",
                "powerwatch.gateway.garbage-budget-bytes", "65536",
                "powerwatch.journal.segment-bytes", "67108864",
                "powerwatch.journal.retention-max-age", "7d",
                "powerwatch.journal.retention-max-bytes", "10737418240",
                "powerwatch.store.batch-size", "4000",
                "powerwatch.store.max-backoff", "30s"));
        props.putAll(overrides);
        return new Binder(new MapConfigurationPropertySource(props)).bind("powerwatch", IngestProperties.class).get();
    }

    /** A size as bytes, whatever type the property has. */
    private static long bytes(Object size) {
        return size instanceof DataSize d ? d.toBytes() : ((Number) size).longValue();
    }

    @Test
    void sizesAcceptUnits() {
        IngestProperties p = bind(Map.of(
                "powerwatch.journal.retention-max-bytes", "50MB",
                "powerwatch.journal.segment-bytes", "16MB",
                "powerwatch.gateway.garbage-budget-bytes", "64KB"));
        assertEquals(50L << 20, bytes(p.journal().retentionMaxBytes()));
        assertEquals(16L << 20, bytes(p.journal().segmentBytes()));
        assertEquals(64L << 10, bytes(p.gateway().garbageBudgetBytes()));
    }

    @Test
    void plainNumbersStillMeanBytes() {
        IngestProperties p = bind(Map.of());
        assertEquals(10737418240L, bytes(p.journal().retentionMaxBytes()));
        assertEquals(67108864L, bytes(p.journal().segmentBytes()));
        assertEquals(65536L, bytes(p.gateway().garbageBudgetBytes()));
    }
}
