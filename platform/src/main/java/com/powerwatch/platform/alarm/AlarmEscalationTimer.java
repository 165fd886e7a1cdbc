package com.powerwatch.platform.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Runs the escalation every {@code powerwatch.alarm.escalation.interval}. Declares @EnableScheduling itself. */
@Component
@EnableScheduling
class AlarmEscalationTimer {

    private static final Logger log = LoggerFactory.getLogger(AlarmEscalationTimer.class);

    private final AlarmService alarms;

    AlarmEscalationTimer(AlarmService alarms) {
        this.alarms = alarms;
    }

    @Scheduled(fixedDelayString = "${powerwatch.alarm.escalation.interval:1m}", initialDelayString = "${powerwatch.alarm.escalation.interval:1m}")
    void run() {
        try {
            int n = alarms.escalateDue(Instant.now());
            if (n > 0) {
                log.info("escalated {} unconfirmed alarms", n);
            }
        } catch (RuntimeException e) {
            log.warn("alarm escalation failed: {}", e.toString());
        }
    }
}
