package com.powerwatch.platform.api;

import com.powerwatch.platform.auth.AccessScope;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-sent events to browsers, each subscriber seeing only what its scope allows. Publishing only queues: one
 * flusher thread writes to the clients at most once per flush interval, so a slow browser never slows the producer.
 * Events with a key are coalesced per subscriber (the latest wins); events without one are all delivered, in order.
 * A comment line is sent as heartbeat after a quiet interval; the pending queue is bounded, and a subscriber whose
 * queue overflows gets one {@code resync} event (reload over REST) instead of the lost changes.
 *
 * <p>Bounded per user and in time: a user holds at most {@code maxPerUser} streams (a new one closes the user's
 * oldest after a {@code superseded} event — the oldest is the likeliest to be a closed tab or a dead connection, and
 * the browser must not reconnect it), and every stream ends after {@code maxLifetime} (the browser's EventSource
 * reconnects by itself, its token checked again). A client that went away is dropped when a write to it fails, at
 * the latest at the next heartbeat.
 */
public final class ScopedEventStream implements AutoCloseable {

    /**
     * One event.
     *
     * @param name the SSE event name
     * @param key  coalescing key, also sent as the SSE id; null: never coalesced, no id
     * @param data the JSON payload
     */
    public record Event(String name, String key, Object data) {
    }

    /**
     * How a stream behaves.
     *
     * @param flush       coalescing window: at most one write per subscriber per this
     * @param heartbeat   a comment line after this much quiet, so proxies keep the stream open and a dead client is noticed
     * @param queueLimit  distinct events pending per subscriber; more → one {@code resync} event instead
     * @param maxPerUser  streams one user may hold; a new one beyond it closes the user's oldest
     * @param maxLifetime a stream is closed after this long (the browser's EventSource reconnects, with its token checked again)
     */
    public record Settings(Duration flush, Duration heartbeat, int queueLimit, int maxPerUser, Duration maxLifetime) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher;
    private final long heartbeatMillis;
    private final int queueLimit;
    private final int maxPerUser;
    private final long maxLifetimeNanos;
    private final AtomicLong opened = new AtomicLong();

    private final class Subscriber {
        final SseEmitter emitter = new SseEmitter(0L); // no container timeout: maxLifetime is enforced by the flusher
        final AccessScope scope;
        final long userId;
        final long serial = opened.incrementAndGet();
        final long openedAt = System.nanoTime();
        Map<Object, Event> pending = new LinkedHashMap<>();
        boolean overflow;
        long lastSent = System.currentTimeMillis();

        Subscriber(AccessScope scope, long userId) {
            this.scope = scope;
            this.userId = userId;
        }

        synchronized void offer(Event e) {
            Object key = e.key() == null ? new Object() : e.key();
            if (pending.size() >= queueLimit && !pending.containsKey(key)) {
                overflow = true;
                return;
            }
            pending.remove(key); // re-insert: the order of the latest changes
            pending.put(key, e);
        }

        void flush(long now) {
            Map<Object, Event> events;
            boolean resync;
            synchronized (this) {
                events = pending;
                resync = overflow;
                pending = new LinkedHashMap<>();
                overflow = false;
            }
            try {
                if (resync) {
                    emitter.send(SseEmitter.event().name("resync").data(Map.of("reason", "too many changes"),
                            MediaType.APPLICATION_JSON));
                }
                for (Event e : events.values()) {
                    SseEmitter.SseEventBuilder b = SseEmitter.event().name(e.name()).data(e.data(), MediaType.APPLICATION_JSON);
                    emitter.send(e.key() == null ? b : b.id(e.key()));
                }
                if (resync || !events.isEmpty()) {
                    lastSent = now;
                } else if (now - lastSent >= heartbeatMillis) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                    lastSent = now;
                }
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(this);
                emitter.completeWithError(gone);
            }
        }

        /** Closes the stream, after a last event when one is given. */
        void end(SseEmitter.SseEventBuilder last) {
            subscribers.remove(this);
            try {
                if (last != null) {
                    emitter.send(last);
                }
                emitter.complete();
            } catch (IOException | IllegalStateException gone) {
                emitter.completeWithError(gone);
            }
        }
    }

    public ScopedEventStream(String threadName, Settings settings) {
        Duration flush = settings.flush();
        this.heartbeatMillis = settings.heartbeat().toMillis();
        this.queueLimit = settings.queueLimit();
        if (settings.maxPerUser() < 1) {
            throw new IllegalArgumentException(threadName + ": at least one stream per user (max-per-user)");
        }
        this.maxPerUser = settings.maxPerUser();
        this.maxLifetimeNanos = settings.maxLifetime().toNanos();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushAll, flush.toMillis(), flush.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A new stream for a caller; it starts with a comment so the client sees it is open. When the user already holds
     * {@code maxPerUser} streams, the oldest is closed with a {@code superseded} event.
     */
    public SseEmitter subscribe(AccessScope scope, long userId) throws IOException {
        Subscriber s = new Subscriber(scope, userId);
        s.emitter.onCompletion(() -> subscribers.remove(s));
        s.emitter.onTimeout(() -> subscribers.remove(s));
        s.emitter.onError(e -> subscribers.remove(s));
        List<Subscriber> superseded;
        synchronized (subscribers) { // two streams of one user opening at once cannot both pass the cap
            List<Subscriber> own = subscribers.stream().filter(o -> o.userId == userId)
                    .sorted(Comparator.comparingLong(o -> o.serial)).toList();
            superseded = own.subList(0, Math.max(0, own.size() - maxPerUser + 1));
            subscribers.removeAll(superseded);
            subscribers.add(s);
        }
        for (Subscriber old : superseded) {
            old.end(SseEmitter.event().name("superseded").data(Map.of("reason", "too many streams", "maxPerUser", maxPerUser),
                    MediaType.APPLICATION_JSON));
        }
        s.emitter.send(SseEmitter.event().comment("connected"));
        return s.emitter;
    }

    /** To every subscriber whose scope allows an enterprise with this id in this district. */
    public void publish(String districtCode, long enterpriseId, Event e) {
        for (Subscriber s : subscribers) {
            if (s.scope.allows(districtCode, enterpriseId)) {
                s.offer(e);
            }
        }
    }

    /** To every stream one user has open; false when the user has none open. */
    public boolean sendTo(long userId, Event e) {
        boolean delivered = false;
        for (Subscriber s : subscribers) {
            if (s.userId == userId) {
                s.offer(e);
                delivered = true;
            }
        }
        return delivered;
    }

    public int subscribers() {
        return subscribers.size();
    }

    private void flushAll() {
        long now = System.currentTimeMillis();
        long nanos = System.nanoTime();
        for (Subscriber s : subscribers) {
            if (nanos - s.openedAt >= maxLifetimeNanos) {
                s.end(null);
            } else {
                s.flush(now);
            }
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        for (Subscriber s : subscribers) {
            s.emitter.complete();
        }
        subscribers.clear();
    }
}
