package com.powerwatch.platform.alarm;

import java.time.Instant;
import java.util.Map;

/** What the detection engine calls. Implemented by {@link AlarmService}; see docs/alarms.md for the guarantees. */
public interface AlarmRecorder {

    /** The condition holds at data time `at`. Opens an alarm, or updates the open one of (type, subjectKey). */
    void raise(AlarmSignal signal);

    /** The condition no longer holds at `at`: the open alarm of (type, subjectKey), if any, recovers. */
    void clear(String type, String subjectKey, Instant at, Map<String, Object> evidence);
}
