package com.powerwatch.platform.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.powerwatch.platform.database.DatabaseUnavailable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Authenticates {@code Authorization: Bearer <token>} (browser sessions, the mobile app and API clients alike).
 * Server-sent-event streams may pass the token as {@code ?access_token=} because browsers' EventSource cannot set headers.
 * A token that cannot be checked because the database is away leaves the request anonymous: open paths (health) still
 * answer, the others get 503 instead of 401 ({@link SecurityErrors}).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    /** Request attribute set when a token was sent but not accepted, so the 401 can say so. */
    static final String REJECTED_TOKEN = BearerTokenFilter.class.getName() + ".rejected";
    /** Request attribute set when a token could not be checked because the database is away: 503, not 401. */
    static final String UNCHECKED_TOKEN = BearerTokenFilter.class.getName() + ".unchecked";

    private final AccessTokens tokens;

    public BearerTokenFilter(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        if (token != null) {
            PowerWatchUser user;
            try {
                user = token.isEmpty() ? null : tokens.authenticate(token);
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.isCause(e)) {
                    throw e;
                }
                request.setAttribute(UNCHECKED_TOKEN, Boolean.TRUE);
                chain.doFilter(request, response);
                return;
            }
            if (user != null) {
                var auth = new UsernamePasswordAuthenticationToken(user, token,
                        List.of(new SimpleGrantedAuthority(user.role().authority())));
                SecurityContextHolder.getContext().setAuthentication(auth);
            } else {
                request.setAttribute(REJECTED_TOKEN, Boolean.TRUE);
            }
        }
        chain.doFilter(request, response);
    }

    /** The token of this request, or null when none was sent. */
    static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        String query = request.getParameter("access_token");
        if (query != null && request.getRequestURI().endsWith("/stream")) {
            return query;
        }
        return null;
    }
}
