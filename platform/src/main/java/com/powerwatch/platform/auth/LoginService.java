package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.audit.AuditLog.Actor;
import com.powerwatch.platform.audit.AuditLog.Outcome;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Login, logout and changing one's own password. Wrong user and wrong password get the same answer, and an
 * unknown user still costs one Argon2 hash, so neither the message nor the time tells whether a name exists.
 * No transaction around login: a failed attempt must be counted and audited even though the call fails.
 */
@Service
public class LoginService {

    static final String BAD_CREDENTIALS = "用户名或密码错误";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter BEIJING_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(CHINA);

    public record LoginResult(String token, OffsetDateTime expiresAt, boolean mustChangePassword, UserView user) {
    }

    /** 423 LOCKED with the time the lock ends. */
    public static class AccountLocked extends ApiException {
        private final OffsetDateTime lockedUntil;

        AccountLocked(OffsetDateTime lockedUntil) {
            super(HttpStatus.LOCKED, "LOCKED", "密码错误次数过多，账号已锁定至 " + BEIJING_MINUTE.format(lockedUntil)
                    + "（北京时间），请届时再试或联系管理员解锁");
            this.lockedUntil = lockedUntil;
        }

        public OffsetDateTime lockedUntil() {
            return lockedUntil;
        }
    }

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final AuthProperties properties;
    /** Compared against when the user does not exist, so that path costs a hash too. */
    private final String dummyHash;

    public LoginService(UserRepository users, PasswordEncoder encoder, PasswordPolicy policy, AccessTokens tokens,
                        AuditLog audit, AuthProperties properties) {
        this.users = users;
        this.encoder = encoder;
        this.policy = policy;
        this.tokens = tokens;
        this.audit = audit;
        this.properties = properties;
        this.dummyHash = encoder.encode(policy.temporaryPassword());
    }

    public LoginResult login(String username, String password) {
        var found = users.credentials(username);
        if (found.isEmpty()) {
            encoder.matches(password, dummyHash);
            throw fail(new Actor(null, username, null), "UNKNOWN_USER");
        }
        UserRepository.Credentials user = found.get();
        Actor actor = new Actor(user.id(), user.username(), user.role().name());
        if (user.passwordHash() == null) { // API clients have only tokens
            encoder.matches(password, dummyHash);
            throw fail(actor, "NO_PASSWORD");
        }
        boolean matches = encoder.matches(password, user.passwordHash());
        if (user.locked()) {
            audit.record(actor, "LOGIN_LOCKED", "user:" + user.id(), Outcome.DENIED,
                    Map.of("lockedUntil", user.lockedUntil().toString()));
            throw new AccountLocked(user.lockedUntil());
        }
        if (!user.enabled()) {
            throw fail(actor, "DISABLED");
        }
        if (!matches) {
            OffsetDateTime lockedUntil = users.countFailure(user.id(), properties.maxFailedLogins(),
                    properties.lockDuration().toSeconds());
            if (lockedUntil != null) {
                OffsetDateTime local = lockedUntil.atZoneSameInstant(CHINA).toOffsetDateTime();
                audit.record(actor, "ACCOUNT_LOCKED", "user:" + user.id(), Outcome.FAILURE,
                        Map.of("failedLogins", properties.maxFailedLogins(), "lockedUntil", local.toString()));
                throw new AccountLocked(local);
            }
            throw fail(actor, "WRONG_PASSWORD");
        }
        if (encoder.upgradeEncoding(user.passwordHash())) {
            users.setPassword(user.id(), encoder.encode(password), user.mustChangePassword());
        }
        users.loggedIn(user.id());
        AccessTokens.Issued issued = tokens.issueSession(user.id());
        audit.record(actor, "LOGIN", "user:" + user.id(), Outcome.SUCCESS, null);
        return new LoginResult(issued.token(), issued.expiresAt().atZone(CHINA).toOffsetDateTime(),
                user.mustChangePassword(), users.view(user.id()));
    }

    private ApiException fail(Actor actor, String reason) {
        audit.record(actor, "LOGIN_FAILED", actor.userId() == null ? null : "user:" + actor.userId(), Outcome.FAILURE,
                Map.of("reason", reason));
        return new ApiException(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", BAD_CREDENTIALS);
    }

    /** Ends the session of {@code token}. */
    public void logout(PowerWatchUser user, String token) {
        tokens.revoke(token);
        audit.record(Actor.of(user), "LOGOUT", "user:" + user.id(), Outcome.SUCCESS, null);
    }

    /** Changes the caller's password; other sessions of the user end, this one stays. */
    public void changePassword(PowerWatchUser user, String currentToken, String oldPassword, String newPassword) {
        UserRepository.Credentials c = users.credentials(user.id()).orElseThrow(() -> ApiException.notFound("用户", user.id()));
        if (c.passwordHash() == null) {
            throw ApiException.badRequest("oldPassword", "该账号是接口账号，使用令牌而不是密码登录");
        }
        if (oldPassword == null || !encoder.matches(oldPassword, c.passwordHash())) {
            audit.record(Actor.of(user), "PASSWORD_CHANGE_FAILED", "user:" + user.id(), Outcome.FAILURE,
                    Map.of("reason", "WRONG_CURRENT_PASSWORD"));
            throw ApiException.badRequest("oldPassword", "当前密码不正确");
        }
        try {
            policy.check("newPassword", c.username(), newPassword, oldPassword);
        } catch (ApiException e) {
            audit.record(Actor.of(user), "PASSWORD_CHANGE_FAILED", "user:" + user.id(), Outcome.FAILURE,
                    Map.of("reason", e.getMessage()));
            throw e;
        }
        users.setPassword(user.id(), encoder.encode(newPassword), false);
        int ended = tokens.revokeAll(user.id(), currentToken);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("otherSessionsEnded", ended);
        detail.put("wasRequired", c.mustChangePassword());
        audit.record(Actor.of(user), "PASSWORD_CHANGED", "user:" + user.id(), Outcome.SUCCESS, detail);
    }
}
