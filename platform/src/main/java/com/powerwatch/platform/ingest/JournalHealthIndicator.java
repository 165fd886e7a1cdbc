package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Health component {@code journal}: DOWN while the journal cannot write (a full disk) — frames are then not
 * acknowledged and devices re-send — with the reason and since when; UP again by itself once it writes.
 */
@Component
public class JournalHealthIndicator implements HealthIndicator {

    private final Journal journal;

    public JournalHealthIndicator(Journal journal) {
        this.journal = journal;
    }

    @Override
    public Health health() {
        JournalStatus s = journal.status();
        Health.Builder h = s.writable() ? Health.up() : Health.down().withDetail("problem", s.problem());
        if (s.problemSinceMillis() > 0) {
            h.withDetail("since", Instant.ofEpochMilli(s.problemSinceMillis()).toString());
        }
        return h.withDetail("outagesSinceStart", s.outages()).build();
    }
}
