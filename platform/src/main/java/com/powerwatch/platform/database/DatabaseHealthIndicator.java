package com.powerwatch.platform.database;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code database}, answered from memory ({@link DatabaseAvailability}): never waits for a database
 * that is away. DOWN while it does not answer, and while the start still waits for it (with what it waits for).
 */
@Component
public class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseAvailability availability;
    private final DatabaseStartup startup;

    public DatabaseHealthIndicator(DatabaseAvailability availability, DatabaseStartup startup) {
        this.availability = availability;
        this.startup = startup;
    }

    @Override
    public Health health() {
        DatabaseAvailability.State s = availability.state();
        Health.Builder h = s.up() && startup.isReady() ? Health.up() : Health.down();
        h.withDetail("since", s.since().toString());
        if (s.error() != null) {
            h.withDetail("error", s.error());
        }
        if (!startup.isReady()) {
            h.withDetail("startWaitingFor", startup.waitingFor());
        }
        return h.build();
    }
}
