package com.powerwatch.platform;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests' server-sent-event client: opens a stream and hands every line to a queue, read by a daemon thread. */
public final class SseLines {

    private SseLines() {
    }

    /** One open stream: its lines as they arrive, whether the server has ended it, and a way to drop it. */
    public record Stream(BlockingQueue<String> lines, AtomicBoolean ended, HttpURLConnection connection) {
        /** Closes the client side (as a browser tab that goes away). */
        public void drop() {
            connection.disconnect();
        }
    }

    /** Opens {@code url} (an absolute URL, token in {@code ?access_token=}); fails unless it is a 200 event stream. */
    public static BlockingQueue<String> open(String url) throws Exception {
        return stream(url).lines();
    }

    /** Like {@link #open}, with the end of the stream and the connection. */
    public static Stream stream(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setReadTimeout(30_000);
        assertEquals(200, c.getResponseCode());
        assertTrue(c.getContentType().startsWith("text/event-stream"), c.getContentType());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        AtomicBoolean ended = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
                ended.set(true); // the server closed the stream
            } catch (Exception ignored) {
                // the stream ends with the test's context
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
        return new Stream(lines, ended, c);
    }
}
