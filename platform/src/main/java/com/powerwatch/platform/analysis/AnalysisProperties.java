package com.powerwatch.platform.analysis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.analysis.*}: the alarm engine (智能报警分析引擎).
 *
 * @param enabled       run the engine at all
 * @param consumer      its journal consumer name (own offset)
 * @param batchSize     journal records per batch
 * @param maxBackoff    longest wait between retries of a failing batch
 * @param timerInterval how often the timers (offline) run while the engine has caught up with the journal
 * @param rebuildWindow at start the state is rebuilt from point_sample of this long before now
 * @param rulesCacheTtl effective rule parameters and production orders are cached this long
 * @param futureTolerance the fleet's data clock runs at most this far ahead of the receive time of the frame that moved
 *                      it (a logger with a wrong clock); must stay below every silence limit of LOGGER_OFFLINE and
 *                      METER_OFFLINE (checked at start and when a rule is saved, {@link SilenceLimits})
 */
@ConfigurationProperties(prefix = "powerwatch.analysis")
public record AnalysisProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("alarm-engine") String consumer,
                                 @DefaultValue("4000") int batchSize,
                                 @DefaultValue("30s") Duration maxBackoff,
                                 @DefaultValue("5s") Duration timerInterval,
                                 @DefaultValue("3h") Duration rebuildWindow,
                                 @DefaultValue("30s") Duration rulesCacheTtl,
                                 @DefaultValue("2m") Duration futureTolerance) {
}
