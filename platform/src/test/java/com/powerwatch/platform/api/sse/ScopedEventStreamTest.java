package com.powerwatch.platform.api.sse;

import com.powerwatch.platform.SseLines;
import com.powerwatch.platform.api.ScopedEventStream;
import com.powerwatch.platform.auth.AccessScope;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ScopedEventStream}'s limits over real HTTP: at most {@code maxPerUser} streams per user (a new one closes the
 * user's oldest, which is told so), streams end after {@code maxLifetime} (the browser reconnects), and a client that
 * went away is dropped at the next heartbeat. A small web application of its own (Tomcat and Spring MVC only, no
 * database), so the limits can be small; its own package so no other test finds this configuration.
 */
@SpringBootTest(classes = ScopedEventStreamTest.Web.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScopedEventStreamTest {

    @SpringBootConfiguration
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class})
    @Import(Streams.class)
    static class Web {
        @Bean(destroyMethod = "close")
        ScopedEventStream capped() {
            return new ScopedEventStream("test-capped-sse", new ScopedEventStream.Settings(Duration.ofMillis(50),
                    Duration.ofMillis(100), 100, 2, Duration.ofHours(1)));
        }

        @Bean(destroyMethod = "close")
        ScopedEventStream shortLived() {
            return new ScopedEventStream("test-short-sse", new ScopedEventStream.Settings(Duration.ofMillis(50),
                    Duration.ofMillis(100), 100, 5, Duration.ofMillis(500)));
        }
    }

    @RestController
    static class Streams {
        private final ScopedEventStream capped;
        private final ScopedEventStream shortLived;

        Streams(@Qualifier("capped") ScopedEventStream capped, @Qualifier("shortLived") ScopedEventStream shortLived) {
            this.capped = capped;
            this.shortLived = shortLived;
        }

        @GetMapping(path = "/capped", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        SseEmitter capped(@RequestParam long user) throws IOException {
            return capped.subscribe(AccessScope.ALL, user);
        }

        @GetMapping(path = "/short", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        SseEmitter shortLived(@RequestParam long user) throws IOException {
            return shortLived.subscribe(AccessScope.ALL, user);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("capped")
    ScopedEventStream capped;
    @Autowired
    @Qualifier("shortLived")
    ScopedEventStream shortLived;

    @Test
    void aUsersNewStreamBeyondTheCapClosesTheOldestWhichIsToldWhy() throws Exception {
        await("no stream left from another test", () -> capped.subscribers() == 0);
        SseLines.Stream first = SseLines.stream(url("/capped?user=1"));
        SseLines.Stream second = SseLines.stream(url("/capped?user=1"));
        SseLines.Stream otherUser = SseLines.stream(url("/capped?user=2"));
        assertEquals(3, capped.subscribers());

        SseLines.Stream third = SseLines.stream(url("/capped?user=1"));
        await("the oldest stream of user 1 to end", () -> first.ended().get());
        assertEquals(3, capped.subscribers(), "two of user 1, one of user 2");
        assertEquals(true, first.lines().contains("event:superseded"), "told why: " + first.lines());
        assertFalse(second.ended().get());
        assertFalse(third.ended().get());
        assertFalse(otherUser.ended().get(), "another user's stream is not touched");

        capped.sendTo(1, new ScopedEventStream.Event("message", null, java.util.Map.of("text", "hello")));
        await("the newest stream to get the message", () -> third.lines().contains("event:message"));
        for (SseLines.Stream s : new SseLines.Stream[]{second, third, otherUser}) {
            s.drop();
        }
        await("the dropped streams to be gone", () -> capped.subscribers() == 0);
    }

    @Test
    void aStreamEndsAfterItsLifetime() throws Exception {
        SseLines.Stream s = SseLines.stream(url("/short?user=7"));
        await("the stream to reach its lifetime and end", () -> s.ended().get());
        await("the subscriber to be gone", () -> shortLived.subscribers() == 0);
    }

    @Test
    void aClientThatWentAwayIsDroppedAtTheNextHeartbeat() throws Exception {
        await("no stream left from another test", () -> capped.subscribers() == 0);
        SseLines.Stream s = SseLines.stream(url("/capped?user=9"));
        assertEquals(1, capped.subscribers());
        s.drop();
        await("the dead stream to be dropped", () -> capped.subscribers() == 0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
