package com.powerwatch.platform.message;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Daily: deletes inbox messages older than {@code powerwatch.messages.retention} (180 days). A message is a copy
 * sent to one person; the alarm with its handling steps stays the record (docs/alarms.md).
 */
@Component
@EnableScheduling
public class MessageRetentionJob {

    private static final Logger log = LoggerFactory.getLogger(MessageRetentionJob.class);

    private final UserMessages messages;
    private final Duration keep;
    private final Clock clock = Clock.systemUTC();

    public MessageRetentionJob(UserMessages messages, @Value("${powerwatch.messages.retention:180d}") Duration keep) {
        this.messages = messages;
        this.keep = keep;
    }

    @Scheduled(cron = "${powerwatch.messages.retention-cron:0 40 2 * * *}", zone = "Asia/Shanghai")
    public void daily() {
        try {
            int n = run();
            if (n > 0) {
                log.info("deleted {} inbox messages older than {} days", n, keep.toDays());
            }
        } catch (RuntimeException e) {
            log.warn("inbox message retention failed: {}", e.toString()); // tried again tomorrow
        }
    }

    /** Deletes what is past the retention now; returns how many. */
    public int run() {
        return messages.deleteCreatedBefore(OffsetDateTime.now(clock).minus(keep));
    }
}
