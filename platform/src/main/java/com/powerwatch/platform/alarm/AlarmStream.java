package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AccessScope;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * In-app push over server-sent events. Two event names: {@code alarm} (a state change of an alarm in the
 * subscriber's scope; coalesced per alarm, the latest wins) and {@code message} (a message to this user, e.g. a
 * handling opinion). Publishing only queues: a flusher thread writes to the clients, so a slow browser never slows
 * the recorder. A subscriber whose queue overflows gets one {@code resync} event instead of the lost changes.
 */
public final class AlarmStream implements AutoCloseable {

    /** A change visible to subscribers whose scope allows (districtCode, enterpriseId). */
    public record Change(long alarmId, long enterpriseId, String districtCode, Map<String, Object> data) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService flusher;
    private final long heartbeatMillis;
    private final int queueLimit;

    private final class Subscriber {
        final SseEmitter emitter = new SseEmitter(0L);
        final AccessScope scope;
        final long userId;
        Map<Long, Map<String, Object>> alarms = new LinkedHashMap<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        boolean overflow;
        long lastSent = System.currentTimeMillis();

        Subscriber(AccessScope scope, long userId) {
            this.scope = scope;
            this.userId = userId;
        }

        synchronized void offer(Change c) {
            if (alarms.size() + messages.size() >= queueLimit && !alarms.containsKey(c.alarmId())) {
                overflow = true;
                return;
            }
            alarms.remove(c.alarmId());
            alarms.put(c.alarmId(), c.data());
        }

        synchronized void offerMessage(Map<String, Object> m) {
            if (alarms.size() + messages.size() >= queueLimit) {
                overflow = true;
                return;
            }
            messages.add(m);
        }

        void flush(long now) {
            Map<Long, Map<String, Object>> a;
            List<Map<String, Object>> m;
            boolean resync;
            synchronized (this) {
                a = alarms;
                m = messages;
                resync = overflow;
                alarms = new LinkedHashMap<>();
                messages = new ArrayList<>();
                overflow = false;
            }
            try {
                if (resync) {
                    emitter.send(SseEmitter.event().name("resync").data(Map.of("reason", "too many changes"), MediaType.APPLICATION_JSON));
                }
                for (var e : a.entrySet()) {
                    emitter.send(SseEmitter.event().name("alarm").id("alarm-" + e.getKey()).data(e.getValue(), MediaType.APPLICATION_JSON));
                }
                for (Map<String, Object> message : m) {
                    emitter.send(SseEmitter.event().name("message").data(message, MediaType.APPLICATION_JSON));
                }
                if (resync || !a.isEmpty() || !m.isEmpty()) {
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

    public AlarmStream(AlarmProperties.Stream settings) {
        this.heartbeatMillis = settings.heartbeat().toMillis();
        this.queueLimit = settings.queueLimit();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alarm-sse");
            t.setDaemon(true);
            return t;
        });
        long flush = settings.flush().toMillis();
        flusher.scheduleWithFixedDelay(this::flushAll, flush, flush, TimeUnit.MILLISECONDS);
    }

    public SseEmitter subscribe(AccessScope scope, long userId) throws IOException {
        Subscriber s = new Subscriber(scope, userId);
        s.emitter.onCompletion(() -> subscribers.remove(s));
        s.emitter.onTimeout(() -> subscribers.remove(s));
        s.emitter.onError(e -> subscribers.remove(s));
        subscribers.add(s);
        s.emitter.send(SseEmitter.event().comment("connected"));
        return s.emitter;
    }

    public void publish(Change c) {
        for (Subscriber s : subscribers) {
            if (s.scope.allows(c.districtCode(), c.enterpriseId())) {
                s.offer(c);
            }
        }
    }

    /** A message to one user, on every stream that user has open; false when the user has none open. */
    public boolean message(long userId, Map<String, Object> message) {
        boolean delivered = false;
        for (Subscriber s : subscribers) {
            if (s.userId == userId) {
                s.offerMessage(message);
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
