package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** Login, logout, who am I, and changing one's own password and contact. Only login is open to anonymous callers. */
@RestController
@RequestMapping("/api/auth")
public class AuthController {

    public record LoginRequest(@NotBlank(message = "请输入用户名") @Size(max = 64, message = "用户名不能超过64个字符")
                               @Pattern(regexp = "[^\\p{Cntrl}]*", message = "用户名不能包含控制字符") String username,
                               @NotBlank(message = "请输入密码") @Size(max = 1024, message = "密码不能超过1024个字符") String password) {
    }

    public record PasswordChange(@NotBlank(message = "请输入当前密码") String oldPassword,
                                 @NotBlank(message = "请输入新密码") String newPassword) {
    }

    /** The caller's own phone and e-mail; both replaced, blank or missing = none. */
    public record ContactChange(String phone, String email) {
    }

    private final LoginService logins;
    private final UserRepository users;
    private final UserAdministration administration;

    public AuthController(LoginService logins, UserRepository users, UserAdministration administration) {
        this.logins = logins;
        this.users = users;
        this.administration = administration;
    }

    /** A session token; {@code mustChangePassword} means every other API answers 403 until POST /api/auth/password. */
    @PostMapping("/login")
    public LoginService.LoginResult login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return logins.login(request.username().trim(), request.password(), http.getRemoteAddr());
    }

    @PostMapping("/logout")
    public Map<String, Object> logout(Authentication auth) {
        logins.logout((PowerWatchUser) auth.getPrincipal(), (String) auth.getCredentials());
        return Map.of("loggedOut", true);
    }

    @GetMapping("/me")
    public UserView me(Authentication auth) {
        return users.view(((PowerWatchUser) auth.getPrincipal()).id());
    }

    /** Where the SMS and e-mail channels reach the caller (a mainland mobile gets SMS; a landline is kept for people to call). */
    @PutMapping("/me/contact")
    @Operation(summary = "Set one's own phone (mainland mobile or landline with area code) and e-mail; both replaced, blank clears")
    public UserView setContact(@RequestBody ContactChange request, Authentication auth) {
        ContactChange c = request == null ? new ContactChange(null, null) : request;
        return administration.setOwnContact(((PowerWatchUser) auth.getPrincipal()).id(), c.phone(), c.email());
    }

    @PostMapping("/password")
    public Map<String, Object> changePassword(@Valid @RequestBody PasswordChange request, Authentication auth,
                                              HttpServletRequest http) {
        logins.changePassword((PowerWatchUser) auth.getPrincipal(), (String) auth.getCredentials(),
                request.oldPassword(), request.newPassword(), http.getRemoteAddr());
        return Map.of("changed", true);
    }

    /** The API's error shape plus the time the lock ends. */
    @ExceptionHandler(LoginService.AccountLocked.class)
    ResponseEntity<Map<String, Object>> locked(LoginService.AccountLocked e) {
        return ResponseEntity.status(e.status()).body(error(e, "lockedUntil", e.lockedUntil()));
    }

    /** 429 with Retry-After (seconds), also in the body as {@code retryAfter} for the login page. */
    @ExceptionHandler(LoginGate.TooManyLogins.class)
    ResponseEntity<Map<String, Object>> tooMany(LoginGate.TooManyLogins e) {
        return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()))
                .body(error(e, "retryAfter", e.retryAfterSeconds()));
    }

    /** {@code {error, message}} and one more field. */
    private static Map<String, Object> error(ApiException e, String key, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.put(key, value);
        return body;
    }
}
