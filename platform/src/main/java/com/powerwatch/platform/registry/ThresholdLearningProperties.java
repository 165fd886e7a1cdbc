package com.powerwatch.platform.registry;

import com.powerwatch.platform.analysis.ThresholdLearner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.threshold-learning.*}: learned thresholds (docs/analysis-models.md §8). All defaults are [D].
 *
 * @param days            history read for a proposal unless the request names another number of days
 * @param maxDays         the most a request may ask for
 * @param grid            values are averaged per point on this grid and summed over the facility's points
 * @param maxBuckets      the grid is widened so that a window has at most this many buckets per point
 * @param cron            the scheduled proposal run (Spring cron in {@code zone}); "-" disables it
 * @param zone            time zone of the cron expression
 * @param keepOpenFor     the scheduled run leaves an open proposal alone while it is younger than this
 * @param quietAfterRejection … and proposes nothing for a facility whose proposal was rejected this recently
 * @param minSamples      see {@link ThresholdLearner.Settings}
 */
@ConfigurationProperties(prefix = "powerwatch.threshold-learning")
public record ThresholdLearningProperties(
        @DefaultValue("14") int days,
        @DefaultValue("60") int maxDays,
        @DefaultValue("1m") Duration grid,
        @DefaultValue("43200") int maxBuckets,
        @DefaultValue("0 15 3 * * *") String cron,
        @DefaultValue("Asia/Shanghai") String zone,
        @DefaultValue("1d") Duration keepOpenFor,
        @DefaultValue("7d") Duration quietAfterRejection,
        @DefaultValue("200") int minSamples,
        @DefaultValue("3") double minDays,
        @DefaultValue("0.01") double minClusterShare,
        @DefaultValue("0.8") double minSeparation,
        @DefaultValue("0.25") double maxOffRatio,
        @DefaultValue("0.5") double minRunning,
        @DefaultValue("0.3") double stopAt,
        @DefaultValue("0.5") double runAt) {

    public ThresholdLearningProperties {
        if (days < 1 || maxDays < days) {
            throw new IllegalArgumentException("powerwatch.threshold-learning: need 1 <= days <= max-days");
        }
        if (grid.toSeconds() < 1 || maxBuckets < 100) {
            throw new IllegalArgumentException("powerwatch.threshold-learning: grid >= 1 s and max-buckets >= 100");
        }
    }

    ThresholdLearner.Settings learnerSettings() {
        return new ThresholdLearner.Settings(minSamples, minDays, minClusterShare, minSeparation, maxOffRatio, minRunning,
                stopAt, runAt);
    }

    /** The averaging grid for a window of {@code days}: {@link #grid}, widened to keep ≤ {@link #maxBuckets}. */
    Duration gridFor(int days) {
        long seconds = Math.max(grid.toSeconds(), (long) Math.ceil(days * 86_400.0 / maxBuckets));
        return Duration.ofSeconds(seconds);
    }
}
