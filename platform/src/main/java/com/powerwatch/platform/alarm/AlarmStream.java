package com.powerwatch.platform.alarm;

import com.powerwatch.platform.api.ScopedEventStream;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.Map;

/**
 * In-app push over server-sent events. Two event names: {@code alarm} (a state change of an alarm in the
 * subscriber's scope; coalesced per alarm, the latest wins) and {@code message} (a message to this user, e.g. a
 * handling opinion). Publishing only queues (see {@link ScopedEventStream}), so a slow browser never slows the
 * recorder.
 */
public final class AlarmStream implements AutoCloseable {

    /** A change visible to subscribers whose scope allows (districtCode, enterpriseId). */
    public record Change(long alarmId, long enterpriseId, String districtCode, Map<String, Object> data) {
    }

    private final ScopedEventStream stream;

    public AlarmStream(AlarmProperties.Stream settings) {
        this.stream = new ScopedEventStream("alarm-sse", new ScopedEventStream.Settings(settings.flush(), settings.heartbeat(),
                settings.queueLimit(), settings.maxPerUser(), settings.maxLifetime()));
    }

    public SseEmitter subscribe(AccessScope scope, long userId) throws IOException {
        return stream.subscribe(scope, userId);
    }

    public void publish(Change c) {
        stream.publish(c.districtCode(), c.enterpriseId(), new ScopedEventStream.Event("alarm", "alarm-" + c.alarmId(), c.data()));
    }

    /** A message to one user, on every stream that user has open; false when the user has none open. */
    public boolean message(long userId, Map<String, Object> message) {
        return stream.sendTo(userId, new ScopedEventStream.Event("message", null, message));
    }

    public int subscribers() {
        return stream.subscribers();
    }

    @Override
    public void close() {
        stream.close();
    }
}
