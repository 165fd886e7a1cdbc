package com.powerwatch.platform.datacheck;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.data-checks.*}: every number the data-check rules use (docs/data-checks.md explains each).
 *
 * @param cron                        daily scheduled run (Spring cron, in {@code zone}); "-" disables it
 * @param zone                        time zone of the cron expression
 * @param retentionDays               runs (with their findings) older than this are deleted after the daily run
 * @param silenceLimit                NO_DATA_AFTER_GO_LIVE: no sample for this long after go-live, or up to the check time
 * @param previousSampleLookback      energy: how far before the window the previous sample is looked for
 * @param resetMaxKwh                 energy: a decrease to a register at or below this is a meter reset, not negative energy
 * @param rolloverMargin              energy: a decrease from within this fraction below 10^n to within this fraction of 10^n above 0 is a rollover
 * @param maxLoadFactor               ENERGY_OVER_25X_MAX_LOAD: daily kWh greater than this × the day's maximum kW
 * @param ratedHours                  ENERGY_ABNORMALLY_LARGE: hours of full rated load per day …
 * @param ratedMargin                 … times this margin
 * @param baselineDays                ENERGY_ABNORMALLY_LARGE: days before the check day forming the point's baseline
 * @param baselineMinDays             … at least this many days with energy, otherwise the statistical test is skipped
 * @param baselineSigmas              … limit = median + this many standard deviations
 * @param baselineMinRelativeMargin   … but at least median × (1 + this), so a flat history does not flag a tiny rise
 * @param subMeterTolerance           PROD_TREAT_OVER_TOTAL: production + treatment may exceed the total by this fraction
 * @param negativePowerToleranceKw    NEGATIVE_POWER: P below minus this (0 = any negative value)
 * @param constantRunSamples          CONSTANT_POWER: at least this many consecutive identical non-zero P values
 */
@ConfigurationProperties(prefix = "powerwatch.data-checks")
public record DataCheckProperties(
        @DefaultValue("0 30 2 * * *") String cron,
        @DefaultValue("Asia/Shanghai") String zone,
        @DefaultValue("90") int retentionDays,
        @DefaultValue("24h") Duration silenceLimit,
        @DefaultValue("24h") Duration previousSampleLookback,
        @DefaultValue("10") double resetMaxKwh,
        @DefaultValue("0.01") double rolloverMargin,
        @DefaultValue("25") double maxLoadFactor,
        @DefaultValue("24") double ratedHours,
        @DefaultValue("1.2") double ratedMargin,
        @DefaultValue("30") int baselineDays,
        @DefaultValue("7") int baselineMinDays,
        @DefaultValue("5") double baselineSigmas,
        @DefaultValue("0.2") double baselineMinRelativeMargin,
        @DefaultValue("0.05") double subMeterTolerance,
        @DefaultValue("0") double negativePowerToleranceKw,
        @DefaultValue("12") int constantRunSamples) {

    public DataCheckProperties {
        if (constantRunSamples < 2) {
            throw new IllegalArgumentException("powerwatch.data-checks.constant-run-samples must be at least 2");
        }
        if (baselineMinDays < 2 || baselineDays < baselineMinDays) {
            throw new IllegalArgumentException("powerwatch.data-checks: need 2 <= baseline-min-days <= baseline-days");
        }
    }

    /** All defaults (for code that has no Spring environment). */
    public static DataCheckProperties defaults() {
        return new DataCheckProperties("0 30 2 * * *", "Asia/Shanghai", 90, Duration.ofHours(24), Duration.ofHours(24),
                10, 0.01, 25, 24, 1.2, 30, 7, 5, 0.2, 0.05, 0, 12);
    }
}
