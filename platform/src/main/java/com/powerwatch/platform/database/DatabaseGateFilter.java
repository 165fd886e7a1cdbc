package com.powerwatch.platform.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While the database has not been reached since start, every API request (and every actuator endpoint but health)
 * gets 503 with a plain message at once, before authentication — which needs the database too. The web app's files
 * are still served, so the login page can show the message.
 */
public class DatabaseGateFilter extends OncePerRequestFilter {

    private final DatabaseStartup startup;
    private final ObjectMapper json;

    public DatabaseGateFilter(DatabaseStartup startup, ObjectMapper json) {
        this.startup = startup;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        boolean gated = uri.startsWith("/api/") || (uri.startsWith("/actuator/") && !uri.startsWith("/actuator/health"));
        return !gated || startup.isReady();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        write(response, json, DatabaseUnavailable.STARTING_MESSAGE);
    }

    /** A 503 in the API's error shape, with Retry-After. */
    static void write(HttpServletResponse response, ObjectMapper json, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", DatabaseUnavailable.CODE);
        body.put("message", message);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
