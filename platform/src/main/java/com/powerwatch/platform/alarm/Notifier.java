package com.powerwatch.platform.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers notifications through the channels, never on the caller's thread: {@link #publish} only queues (one
 * delivery per channel and recipient) and returns. Delivery threads send; a failed attempt is put back with a delay
 * (backoff doubling) until {@code maxAttempts}. The queue is bounded by {@code capacity} deliveries waiting or in
 * flight; when full, new deliveries are dropped, counted and logged (with a DROPPED row) — the engine and the API
 * never wait for a slow SMS gateway. Every attempt goes to the {@link DeliveryLog} (notification_log).
 */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    /** Where attempts are written; implemented over notification_log. */
    public interface DeliveryLog {
        void attempt(NotificationChannel channel, Notification n, String recipient, int attempt, String outcome,
                     Integer status, String error);
    }

    private final class Delivery implements Delayed {
        final NotificationChannel channel;
        final Notification notification;
        final String recipient;
        int attempt;
        long dueNanos;

        Delivery(NotificationChannel channel, Notification notification, String recipient) {
            this.channel = channel;
            this.notification = notification;
            this.recipient = recipient;
            this.dueNanos = System.nanoTime();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Delivery) o).dueNanos);
        }
    }

    private final List<NotificationChannel> channels;
    private final DeliveryLog deliveryLog;
    private final int capacity;
    private final int maxAttempts;
    private final Duration backoff;
    private final DelayQueue<Delivery> queue = new DelayQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    public Notifier(List<NotificationChannel> channels, DeliveryLog deliveryLog, int capacity, int threads, int maxAttempts,
                    Duration backoff) {
        this.channels = List.copyOf(channels);
        this.deliveryLog = deliveryLog;
        this.capacity = capacity;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(this::work, "alarm-notify-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    public List<NotificationChannel> channels() {
        return channels;
    }

    /** Queues the notification for every channel that accepts it; returns at once. */
    public void publish(Notification n) {
        for (NotificationChannel c : channels) {
            boolean accepts;
            List<String> recipients;
            try {
                accepts = c.accepts(n);
                recipients = accepts ? c.recipients(n) : List.of();
            } catch (RuntimeException e) {
                log.warn("notification channel {} could not route alarm {}: {}", c.name(), n.alarmId(), e.toString());
                continue;
            }
            for (String recipient : recipients) {
                if (pending.incrementAndGet() > capacity) {
                    pending.decrementAndGet();
                    long total = dropped.incrementAndGet();
                    log.warn("notification queue full ({} deliveries): dropped {} of alarm {} for {} {} ({} dropped so far)",
                            capacity, n.event(), n.alarmId(), c.name(), recipient == null ? "" : recipient, total);
                    record(c, n, recipient, 0, "DROPPED", null, "queue full");
                    continue;
                }
                queue.add(new Delivery(c, n, recipient));
            }
        }
    }

    private void work() {
        while (running) {
            Delivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            d.attempt++;
            try {
                d.channel.send(d.notification, d.recipient);
                sent.incrementAndGet();
                record(d.channel, d.notification, d.recipient, d.attempt, "SENT", null, null);
                pending.decrementAndGet();
            } catch (Exception e) {
                Integer status = e instanceof DeliveryException de ? de.status : null;
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
                if (d.attempt < maxAttempts && running) {
                    record(d.channel, d.notification, d.recipient, d.attempt, "RETRYING", status, error);
                    d.dueNanos = System.nanoTime() + backoff.toNanos() * (1L << Math.min(d.attempt - 1, 16));
                    queue.add(d);
                } else {
                    failed.incrementAndGet();
                    log.warn("notification of alarm {} through {} to {} failed after {} attempts: {}", d.notification.alarmId(),
                            d.channel.name(), d.recipient, d.attempt, error);
                    record(d.channel, d.notification, d.recipient, d.attempt, "FAILED", status, error);
                    pending.decrementAndGet();
                }
            }
        }
    }

    private void record(NotificationChannel c, Notification n, String recipient, int attempt, String outcome, Integer status,
                        String error) {
        try {
            deliveryLog.attempt(c, n, recipient, attempt, outcome, status, error);
        } catch (RuntimeException e) {
            log.warn("could not write notification_log for alarm {}: {}", n.alarmId(), e.toString());
        }
    }

    /** Deliveries waiting or in flight. */
    public int pending() {
        return pending.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
    }
}
