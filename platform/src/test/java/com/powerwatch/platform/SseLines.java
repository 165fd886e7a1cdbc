package com.powerwatch.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests' server-sent-event client: opens a stream and hands every line to a queue, read by a daemon thread.
 * A plain socket, not HttpURLConnection: closing the latter's chunked stream waits for the lock its reader holds
 * while blocked, so a quiet stream could never be dropped; closing the socket ends the read at once.
 */
public final class SseLines {

    private SseLines() {
    }

    /** One open stream: its lines as they arrive, whether the server has ended it, and a way to drop it. */
    public record Stream(BlockingQueue<String> lines, AtomicBoolean ended, Socket socket) {
        /** Closes the client side (as a browser tab that goes away). */
        public void drop() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Opens {@code url} (an absolute URL, token in {@code ?access_token=}); fails unless it is a 200 event stream. */
    public static BlockingQueue<String> open(String url) throws Exception {
        return stream(url).lines();
    }

    /** Like {@link #open}, with the end of the stream and the socket. */
    public static Stream stream(String url) throws Exception {
        URI u = URI.create(url);
        Socket socket = new Socket(u.getHost(), u.getPort());
        socket.setSoTimeout(30_000);
        String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String status = line(in);
        assertTrue(status != null && status.startsWith("HTTP/1.1 "), "status line: " + status);
        assertEquals(200, Integer.parseInt(status.substring(9, 12)), status);
        boolean chunked = false;
        String contentType = "";
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-type:")) {
                contentType = h.substring(13).trim();
            }
        }
        assertTrue(contentType.startsWith("text/event-stream"), contentType);
        InputStream body = chunked ? new Dechunked(in) : in;
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        AtomicBoolean ended = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                for (String l = line(body); l != null; l = line(body)) {
                    lines.add(l);
                }
                ended.set(true); // the server closed the stream
            } catch (IOException ignored) {
                // dropped by the test, or the stream ends with the test's context
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
        return new Stream(lines, ended, socket);
    }

    /** One line without its CR/LF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** HTTP/1.1 chunked transfer coding, undone byte by byte (tests read a few lines, speed does not matter). */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size != null && size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int c = in.read();
            if (c == -1) {
                done = true;
                return -1;
            }
            left--;
            return c;
        }
    }
}
