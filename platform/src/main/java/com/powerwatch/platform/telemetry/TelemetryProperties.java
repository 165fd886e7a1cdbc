package com.powerwatch.platform.telemetry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.telemetry.*}: the telemetry consumer, real-time state and SSE settings.
 *
 * @param batchSize           journal records per consumer batch (one transaction)
 * @param maxBackoff          longest wait between retries while PostgreSQL is down
 * @param aggregateInterval   under load, dirty aggregate buckets are recomputed at most this often (at once when caught up)
 * @param registryPoll        how often the registry tables are checked for changes
 * @param offlineMinimum      a point is offline after max(3 × its observed interval, this) without data
 * @param offlineUnknown      … or after this when its interval is not known yet
 * @param offlineCheck        how often the offline timer runs
 * @param sseFlush            coalescing window: at most one flush per subscriber per this
 * @param sseHeartbeat        comment line sent this often so proxies keep the stream open
 * @param sseQueueLimit       distinct objects pending per subscriber; more → the stream asks for a resync
 * @param sseMaxPerUser       streams one user may hold; a new one beyond it closes the user's oldest
 * @param sseMaxLifetime      a stream is closed after this long (the browser reconnects, its token checked again)
 */
@ConfigurationProperties(prefix = "powerwatch.telemetry")
public record TelemetryProperties(@DefaultValue("4000") int batchSize,
                                  @DefaultValue("30s") Duration maxBackoff,
                                  @DefaultValue("10s") Duration aggregateInterval,
                                  @DefaultValue("5s") Duration registryPoll,
                                  @DefaultValue("5m") Duration offlineMinimum,
                                  @DefaultValue("30m") Duration offlineUnknown,
                                  @DefaultValue("5s") Duration offlineCheck,
                                  @DefaultValue("1s") Duration sseFlush,
                                  @DefaultValue("20s") Duration sseHeartbeat,
                                  @DefaultValue("10000") int sseQueueLimit,
                                  @DefaultValue("5") int sseMaxPerUser,
                                  @DefaultValue("30m") Duration sseMaxLifetime) {
}
