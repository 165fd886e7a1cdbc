package com.powerwatch.platform.emergency.warning;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Closes warnings whose end has passed, every {@code powerwatch.emergency.end-check}. Declares @EnableScheduling itself. */
@Component
@EnableScheduling
class WarningClock {

    private static final Logger log = LoggerFactory.getLogger(WarningClock.class);

    private final Warnings warnings;
    private final WarningFollowUp followUp;

    WarningClock(Warnings warnings, WarningFollowUp followUp) {
        this.warnings = warnings;
        this.followUp = followUp;
    }

    @Scheduled(fixedDelayString = "${powerwatch.emergency.end-check:1m}", initialDelayString = "${powerwatch.emergency.end-check:1m}")
    void tick() {
        try {
            for (Long id : warnings.endDue(Instant.now())) {
                log.info("emergency warning {} ended", id);
                followUp.ended(id);
            }
        } catch (RuntimeException e) {
            log.warn("ending emergency warnings failed: {}", e.toString());
        }
    }
}
