package com.powerwatch.platform.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * While a user must change the password (first administrator, temporary password after a reset) every API
 * answers 403 PASSWORD_CHANGE_REQUIRED except the three needed to do it.
 */
class PasswordChangeFilter extends OncePerRequestFilter {

    static final Set<String> ALLOWED = Set.of("/api/auth/me", "/api/auth/password", "/api/auth/logout");

    private final SecurityErrors errors;

    PasswordChangeFilter(SecurityErrors errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof PowerWatchUser user && user.mustChangePassword()
                && !ALLOWED.contains(request.getRequestURI())) {
            errors.write(response, 403, "PASSWORD_CHANGE_REQUIRED",
                    "请先修改密码，再使用系统");
            return;
        }
        chain.doFilter(request, response);
    }
}
