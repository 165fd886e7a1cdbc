package com.powerwatch.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiErrors;
import com.powerwatch.platform.api.ApiProperties;
import com.powerwatch.platform.api.BufferedRequest;
import com.powerwatch.platform.api.RequestTextGuard;
import com.powerwatch.platform.auth.PowerWatchUser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one {@code API_REQUEST} audit row for every authenticated non-GET request under {@code /api/}: user,
 * method, path, matched route, status, client address, duration and a summary of the body with secrets masked,
 * cut to {@value #BODY_SUMMARY_CHARS} characters. Sits in the security chain right after the bearer token filter,
 * so changes refused by a role rule (403) are recorded too. Logins and logouts are recorded by the login service instead.
 *
 * <p>The row is written <em>before</em> the request runs (outcome {@code PENDING}) and completed after it: a change
 * that cannot be audited does not happen — when the row cannot be written the request is answered 503 and never
 * reaches its handler. A JSON body is read up front for this ({@link BufferedRequest}) and replayed to the handler.
 */
public class ApiAuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiAuditFilter.class);
    static final int BODY_SUMMARY_CHARS = 4096;

    private final AuditLog audit;
    private final ObjectMapper json;
    private final int maxJsonBody;

    public ApiAuditFilter(AuditLog audit, ObjectMapper json, ApiProperties api) {
        this.audit = audit;
        this.json = json;
        this.maxJsonBody = (int) Math.min(Integer.MAX_VALUE - 1, api.maxJsonBody().toBytes());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String m = request.getMethod();
        String uri = request.getRequestURI();
        return !uri.startsWith("/api/") || m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")
                // login and logout are recorded by the login service; a logout must also end the session in this
                // node's memory when the database (and so the audit row) is away, so it is not refused up front
                || uri.equals("/api/auth/login") || uri.equals("/api/auth/logout");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof PowerWatchUser user)) {
            chain.doFilter(request, response); // anonymous: refused with 401 before anything can change
            return;
        }
        BufferedRequest body = BufferedRequest.hasJsonBody(request) ? BufferedRequest.of(request, maxJsonBody) : null;
        String path = request.getRequestURI();
        Map<String, Object> detail = new LinkedHashMap<>();
        if (request.getQueryString() != null) {
            detail.put("query", query(request.getQueryString()));
        }
        detail.put("body", body == null ? upload(request) : summary(body));
        long id;
        try {
            id = audit.begin(new AuditLog.Entry(AuditLog.Actor.of(user), "API_REQUEST", request.getMethod() + " " + path,
                    AuditLog.Outcome.PENDING, AuditLog.clientIp(request), request.getMethod(), path, null, null, null, detail));
        } catch (RuntimeException e) {
            log.error("could not write the audit row for {} {}: refused", request.getMethod(), path, e);
            ApiErrors.write(response, json, HttpStatus.SERVICE_UNAVAILABLE, "AUDIT_UNAVAILABLE",
                    "系统日志暂时无法写入：为保证每项操作都有记录，本次操作未执行，请稍后重试", null);
            return;
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(body == null ? request : body, response);
            failed = false;
        } finally {
            int status = failed ? 500 : response.getStatus();
            Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            try {
                audit.finish(id, request.getMethod() + " " + (route != null ? route : path), route == null ? null : route.toString(),
                        status < 400 ? AuditLog.Outcome.SUCCESS : status == 401 || status == 403 ? AuditLog.Outcome.DENIED
                                : AuditLog.Outcome.FAILURE, status, (int) ((System.nanoTime() - start) / 1_000_000));
            } catch (RuntimeException e) {
                // the request is on record (PENDING); only how it ended is missing
                log.error("could not complete the audit row {} for {} {}", id, request.getMethod(), path, e);
            }
        }
    }

    /** Uploads and forms are read as parts, not buffered: only their type and size are recorded. */
    private static Object upload(HttpServletRequest request) {
        return request.getContentLengthLong() != 0 ? Map.of("contentType", String.valueOf(request.getContentType()), "bytes",
                request.getContentLengthLong()) : null;
    }

    /** The request body as masked JSON, or only its size when it is too long or not JSON. */
    private Object summary(BufferedRequest request) {
        byte[] bytes = request.bytes();
        if (bytes.length == 0) {
            return null;
        }
        if (!request.complete()) {
            return Map.of("truncated", true, "bytes", request.getContentLengthLong());
        }
        JsonNode node = request.json(json);
        if (node == null) {
            // never store unparsed text: it could hold a password the masking cannot find
            return Map.of("unparsable", true, "bytes", bytes.length);
        }
        String masked = AuditLog.mask(node.deepCopy()).toString();
        if (masked.length() > BODY_SUMMARY_CHARS) {
            return Map.of("truncated", true, "text", masked.substring(0, BODY_SUMMARY_CHARS), "bytes", bytes.length);
        }
        return node;
    }

    private static Map<String, String> query(String queryString) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            String key = RequestTextGuard.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : RequestTextGuard.decode(pair.substring(eq + 1));
            out.put(AuditLog.storable(key), AuditLog.SECRET_KEY.matcher(key).matches() ? AuditLog.MASK : AuditLog.storable(value));
        }
        return out;
    }
}
