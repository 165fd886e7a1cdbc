package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.ingest.store.TraceRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.LocalDate;

/** Hourly: drops raw-message trace partitions older than {@code powerwatch.trace.retention} (30 days). */
@Component
@EnableScheduling
public class TraceRetentionJob {

    private static final Logger log = LoggerFactory.getLogger(TraceRetentionJob.class);

    private final TraceRetention retention;
    private final Duration keep;

    public TraceRetentionJob(DataSource dataSource, @Value("${powerwatch.trace.retention:30d}") Duration keep) {
        this.retention = new TraceRetention(dataSource);
        this.keep = keep;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    public void run() {
        try {
            retention.dropBefore(LocalDate.now(QnGenerator.CHINA).minusDays(keep.toDays()));
        } catch (Exception e) {
            log.warn("raw-message trace retention failed: {}", e.toString());
        }
    }
}
