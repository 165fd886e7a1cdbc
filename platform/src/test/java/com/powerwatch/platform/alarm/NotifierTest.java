package com.powerwatch.platform.alarm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery queue on its own: bounded, never blocking the publisher, dropping with a count and a log row. */
class NotifierTest {

    private static Notification notification(long id) {
        return new Notification(NotificationEvent.OPENED, id, 1, "测试企业", "610113", "TREATMENT_STOPPED", "治污设施停运",
                "TREATMENT", AlarmLevel.LEVEL_2, "t", "x", List.of(), List.of());
    }

    /** A channel whose sends wait until released. */
    private static class StuckChannel implements NotificationChannel {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> sent = Collections.synchronizedList(new ArrayList<>());

        public String name() {
            return "stuck";
        }

        public Kind kind() {
            return Kind.WECOM;
        }

        public boolean accepts(Notification n) {
            return true;
        }

        public List<String> recipients(Notification n) {
            return Collections.singletonList(null);
        }

        public void send(Notification n, String recipient) throws Exception {
            release.await(30, TimeUnit.SECONDS);
            sent.add(n.alarmId());
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingThePublisher() throws Exception {
        StuckChannel channel = new StuckChannel();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Notifier notifier = new Notifier(List.of(channel), (c, n, r, attempt, outcome, status, error) ->
                log.add(n.alarmId() + ":" + outcome), 2, 1, 3, Duration.ofMillis(10))) {
            for (long i = 1; i <= 5; i++) {
                notifier.publish(notification(i)); // returns at once although the channel is stuck
            }
            assertEquals(3, notifier.dropped());
            assertEquals(2, notifier.pending());
            assertEquals(List.of("3:DROPPED", "4:DROPPED", "5:DROPPED"), List.copyOf(log));
            channel.release.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (notifier.pending() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(0, notifier.pending());
            assertEquals(List.of(1L, 2L), List.copyOf(channel.sent));
            assertTrue(log.contains("1:SENT") && log.contains("2:SENT"), log.toString());
        }
    }

    @Test
    void failuresAreRetriedWithBackoffThenGivenUp() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        NotificationChannel failing = new StuckChannel() {
            @Override
            public void send(Notification n, String recipient) throws Exception {
                throw new DeliveryException(503, "HTTP 503");
            }
        };
        try (Notifier notifier = new Notifier(List.of(failing), (c, n, r, attempt, outcome, status, error) ->
                log.add(attempt + ":" + outcome + ":" + status), 10, 1, 3, Duration.ofMillis(10))) {
            notifier.publish(notification(1));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (notifier.pending() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(List.of("1:RETRYING:503", "2:RETRYING:503", "3:FAILED:503"), List.copyOf(log));
            assertEquals(1, notifier.failed());
        }
    }
}
