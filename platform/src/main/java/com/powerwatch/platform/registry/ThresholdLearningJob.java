package com.powerwatch.platform.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Proposes learned thresholds for facilities that have none, at powerwatch.threshold-learning.cron (default daily
 * 03:15 Asia/Shanghai; "-" disables it). Declares @EnableScheduling itself, like the other scheduled jobs.
 */
@Component
@EnableScheduling
public class ThresholdLearningJob {

    private static final Logger log = LoggerFactory.getLogger(ThresholdLearningJob.class);

    private final ThresholdProposals proposals;

    public ThresholdLearningJob(ThresholdProposals proposals) {
        this.proposals = proposals;
    }

    @Scheduled(cron = "${powerwatch.threshold-learning.cron:0 15 3 * * *}", zone = "${powerwatch.threshold-learning.zone:Asia/Shanghai}")
    public void daily() {
        try {
            ThresholdProposals.RunSummary s = proposals.proposeWhereThresholdsAreMissing();
            log.info("threshold learning: {} facilities without thresholds, {} proposals, {} refused, {} failed",
                    s.facilities(), s.proposed(), s.refused(), s.failed());
        } catch (RuntimeException e) {
            log.error("scheduled threshold learning failed", e);
        }
    }
}
