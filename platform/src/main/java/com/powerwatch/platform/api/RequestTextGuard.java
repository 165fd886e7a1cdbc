package com.powerwatch.platform.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The one guard on the text every API request carries, before any handler sees it: a query parameter or a JSON
 * body holding a NUL or another control character (other than tab and line breaks) is refused with 400 naming the
 * parameter or the field ({@code contacts[0].name}); a JSON body over {@code powerwatch.api.max-json-body} with 413.
 * Whatever the endpoint, so an endpoint added later cannot forget it. Runs after the security chain, so the audit
 * filter has recorded the attempt.
 */
@Component
public class RequestTextGuard extends OncePerRequestFilter {

    private final ObjectMapper json;
    private final int maxJsonBody;

    public RequestTextGuard(ObjectMapper json, ApiProperties properties) {
        this.json = json;
        this.maxJsonBody = (int) Math.min(Integer.MAX_VALUE - 1, properties.maxJsonBody().toBytes());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getQueryString() != null) {
            for (String pair : request.getQueryString().split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                int c = Math.max(ControlCharacters.first(name), ControlCharacters.first(value));
                if (c >= 0) {
                    ApiErrors.write(response, json, HttpStatus.BAD_REQUEST, "INVALID",
                            ControlCharacters.message("参数 " + name, c), name);
                    return;
                }
            }
        }
        if (!BufferedRequest.hasJsonBody(request) || isRead(request)) {
            chain.doFilter(request, response);
            return;
        }
        boolean bufferedEarlier = BufferedRequest.find(request).isPresent(); // by the audit filter: already in the chain
        BufferedRequest body = BufferedRequest.of(request, maxJsonBody);
        if (!body.complete()) {
            ApiErrors.write(response, json, HttpStatus.PAYLOAD_TOO_LARGE, "TOO_LARGE",
                    "请求内容超过 " + ApiErrors.size(maxJsonBody) + " 的上限", null);
            return;
        }
        ControlCharacters.Found found = ControlCharacters.find(body.json(json));
        if (found != null) {
            ApiErrors.write(response, json, HttpStatus.BAD_REQUEST, "INVALID",
                    ControlCharacters.message(found.path(), found.character()), found.path());
            return;
        }
        chain.doFilter(bufferedEarlier ? request : body, response);
    }

    private static boolean isRead(HttpServletRequest request) {
        String m = request.getMethod();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }

    /** Decodes a query-string part; a bad escape leaves it as it is (Spring will answer for it). */
    public static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }
}
