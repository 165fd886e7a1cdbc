package com.powerwatch.platform.emergency;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * {@code powerwatch.emergency.*}: limits and verdict settings of 重污染天气应急 (docs/emergency.md). Verdict numbers are
 * [D] defaults of domain notes §1.5.
 *
 * @param attachmentMaxSize   largest plan attachment (the multipart limit of 10 MB applies before it)
 * @param importMaxRows       most data rows one plan workbook may hold
 * @param maxWarningDuration  longest warning (start to end) accepted
 * @param maxBackdate         how far in the past a warning may start or a change take effect (registering one late)
 * @param runDown             after a measure starts, production may run down this long before it is judged
 * @param minCoverage         share of the judged 15-minute buckets with data from every facility concerned, below which
 *                            a measure without proven violation is 无法判断 (never 达标 without data)
 * @param dataGrace           a 15-minute bucket is expected to hold data only this long after it began
 * @param limitTolerancePoints a LIMIT is kept when the reduction is at least the required percentage minus these points
 * @param stopBaselineShare   a STOP is kept only while production stays below this share of the baseline (when known)
 * @param baselineThreads     threads that compute the baselines of a warning's new orders
 * @param notifyQueueShare    notifications of a warning are queued while the notifier holds less than this share of its
 *                            capacity, so that a city-wide warning does not overflow the queue
 * @param endCheck            how often warnings whose end has passed are closed (and their report written)
 * @param boardCacheTtl       the live board is computed at most this often per warning (every viewer shares it)
 * @param reportFont          the CJK font embedded in PDF reports (a TrueType/OpenType file, ",n" picks a face of a .ttc)
 * @param reportBoldFont      its bold face
 * @param reportsKept         evaluation reports kept per warning (the oldest on-demand ones are deleted beyond it)
 */
@ConfigurationProperties(prefix = "powerwatch.emergency")
public record EmergencyProperties(@DefaultValue("10MB") DataSize attachmentMaxSize,
                                  @DefaultValue("20000") int importMaxRows,
                                  @DefaultValue("31d") Duration maxWarningDuration,
                                  @DefaultValue("3d") Duration maxBackdate,
                                  @DefaultValue("15m") Duration runDown,
                                  @DefaultValue("0.8") double minCoverage,
                                  @DefaultValue("5m") Duration dataGrace,
                                  @DefaultValue("5") double limitTolerancePoints,
                                  @DefaultValue("0.25") double stopBaselineShare,
                                  @DefaultValue("2") int baselineThreads,
                                  @DefaultValue("0.5") double notifyQueueShare,
                                  @DefaultValue("1m") Duration endCheck,
                                  @DefaultValue("10s") Duration boardCacheTtl,
                                  @DefaultValue("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,2") String reportFont,
                                  @DefaultValue("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc,2") String reportBoldFont,
                                  @DefaultValue("10") int reportsKept) {
}
