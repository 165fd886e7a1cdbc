package com.powerwatch.ingest.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** While the journal refuses frames: one ERROR when it starts, a summary a minute at most, one INFO when it ends. */
class RefusedAppendsLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.refusals");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RefusedAppendsLog refusals = new RefusedAppendsLog(logger, "gateway", now::get, Duration.ofMinutes(1));
    private final IOException diskFull = new IOException("No space left on device");

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private List<String> at(Level level) {
        return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** {@code count} refusals, {@code stepMillis} apart (the clock moves on after each). */
    private void refuse(int count, long stepMillis) {
        for (int i = 0; i < count; i++) {
            refusals.refused(diskFull);
            now.addAndGet(stepMillis);
        }
    }

    @Test
    void tenThousandRefusalsOverFiveMinutesMakeSixLines() {
        refusals.accepted(); // nothing to say while appends succeed
        assertEquals(0, lines.list.size());

        refuse(10_001, 30); // the last one 300 s after the first
        List<String> errors = at(Level.ERROR);
        assertEquals(6, errors.size(), "one at the start, then one a minute: " + errors);
        assertTrue(errors.get(0).contains("refuses frames") && errors.get(0).contains("No space left on device"), errors.get(0));
        assertTrue(errors.get(1).contains("still refuses frames: 2000 refused in the last 60 s, 2001 since it started 60 s ago"),
                errors.get(1));
        assertTrue(refusals.refusing());

        refusals.accepted();
        refusals.accepted();
        List<String> infos = at(Level.INFO);
        assertEquals(1, infos.size(), String.valueOf(infos));
        assertTrue(infos.get(0).contains("takes frames again after 300 s; 10001 refused meanwhile"), infos.get(0));
        assertEquals(7, lines.list.size(), "nothing else");
    }

    @Test
    void aNewOutageStartsWithItsOwnErrorAndCount() {
        refuse(3, 100);
        refusals.accepted();
        refuse(2, 100);
        refusals.accepted();
        assertEquals(2, at(Level.ERROR).size());
        List<String> infos = at(Level.INFO);
        assertEquals(2, infos.size());
        assertTrue(infos.get(1).contains("2 refused meanwhile"), infos.get(1));
    }
}
