package com.powerwatch.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A JSON request body read up front (at most a limit), so that it can be checked and audited before the request
 * changes anything, and then replayed to the handler. A body over the limit is kept only as its first bytes; the
 * handler still gets all of it (but {@link RequestTextGuard} refuses such a request first).
 */
public final class BufferedRequest extends HttpServletRequestWrapper {

    /** The request attribute under which the buffer of the request is found by later filters. */
    public static final String ATTRIBUTE = BufferedRequest.class.getName();

    private final byte[] head;
    private final boolean complete;
    private JsonNode json;
    private boolean parsed;

    private BufferedRequest(HttpServletRequest request, byte[] head, boolean complete) {
        super(request);
        this.head = head;
        this.complete = complete;
    }

    /** True for a request whose body is JSON (and so is read by Jackson, and buffered here). */
    public static boolean hasJsonBody(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase().contains("json");
    }

    /** The buffer of this request when an earlier filter made one, else a new one of at most {@code maxBytes}. */
    public static BufferedRequest of(HttpServletRequest request, int maxBytes) throws IOException {
        if (request.getAttribute(ATTRIBUTE) instanceof BufferedRequest existing) {
            return existing;
        }
        byte[] head = request.getInputStream().readNBytes(maxBytes + 1);
        boolean complete = head.length <= maxBytes;
        BufferedRequest b = new BufferedRequest(request, head, complete);
        request.setAttribute(ATTRIBUTE, b);
        return b;
    }

    /** The buffer an earlier filter made for this request, if any. */
    public static Optional<BufferedRequest> find(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof BufferedRequest b ? Optional.of(b) : Optional.empty();
    }

    /** The body (or its first bytes when it is over the limit). */
    public byte[] bytes() {
        return head;
    }

    /** False when the body is longer than the limit. */
    public boolean complete() {
        return complete;
    }

    /** The body as JSON, or null when it is empty, incomplete or not valid JSON (the handler will say so). */
    public JsonNode json(ObjectMapper mapper) {
        if (!parsed) {
            parsed = true;
            try {
                json = complete && head.length > 0 ? mapper.readTree(head) : null;
            } catch (IOException notJson) {
                json = null;
            }
        }
        return json;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        InputStream rest = complete ? InputStream.nullInputStream() : super.getInputStream();
        InputStream all = new SequenceInputStream(new ByteArrayInputStream(head), rest);
        return new ServletInputStream() {
            private boolean finished;

            @Override
            public int read() throws IOException {
                int b = all.read();
                finished = b < 0;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = all.read(buf, off, len);
                finished = n < 0;
                return n;
            }

            @Override
            public boolean isFinished() {
                return finished;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("blocking reads only");
            }
        };
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
}
