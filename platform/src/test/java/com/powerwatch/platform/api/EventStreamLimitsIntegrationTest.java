package com.powerwatch.platform.api;

import com.powerwatch.platform.SseLines;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every SSE endpoint of the platform caps the streams one user holds (5 by default): one enterprise account cannot
 * hold hundreds. The sixth closes the user's oldest, which gets a {@code superseded} event first.
 */
class EventStreamLimitsIntegrationTest extends AuthIntegrationTestBase {

    @LocalServerPort
    int port;

    @Test
    void oneUserHoldsAtMostFiveStreamsOfEachEndpoint() throws Exception {
        long[] enterprises = enterprises();
        String token = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), enterprises[0]);
        for (String endpoint : List.of("/api/alarms/stream", "/api/realtime/stream")) {
            String url = "http://127.0.0.1:" + port + endpoint + "?access_token=" + token;
            List<SseLines.Stream> streams = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                streams.add(SseLines.stream(url));
            }
            SseLines.Stream oldest = streams.get(0);
            await(endpoint + ": the oldest stream to end", () -> oldest.ended().get());
            assertTrue(oldest.lines().contains("event:superseded"), endpoint + ": told why " + oldest.lines());
            for (SseLines.Stream s : streams.subList(1, 6)) {
                assertFalse(s.ended().get(), endpoint + ": the five newest stay open");
                s.drop();
            }
        }
    }
}
