package com.powerwatch.platform.analysis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code powerwatch.analysis.baseline.*}: how the baseline of a production order is computed from the enterprise's
 * own history (domain notes §1.5, all [D]) and when the facilities' history peaks are refreshed.
 *
 * @param windowDays       calendar days of history before the order (China days, the order's own day excluded)
 * @param minWorkingDays   fewer working days than this in the window: fall back to the rated capacity
 * @param workingDayShare  a day whose production energy is below this share of the median day is a day off
 * @param minDayCoverage   a day counts only when this share of its 24 hours has data (a silent logger is no day off)
 * @param ratedLoadFactor  fallback: baseline kW = Σ rated kW × this typical load factor
 * @param ratedHoursPerDay fallback: baseline daily kWh = baseline kW × these hours (two shifts)
 * @param peakCron         when the facilities' history peaks (OVER_CAPACITY reference) are recomputed; "-" = never
 */
@ConfigurationProperties(prefix = "powerwatch.analysis.baseline")
public record BaselineProperties(@DefaultValue("30") int windowDays,
                                 @DefaultValue("7") int minWorkingDays,
                                 @DefaultValue("0.2") double workingDayShare,
                                 @DefaultValue("0.9") double minDayCoverage,
                                 @DefaultValue("0.7") double ratedLoadFactor,
                                 @DefaultValue("16") double ratedHoursPerDay,
                                 @DefaultValue("0 15 1 * * *") String peakCron) {
}
