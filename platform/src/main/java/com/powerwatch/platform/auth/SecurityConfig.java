package com.powerwatch.platform.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiProperties;
import com.powerwatch.platform.audit.ApiAuditFilter;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

import java.util.Map;

/**
 * Every request needs a valid bearer token except logging in, the liveness probe and the API documentation.
 * Stateless: no HTTP session, so no CSRF token is needed (a token in a header cannot be sent by another site).
 *
 * <p>Role rules by URL live here so a new controller is closed by default; finer rules use {@code @PreAuthorize}.
 * Filter order: bearer token → audit (sees every authenticated change, refused ones too) → forced password change
 * → URL rules; then, outside this chain, {@link com.powerwatch.platform.api.RequestTextGuard} (control characters,
 * JSON body size).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfig {

    static final String[] PUBLIC = {"/api/auth/login", "/actuator/health", "/actuator/health/**",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error"};

    /**
     * The web app's files and page routes: public like any web page's HTML and JavaScript; every piece of data
     * they show comes from the API with the user's token. Only GET: nothing outside /api changes state.
     */
    public static final String[] WEB_APP = {"/", "/index.html", "/favicon.svg", "/assets/**", "/map/**", "/app/**", "/login",
            "/change-password", "/home", "/overview", "/my", "/analysis", "/data-checks", "/alarms/**", "/enterprises/**",
            "/system/**", "/ops/**", "/emergency/**", "/reports/**", "/m", "/m/**"};

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AccessTokens tokens, AuditLog audit, ObjectMapper json,
                                           ApiProperties api)
            throws Exception {
        SecurityErrors errors = new SecurityErrors(json);
        BearerTokenFilter bearer = new BearerTokenFilter(tokens);
        ApiAuditFilter auditFilter = new ApiAuditFilter(audit, json, api);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(errors.unauthorized()).accessDeniedHandler(errors.forbidden()))
                .addFilterBefore(bearer, UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(auditFilter, BearerTokenFilter.class)
                .addFilterAfter(new PasswordChangeFilter(errors), ApiAuditFilter.class)
                .authorizeHttpRequests(a -> a
                        // the async re-dispatch of an already authorized request (SSE completion) is not checked again
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC).permitAll()
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.GET, WEB_APP).permitAll()
                        .requestMatchers("/api/admin/**").hasRole("CITY_ADMIN")
                        // ingestion stats, raw frames, devices and device commands: the people who run the system
                        .requestMatchers("/api/ingest/**").hasAnyRole("CITY_ADMIN", "OPERATOR")
                        // the alarm engine's own state (lag, data clock): the same people
                        .requestMatchers("/api/analysis/**").hasAnyRole("CITY_ADMIN", "OPERATOR")
                        // metrics: Prometheus scrapes with an API client's token
                        .requestMatchers("/actuator/**").hasAnyRole("CITY_ADMIN", "OPERATOR", "API_CLIENT")
                        // other bureau systems read; they never change anything
                        .requestMatchers(r -> !SecurityErrors.isRead(r)).access(notApiClient())
                        .anyRequest().authenticated());
        return http.build();
    }

    private static AuthorizationManager<RequestAuthorizationContext> notApiClient() {
        return (authentication, context) -> {
            var auth = authentication.get();
            boolean ok = auth != null && auth.getPrincipal() instanceof PowerWatchUser user && user.role() != Role.API_CLIENT;
            return new AuthorizationDecision(ok);
        };
    }

    /** The first administrator of a new installation, created once the database is there. */
    @Bean
    DatabaseStartStep initialAdministratorStart(InitialAdministrator administrator) {
        return new DatabaseStartStep("first administrator", DatabaseStartStep.ACCOUNTS, administrator::ensure);
    }

    /**
     * Argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) behind a delegating encoder: hashes are stored as
     * {@code {argon2}…}, so a later algorithm can be added and old hashes upgraded at the next login.
     * {@code {bcrypt}} is accepted for users imported from older systems.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        Map<String, PasswordEncoder> encoders = Map.of(
                "argon2", new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2),
                "bcrypt", new BCryptPasswordEncoder());
        return new DelegatingPasswordEncoder("argon2", encoders);
    }
}
