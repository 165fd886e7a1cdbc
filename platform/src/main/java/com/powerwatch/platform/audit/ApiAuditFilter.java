package com.powerwatch.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.auth.PowerWatchUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one {@code API_REQUEST} audit row for every authenticated non-GET request under {@code /api/}: user,
 * method, path, matched route, status, client address, duration and a summary of the body with secrets masked,
 * cut to {@value #BODY_SUMMARY_CHARS} characters. Sits in the security chain right after the bearer token filter,
 * so changes refused by a role rule (403) are recorded too. Logins are recorded by the login service instead.
 */
public class ApiAuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiAuditFilter.class);
    static final int BODY_SUMMARY_CHARS = 4096;
    private static final int BODY_CACHE_BYTES = 64 * 1024;

    private final AuditLog audit;
    private final ObjectMapper json;

    public ApiAuditFilter(AuditLog audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String m = request.getMethod();
        String uri = request.getRequestURI();
        return !uri.startsWith("/api/") || m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")
                || uri.equals("/api/auth/login");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof PowerWatchUser user)) {
            chain.doFilter(request, response); // anonymous: refused with 401 before anything can change
            return;
        }
        ContentCachingRequestWrapper wrapped = new ContentCachingRequestWrapper(request, BODY_CACHE_BYTES);
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(wrapped, response);
            failed = false;
        } finally {
            int status = failed ? 500 : response.getStatus();
            try {
                Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                String path = request.getRequestURI();
                Map<String, Object> detail = new LinkedHashMap<>();
                if (request.getQueryString() != null) {
                    detail.put("query", query(request.getQueryString()));
                }
                detail.put("body", body(wrapped));
                audit.write(new AuditLog.Entry(AuditLog.Actor.of(user), "API_REQUEST",
                        request.getMethod() + " " + (route != null ? route : path),
                        status < 400 ? AuditLog.Outcome.SUCCESS : status == 401 || status == 403 ? AuditLog.Outcome.DENIED
                                : AuditLog.Outcome.FAILURE,
                        AuditLog.clientIp(request), request.getMethod(), path, route == null ? null : route.toString(), status,
                        (int) ((System.nanoTime() - start) / 1_000_000), detail));
            } catch (RuntimeException e) {
                // the change itself has happened; losing its audit row must not turn the answer into an error
                log.error("could not write the audit row for {} {}", request.getMethod(), request.getRequestURI(), e);
            }
        }
    }

    /** The request body as masked JSON, or only its type and size when it is not JSON (uploads, forms). */
    private Object body(ContentCachingRequestWrapper request) {
        String type = request.getContentType();
        boolean isJson = type != null && type.toLowerCase().contains("json");
        if (!isJson) { // uploads and forms are read as parts, not through the wrapper
            return request.getContentLengthLong() != 0 ? Map.of("contentType", String.valueOf(type), "bytes",
                    request.getContentLengthLong()) : null;
        }
        if (request.getContentAsByteArray().length == 0 && request.getContentLengthLong() != 0) {
            // refused before the handler read it (403 by a role rule): read it now, it shows what was attempted
            try {
                request.getInputStream().readNBytes(BODY_CACHE_BYTES);
            } catch (IOException | IllegalStateException unreadable) {
                // summarised as absent
            }
        }
        byte[] bytes = request.getContentAsByteArray();
        if (bytes.length == 0) {
            return null;
        }
        if (bytes.length >= BODY_CACHE_BYTES) {
            return Map.of("truncated", true, "bytes", request.getContentLengthLong());
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            // never store unparsed text: it could hold a password the masking cannot find
            return Map.of("unparsable", true, "bytes", bytes.length);
        }
        String masked = AuditLog.mask(node).toString();
        if (masked.length() > BODY_SUMMARY_CHARS) {
            return Map.of("truncated", true, "text", masked.substring(0, Math.min(masked.length(), BODY_SUMMARY_CHARS)),
                    "bytes", request.getContentLengthLong());
        }
        return node;
    }

    private static Map<String, String> query(String queryString) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.put(key, AuditLog.SECRET_KEY.matcher(key).matches() ? AuditLog.MASK : value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }
}
