package com.powerwatch.mobile.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The few calls the app itself makes to the platform (the pages make all others), over {@link HttpURLConnection}:
 * the same code on the phone and in the unit tests, which run it against a real local HTTP server.
 */
public final class PlatformApi {

    /** Connect and read time-outs: a check on a weak network gives up rather than keep the radio on. */
    static final int TIMEOUT_MS = 15_000;
    /** A larger answer is not ours (a captive portal's page, say). */
    static final int MAX_BODY = 256 * 1024;

    /** An HTTP answer: status and body (UTF-8). */
    public static final class Response {
        public final int status;
        public final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private PlatformApi() {
    }

    /** GET with the session's token (none when {@code token} is null). */
    public static Response get(String url, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        try {
            c.setConnectTimeout(TIMEOUT_MS);
            c.setReadTimeout(TIMEOUT_MS);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("Accept", "application/json");
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Response(status, in == null ? "" : read(in));
        } finally {
            c.disconnect();
        }
    }

    /** The new alarms and messages past the cursors (null cursors: only the newest ids, for a baseline). */
    public static String updatesUrl(ServerAddress server, WatchState state) {
        String q = state.hasBaseline() ? "?alarmsAfter=" + state.alarmCursor + "&messagesAfter=" + state.messageCursor : "";
        return server.url("/api/mobile/updates" + q);
    }

    /**
     * Whether {@code server} is a PowerWatch platform: its public health probe answers JSON with a status. Returns
     * null when it is, else what is wrong, in words for the person.
     */
    public static String probe(ServerAddress server) {
        try {
            Response r = get(server.url("/actuator/health"), null);
            if (r.status == 200 && r.body.contains("\"status\"")) {
                return null;
            }
            return "HTTP " + r.status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static String read(InputStream in) throws IOException {
        try (InputStream s = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = s.read(buf)) > 0) {
                if (out.size() + n > MAX_BODY) {
                    throw new IOException("answer larger than " + MAX_BODY + " bytes");
                }
                out.write(buf, 0, n);
            }
            return new String(out.toByteArray(), "UTF-8");
        }
    }
}
