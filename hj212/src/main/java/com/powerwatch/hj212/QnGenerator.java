package com.powerwatch.hj212;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request numbers ({@code yyyyMMddHHmmssSSS}, China time) for commands the server starts. A QN
 * identifies one exchange, so two commands in the same millisecond get successive milliseconds.
 */
public final class QnGenerator {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public QnGenerator(Clock clock) {
        this.clock = clock;
    }

    public static QnGenerator system() {
        return new QnGenerator(Clock.system(CHINA));
    }

    public String next() {
        long now = clock.millis();
        long ms = last.accumulateAndGet(now, (prev, candidate) -> Math.max(prev + 1, candidate));
        return DataTimes.format17(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), CHINA));
    }
}
