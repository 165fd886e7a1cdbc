package com.powerwatch.platform.auth;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.0 requests from a chosen loopback source address (the whole 127.0.0.0/8 is loopback on Linux), so a test
 * can be "another computer": 127.0.0.1 is the platform's own machine, 127.0.0.2 … are other addresses.
 */
public final class HttpFrom {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers (names lower-case) and the JSON body (empty when there is none). */
    public record Answer(int status, Map<String, String> headers, Map<String, Object> body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private HttpFrom() {
    }

    /** POST {@code body} as JSON to {@code path} on 127.0.0.1:{@code port} from {@code from}; {@code token} null = anonymous. */
    public static Answer post(int port, String from, String path, Object body, String token) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(60_000);
            byte[] content = JSON.writeValueAsBytes(body);
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.0\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Content-Length: ").append(content.length).append("\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Answer login(int port, String from, String username, String password) {
        return post(port, from, "/api/auth/login", Map.of("username", username, "password", password), null);
    }

    @SuppressWarnings("unchecked")
    private static Answer parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        Map<String, Object> json = body.length == 0 ? Map.of() : JSON.readValue(body, Map.class);
        return new Answer(status, headers, json);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no end of headers in " + new String(data, StandardCharsets.ISO_8859_1));
    }
}
