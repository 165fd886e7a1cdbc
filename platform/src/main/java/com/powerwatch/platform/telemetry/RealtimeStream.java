package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.api.ScopedEventStream;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;

/**
 * Server-sent events of real-time changes: events {@code point}, {@code facility} and {@code enterprise}, each only to
 * subscribers whose scope includes the enterprise, coalesced per object (the latest wins); see {@link ScopedEventStream}.
 */
public final class RealtimeStream implements AutoCloseable {

    private final ScopedEventStream stream;

    public RealtimeStream(RealtimeState state, ScopedEventStream.Settings settings) {
        this.stream = new ScopedEventStream("realtime-sse", settings);
        state.onEvent(e -> stream.publish(e.districtCode(), e.enterpriseId(),
                new ScopedEventStream.Event(e.type(), e.type() + "-" + e.id(), e.data())));
    }

    public SseEmitter subscribe(AccessScope scope, long userId) throws IOException {
        return stream.subscribe(scope, userId);
    }

    public int subscribers() {
        return stream.subscribers();
    }

    @Override
    public void close() {
        stream.close();
    }
}
