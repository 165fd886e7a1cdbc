package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.auth.AccessScope;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events of real-time changes. Each subscriber gets only objects of enterprises in its scope;
 * changes are coalesced per object (the latest wins) and flushed at most once per flush interval; a
 * comment line is sent as heartbeat when nothing else was; the pending map is bounded, and when it
 * overflows the subscriber gets one {@code resync} event (reload over REST) instead of the lost changes.
 */
public final class RealtimeStream implements AutoCloseable {

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher;
    private final long heartbeatMillis;
    private final int queueLimit;

    private final class Subscriber {
        final SseEmitter emitter = new SseEmitter(0L); // no timeout: the stream lives until the client leaves
        final AccessScope scope;
        Map<String, RealtimeState.RealtimeEvent> pending = new LinkedHashMap<>();
        boolean overflow;
        long lastSent = System.currentTimeMillis();

        Subscriber(AccessScope scope) {
            this.scope = scope;
        }

        synchronized void offer(RealtimeState.RealtimeEvent e) {
            String key = e.type() + ":" + e.id();
            if (pending.size() >= queueLimit && !pending.containsKey(key)) {
                overflow = true;
                return;
            }
            pending.remove(key); // re-insert: the order of the latest changes
            pending.put(key, e);
        }

        synchronized Map<String, RealtimeState.RealtimeEvent> take() {
            Map<String, RealtimeState.RealtimeEvent> out = pending;
            pending = new LinkedHashMap<>();
            return out;
        }

        void flush(long now) {
            Map<String, RealtimeState.RealtimeEvent> events = take();
            boolean resync;
            synchronized (this) {
                resync = overflow;
                overflow = false;
            }
            try {
                if (resync) {
                    emitter.send(SseEmitter.event().name("resync").data(Map.of("reason", "too many changes"),
                            MediaType.APPLICATION_JSON));
                }
                for (RealtimeState.RealtimeEvent e : events.values()) {
                    emitter.send(SseEmitter.event().name(e.type()).id(e.type() + "-" + e.id())
                            .data(e.data(), MediaType.APPLICATION_JSON));
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
    }

    public RealtimeStream(RealtimeState state, Duration flush, Duration heartbeat, int queueLimit) {
        this.heartbeatMillis = heartbeat.toMillis();
        this.queueLimit = queueLimit;
        state.onEvent(this::publish);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "realtime-sse");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushAll, flush.toMillis(), flush.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new stream for a caller with this scope; it starts with a comment so the client sees it is open. */
    public SseEmitter subscribe(AccessScope scope) throws IOException {
        Subscriber s = new Subscriber(scope);
        s.emitter.onCompletion(() -> subscribers.remove(s));
        s.emitter.onTimeout(() -> subscribers.remove(s));
        s.emitter.onError(e -> subscribers.remove(s));
        subscribers.add(s);
        s.emitter.send(SseEmitter.event().comment("connected"));
        return s.emitter;
    }

    public int subscribers() {
        return subscribers.size();
    }

    private void publish(RealtimeState.RealtimeEvent e) {
        for (Subscriber s : subscribers) {
            if (s.scope.allows(e.districtCode(), e.enterpriseId())) {
                s.offer(e);
            }
        }
    }

    private void flushAll() {
        long now = System.currentTimeMillis();
        for (Subscriber s : subscribers) {
            s.flush(now);
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
