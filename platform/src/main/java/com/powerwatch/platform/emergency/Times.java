package com.powerwatch.platform.emergency;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Beijing time for answers, reports and messages. */
public final class Times {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Times() {
    }

    public static OffsetDateTime china(Timestamp t) {
        return t == null ? null : t.toInstant().atZone(CHINA).toOffsetDateTime();
    }

    public static OffsetDateTime china(Instant t) {
        return t == null ? null : t.atZone(CHINA).toOffsetDateTime();
    }

    /** 2026-12-03 08:00, as officers read times. */
    public static String shown(Instant t) {
        return t == null ? "" : SHOWN.format(t.atZone(CHINA));
    }
}
