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
 * Login, logout and changing one's own password. Wrong user and wrong password get the same answer, an unknown
 * user costs one Argon2 hash too and is counted and locked like a known one ({@link LoginLockout}), so neither the
 * answer nor its time tells whether a name exists. Every attempt passes the {@link LoginGate} (rate per address,
 * bounded hashing) and is counted before its password is compared.
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
            this.lockedUntil = lockedUntil.atZoneSameInstant(CHINA).toOffsetDateTime();
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
    private final LoginLockout lockout;
    private final LoginGate gate;
    private final int history;
    /** Compared against when the user does not exist, so that path costs a hash too. */
    private final String dummyHash;

    public LoginService(UserRepository users, PasswordEncoder encoder, PasswordPolicy policy, AccessTokens tokens,
                        AuditLog audit, AuthProperties properties, LoginLockout lockout, LoginGate gate) {
        this.users = users;
        this.encoder = encoder;
        this.policy = policy;
        this.tokens = tokens;
        this.audit = audit;
        this.lockout = lockout;
        this.gate = gate;
        this.history = properties.password().history();
        this.dummyHash = encoder.encode(policy.temporaryPassword());
    }

    /** Logs {@code username} in from {@code remoteAddress} (the client's IP address as the servlet container sees it). */
    public LoginResult login(String username, String password, String remoteAddress) {
        ClientAddress from = lockout.address(remoteAddress);
        try (LoginGate.Turn turn = gate.enter(from)) {
            // the same statements for a known and an unknown name, in the same order
            var found = users.credentials(username);
            Actor actor = found.map(u -> new Actor(u.id(), u.username(), u.role().name())).orElse(new Actor(null, username, null));
            LoginLockout.Attempt attempt = lockout.begin(username, from);
            if (!attempt.admitted()) {
                throw refused(actor, "LOGIN_LOCKED", attempt);
            }
            String hash = found.map(UserRepository.Credentials::passwordHash).orElse(null);
            boolean matches = encoder.matches(password, hash == null ? dummyHash : hash); // API clients have no password
            String failure = found.isEmpty() ? "UNKNOWN_USER" : hash == null ? "NO_PASSWORD"
                    : !found.get().enabled() ? "DISABLED" : matches ? null : "WRONG_PASSWORD";
            if (failure != null) {
                if (attempt.locksIfWrong()) {
                    throw locked(actor, attempt, failure);
                }
                audit.record(actor, "LOGIN_FAILED", target(actor), Outcome.FAILURE, Map.of("reason", failure));
                throw new ApiException(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", BAD_CREDENTIALS);
            }
            lockout.succeeded(attempt);
            UserRepository.Credentials user = found.get();
            if (encoder.upgradeEncoding(hash)) {
                users.rehash(user.id(), encoder.encode(password));
            }
            users.loggedIn(user.id());
            AccessTokens.Issued issued = tokens.issueSession(user.id());
            audit.record(actor, "LOGIN", target(actor), Outcome.SUCCESS, null);
            return new LoginResult(issued.token(), issued.expiresAt().atZone(CHINA).toOffsetDateTime(),
                    user.mustChangePassword(), users.view(user.id()));
        }
    }

    private static String target(Actor actor) {
        return actor.userId() == null ? null : "user:" + actor.userId();
    }

    /** An attempt refused unseen because of a lock: audited as {@code action}, answered 423. */
    private AccountLocked refused(Actor actor, String action, LoginLockout.Attempt attempt) {
        audit.record(actor, action, target(actor), Outcome.DENIED, Map.of("lockedUntil", attempt.lockedUntil().toString(),
                "scope", attempt.scope().name(), "address", attempt.address()));
        return new AccountLocked(attempt.lockedUntil());
    }

    /** The wrong password that reached a limit: the lock it set stays. */
    private AccountLocked locked(Actor actor, LoginLockout.Attempt attempt, String reason) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", reason);
        detail.put("scope", attempt.scope().name());
        detail.put("address", attempt.address());
        detail.put("failedLogins", attempt.failures());
        detail.put("lockedUntil", attempt.lockedUntil().atZoneSameInstant(CHINA).toOffsetDateTime().toString());
        audit.record(actor, "ACCOUNT_LOCKED", target(actor), Outcome.FAILURE, detail);
        return new AccountLocked(attempt.lockedUntil());
    }

    /** Ends the session of {@code token}. */
    public void logout(PowerWatchUser user, String token) {
        tokens.revoke(token);
        audit.record(Actor.of(user), "LOGOUT", "user:" + user.id(), Outcome.SUCCESS, null);
    }

    /**
     * Changes the caller's password; other sessions of the user end, this one stays. A wrong current password is
     * counted like a wrong login (a stolen session cannot guess on), and the new one must not be one of the last
     * {@code password.history}.
     */
    public void changePassword(PowerWatchUser user, String currentToken, String oldPassword, String newPassword,
                               String remoteAddress) {
        UserRepository.Credentials c = users.credentials(user.id()).orElseThrow(() -> ApiException.notFound("用户", user.id()));
        if (c.passwordHash() == null) {
            throw ApiException.badRequest("oldPassword", "该账号是接口账号，使用令牌而不是密码登录");
        }
        Actor actor = Actor.of(user);
        LoginLockout.Attempt attempt = lockout.begin(c.username(), lockout.address(remoteAddress));
        if (!attempt.admitted()) {
            throw refused(actor, "PASSWORD_CHANGE_FAILED", attempt);
        }
        if (oldPassword == null || !encoder.matches(oldPassword, c.passwordHash())) {
            if (attempt.locksIfWrong()) {
                throw locked(actor, attempt, "WRONG_CURRENT_PASSWORD");
            }
            audit.record(actor, "PASSWORD_CHANGE_FAILED", "user:" + user.id(), Outcome.FAILURE,
                    Map.of("reason", "WRONG_CURRENT_PASSWORD"));
            throw ApiException.badRequest("oldPassword", "当前密码不正确");
        }
        lockout.succeeded(attempt);
        try {
            policy.check("newPassword", c.username(), newPassword, oldPassword);
            if (users.previousHashes(user.id()).stream().limit(history).anyMatch(h -> encoder.matches(newPassword, h))) {
                throw ApiException.badRequest("newPassword", "新密码不能与最近 " + history + " 次使用过的密码相同");
            }
        } catch (ApiException e) {
            audit.record(actor, "PASSWORD_CHANGE_FAILED", "user:" + user.id(), Outcome.FAILURE,
                    Map.of("reason", e.getMessage()));
            throw e;
        }
        users.setPassword(user.id(), encoder.encode(newPassword), false);
        int ended = tokens.revokeAll(user.id(), currentToken);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("otherSessionsEnded", ended);
        detail.put("wasRequired", c.mustChangePassword());
        audit.record(actor, "PASSWORD_CHANGED", "user:" + user.id(), Outcome.SUCCESS, detail);
    }
}
