package com.powerwatch.platform.datacheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.LocalDate;

/**
 * The daily run for yesterday (China time) at powerwatch.data-checks.cron (default 02:30 Asia/Shanghai; "-" disables
 * it), then deletion of runs older than retention-days. Declares @EnableScheduling itself so it does not depend on
 * another feature having enabled scheduling.
 */
@Component
@EnableScheduling
public class DataCheckScheduler {

    private static final Logger log = LoggerFactory.getLogger(DataCheckScheduler.class);

    private final DataCheckRunner runner;

    public DataCheckScheduler(DataCheckRunner runner) {
        this.runner = runner;
    }

    @Scheduled(cron = "${powerwatch.data-checks.cron:0 30 2 * * *}", zone = "${powerwatch.data-checks.zone:Asia/Shanghai}")
    public void daily() {
        LocalDate yesterday = LocalDate.now(CheckContext.CHINA).minusDays(1);
        try {
            runner.run(DataCheckRunner.Trigger.SCHEDULED, yesterday, null, null, null);
        } catch (RuntimeException e) {
            log.error("scheduled data-check run for {} failed", yesterday, e);
        }
        try {
            int deleted = runner.deleteOldRuns();
            if (deleted > 0) {
                log.info("deleted {} data-check runs older than {} days", deleted, runner.settings().retentionDays());
            }
        } catch (RuntimeException e) {
            log.warn("data-check retention failed: {}", e.toString());
        }
    }
}
