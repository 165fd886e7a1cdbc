package com.powerwatch.platform.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Authenticates {@code Authorization: Bearer <token>} (browser sessions, the mobile app and API clients alike).
 * Server-sent-event streams may pass the token as {@code ?access_token=} because browsers' EventSource cannot set headers.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final JdbcTemplate jdbc;

    public BearerTokenFilter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        if (token != null) {
            PowerWatchUser user = lookup(TokenHashing.hash(token));
            if (user != null) {
                var auth = new UsernamePasswordAuthenticationToken(user, null,
                        List.of(new SimpleGrantedAuthority(user.role().authority())));
                SecurityContextHolder.getContext().setAuthentication(auth);
            }
        }
        chain.doFilter(request, response);
    }

    private static String token(HttpServletRequest request) {
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

    /** The user of a valid (not expired, not revoked, enabled) token, or null. */
    PowerWatchUser lookup(String tokenHash) {
        List<PowerWatchUser> users = jdbc.query("""
                select u.id, u.username, u.role, u.enterprise_id, u.must_change_password,
                       array(select r.region_code from app_user_region r where r.user_id = u.id order by 1) regions
                from auth_token t join app_user u on u.id = t.user_id
                where t.token_hash = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
                  and u.enabled
                """, (rs, i) -> new PowerWatchUser(rs.getLong("id"), rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                List.of((String[]) rs.getArray("regions").getArray()),
                (Long) rs.getObject("enterprise_id"), rs.getBoolean("must_change_password")), tokenHash);
        return users.isEmpty() ? null : users.get(0);
    }
}
