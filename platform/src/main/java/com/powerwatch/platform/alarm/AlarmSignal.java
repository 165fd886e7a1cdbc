package com.powerwatch.platform.alarm;

import java.time.Instant;
import java.util.Map;

/**
 * What a model reports. subjectKey identifies the subject uniquely, e.g. "facility:42", "point:7", "logger:&lt;MN&gt;",
 * "enterprise:3". {@code at} is the data time of the reading that shows the condition, not the wall clock: replays
 * after a crash carry the same data times, which is what makes them harmless.
 */
public record AlarmSignal(String type, String subjectKey, long enterpriseId, Long facilityId, Long pointId, String mn,
                          AlarmLevel level, Instant at, Map<String, Object> evidence) {
}
