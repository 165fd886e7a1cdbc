package com.powerwatch.platform.telemetry;

import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.platform.api.ScopedEventStream;
import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Telemetry wiring: the registry snapshot, the real-time state rebuilt from the store, then the journal consumer that
 * keeps both and the aggregates current, and the SSE stream. What reads the database starts in that order once the
 * schema is migrated ({@link DatabaseStartStep}s), at start or when the database comes back.
 */
@Configuration(proxyBeanMethods = false)
public class TelemetryConfig {

    public static final String CONSUMER = "telemetry";

    @Bean(destroyMethod = "close")
    public TelemetryRegistry telemetryRegistry(JdbcTemplate jdbc, TelemetryProperties props) {
        return new TelemetryRegistry(jdbc, props.registryPoll());
    }

    @Bean
    public DatabaseStartStep telemetryRegistryStart(TelemetryRegistry registry) {
        return new DatabaseStartStep("registry snapshot", DatabaseStartStep.TELEMETRY, registry::start);
    }

    /**
     * The real-time state judges facilities and meters with the engine's thresholds; the rule parameters it needs
     * come from the analysis package's rule cache (AnalysisConfig) — telemetry itself does not depend on the alarm
     * rules.
     */
    @Bean(destroyMethod = "close")
    public RealtimeState realtimeState(JdbcTemplate jdbc, TelemetryRegistry registry, TelemetryProperties props,
                                       ObjectProvider<FacilityRules> rules) {
        RealtimeState state = new RealtimeState(Clock.systemUTC(), props.offlineMinimum(), props.offlineUnknown(),
                props.offlineCheck(), rules.getIfAvailable(() -> FacilityRules.DEFAULT));
        registry.onChange(state::onRegistry);
        return state;
    }

    @Bean
    public DatabaseStartStep realtimeStateRebuild(RealtimeState state, TelemetryRegistry registry, JdbcTemplate jdbc) {
        return new DatabaseStartStep("real-time state", DatabaseStartStep.TELEMETRY + 1,
                () -> state.rebuild(jdbc, registry.snapshot()));
    }

    @Bean(destroyMethod = "close")
    public RealtimeStream realtimeStream(RealtimeState state, TelemetryProperties props) {
        return new RealtimeStream(state, new ScopedEventStream.Settings(props.sseFlush(), props.sseHeartbeat(),
                props.sseQueueLimit(), props.sseMaxPerUser(), props.sseMaxLifetime()));
    }

    @Bean(destroyMethod = "close")
    public TelemetryConsumer telemetryConsumer(DataSource dataSource, Journal journal, TelemetryRegistry registry,
                                               RealtimeState state, TelemetryProperties props) {
        return new TelemetryConsumer(dataSource, journal.reader(CONSUMER), registry, state, props.batchSize(),
                props.maxBackoff(), props.aggregateInterval());
    }

    @Bean
    public DatabaseStartStep telemetryConsumerStart(TelemetryConsumer consumer) {
        return new DatabaseStartStep("telemetry consumer", DatabaseStartStep.TELEMETRY + 2, consumer::start);
    }
}
