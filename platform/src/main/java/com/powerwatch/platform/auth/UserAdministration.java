package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a city administrator does to users and API clients. Every change is validated before the first write,
 * runs in one transaction, ends affected sessions, and is audited. The last active city administrator can be
 * neither disabled nor demoted.
 */
@Service
public class UserAdministration {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,63}");

    /**
     * What an administrator sets on a user (also the body of create and update).
     *
     * @param phone mainland mobile or landline with area code; blank or missing = none
     * @param email blank or missing = none
     */
    public record UserFields(String username, String displayName, Role role, List<String> regions, Long enterpriseId,
                             String password, String phone, String email) {
    }

    /** A page of users; {@code total} counts every user that matches. */
    public record UserPage(List<UserView> items, long total, int page, int size) {
    }

    /** A created user, with the temporary password when one was generated (shown this once). */
    public record Created(UserView user, String temporaryPassword) {
    }

    /** An API client and a token for it (shown this once). */
    public record ApiClientToken(UserView client, String token, OffsetDateTime expiresAt) {
    }

    /** A token as the administrator sees it: never the token, only a short id derived from its hash. */
    public record TokenInfo(String tokenId, String name, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                            OffsetDateTime expiresAt, OffsetDateTime revokedAt) {
    }

    public record ApiClient(UserView client, List<TokenInfo> tokens) {
    }

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final AccessTokens tokens;
    private final AuditLog audit;

    public UserAdministration(UserRepository users, PasswordEncoder encoder, PasswordPolicy policy, AccessTokens tokens,
                              AuditLog audit) {
        this.users = users;
        this.encoder = encoder;
        this.policy = policy;
        this.tokens = tokens;
        this.audit = audit;
    }

    public List<UserView> find(String text, Role role, Boolean enabled) {
        return users.find(text, role, enabled);
    }

    public UserPage page(String text, Role role, Boolean enabled, int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page", "page must be 0 or more");
        }
        if (size < 1 || size > 500) {
            throw ApiException.badRequest("size", "size must be between 1 and 500");
        }
        return users.page(text, role, enabled, page, size);
    }

    public UserView get(long id) {
        return users.view(id);
    }

    @Transactional
    public Created create(UserFields f) {
        String username = validUsername(f.username());
        if (f.role() == Role.API_CLIENT) {
            throw ApiException.badRequest("role", "接口账号请在“接口账号”页面创建");
        }
        List<String> regions = validScope(f.role(), f.regions(), f.enterpriseId());
        ContactDetails contact = ContactDetails.of(f.phone(), f.email());
        String temporary = null;
        String password = f.password();
        if (password == null || password.isEmpty()) {
            password = temporary = policy.temporaryPassword();
        } else {
            policy.check("password", username, password, null);
        }
        // an administrator knows this password, so the user must replace it at the first login
        long id = users.insert(username, blankToNull(f.displayName()), f.role(), f.enterpriseId(), encoder.encode(password),
                true, regions, contact);
        UserView view = users.view(id);
        audit.record("USER_CREATED", "user:" + id, describe(view));
        return new Created(view, temporary);
    }

    @Transactional
    public UserView update(long id, UserFields f) {
        UserView before = users.view(id);
        Role role = f.role() == null ? before.role() : f.role();
        if ((role == Role.API_CLIENT) != (before.role() == Role.API_CLIENT)) {
            throw ApiException.badRequest("role", "用户与接口账号之间不能互相转换，请新建账号");
        }
        if (f.username() != null && !f.username().equalsIgnoreCase(before.username())) {
            throw ApiException.badRequest("username", "用户名创建后不能修改");
        }
        if (f.password() != null) {
            throw ApiException.badRequest("password", "此处不能修改密码，请使用“重置密码”");
        }
        List<String> regions = validScope(role, f.regions(), f.enterpriseId());
        ContactDetails contact = ContactDetails.of(f.phone(), f.email());
        if (before.role() == Role.CITY_ADMIN && role != Role.CITY_ADMIN && before.enabled()) {
            requireAnotherAdmin(id, "改为其他角色");
        }
        users.jdbc().update("""
                        update app_user set display_name = :displayName, role = :role, enterprise_id = :enterpriseId,
                               updated_at = now() where id = :id""",
                new MapSqlParameterSource("id", id).addValue("displayName", blankToNull(f.displayName()))
                        .addValue("role", role.name()).addValue("enterpriseId", f.enterpriseId()));
        users.setRegions(id, regions);
        users.setContact(id, contact);
        tokens.forget(id);
        UserView after = users.view(id);
        audit.record("USER_UPDATED", "user:" + id, Map.of("before", describe(before), "after", describe(after),
                "phoneChanged", !Objects.equals(before.phone(), after.phone()),
                "emailChanged", !Objects.equals(before.email(), after.email())));
        return after;
    }

    /**
     * A user's own phone and e-mail (PUT /api/auth/me/contact): both are replaced, blank clears. The audit row says
     * which of them changed, never the values.
     */
    @Transactional
    public UserView setOwnContact(long id, String phone, String email) {
        ContactDetails contact = ContactDetails.of(phone, email);
        UserView before = users.view(id);
        users.setContact(id, contact);
        audit.record("USER_CONTACT_CHANGED", "user:" + id, Map.of("username", before.username(),
                "phoneChanged", !Objects.equals(before.phone(), contact.phone()),
                "emailChanged", !Objects.equals(before.email(), contact.email())));
        return users.view(id);
    }

    @Transactional
    public UserView setEnabled(long id, boolean enabled) {
        UserView user = users.view(id);
        if (!enabled && user.enabled() && user.role() == Role.CITY_ADMIN) {
            requireAnotherAdmin(id, "停用");
        }
        users.jdbc().update("update app_user set enabled = :enabled, updated_at = now() where id = :id",
                new MapSqlParameterSource("id", id).addValue("enabled", enabled));
        int revoked = enabled ? 0 : tokens.revokeAll(id, null);
        tokens.forget(id);
        audit.record(enabled ? "USER_ENABLED" : "USER_DISABLED", "user:" + id,
                Map.of("username", user.username(), "tokensRevoked", revoked));
        return users.view(id);
    }

    /** A new temporary password (returned once), to be changed at the next login; the user's sessions end. */
    @Transactional
    public Map<String, Object> resetPassword(long id) {
        UserView user = users.view(id);
        if (user.role() == Role.API_CLIENT) {
            throw ApiException.badRequest("id", "接口账号没有密码，请改为更换其令牌");
        }
        String temporary = policy.temporaryPassword();
        users.setPassword(id, encoder.encode(temporary), true);
        users.unlock(id);
        int revoked = tokens.revokeAll(id, null);
        audit.record("PASSWORD_RESET", "user:" + id, Map.of("username", user.username(), "tokensRevoked", revoked));
        return Map.of("user", users.view(id), "temporaryPassword", temporary);
    }

    @Transactional
    public UserView unlock(long id) {
        UserView user = users.view(id);
        users.unlock(id);
        audit.record("USER_UNLOCKED", "user:" + id, Map.of("username", user.username()));
        return users.view(id);
    }

    // --- API clients ---

    /** An API_CLIENT user (no password) and its first token. Regions, when given, scope what it may read. */
    @Transactional
    public ApiClientToken createApiClient(String username, String displayName, List<String> regions, Integer validDays) {
        String name = validUsername(username);
        List<String> scope = validScope(Role.API_CLIENT, regions, null);
        long id = users.insert(name, blankToNull(displayName), Role.API_CLIENT, null, null, false, scope,
                new ContactDetails(null, null));
        AccessTokens.Issued issued = tokens.issueApiToken(id, displayName == null ? name : displayName, expiry(validDays));
        UserView view = users.view(id);
        audit.record("API_CLIENT_CREATED", "user:" + id, describe(view));
        return new ApiClientToken(view, issued.token(), at(issued.expiresAt()));
    }

    public List<ApiClient> apiClients() {
        return users.find(null, Role.API_CLIENT, null).stream().map(c -> new ApiClient(c, tokens(c.id()))).toList();
    }

    /** Ends every token of the client at once (a leaked token, a retired system). */
    @Transactional
    public ApiClient revokeApiTokens(long id) {
        UserView client = apiClient(id);
        int revoked = tokens.revokeAll(id, null);
        audit.record("API_TOKEN_REVOKED", "user:" + id, Map.of("username", client.username(), "tokensRevoked", revoked));
        return new ApiClient(client, tokens(id));
    }

    /** Revokes the client's tokens and issues a new one (returned once). */
    @Transactional
    public ApiClientToken rotateApiToken(long id, Integer validDays) {
        UserView client = apiClient(id);
        int revoked = tokens.revokeAll(id, null);
        AccessTokens.Issued issued = tokens.issueApiToken(id,
                client.displayName() == null ? client.username() : client.displayName(), expiry(validDays));
        audit.record("API_TOKEN_ROTATED", "user:" + id, Map.of("username", client.username(), "tokensRevoked", revoked));
        return new ApiClientToken(client, issued.token(), at(issued.expiresAt()));
    }

    private UserView apiClient(long id) {
        UserView v = users.view(id);
        if (v.role() != Role.API_CLIENT) {
            throw ApiException.notFound("接口账号", id);
        }
        return v;
    }

    private List<TokenInfo> tokens(long userId) {
        return users.jdbc().query("""
                        select token_hash, name, created_at, last_used_at, expires_at, revoked_at from auth_token
                        where user_id = :id order by created_at desc""", new MapSqlParameterSource("id", userId),
                (rs, i) -> new TokenInfo(rs.getString("token_hash").substring(0, 12), rs.getString("name"),
                        UserRepository.time(rs, "created_at"), UserRepository.time(rs, "last_used_at"),
                        UserRepository.time(rs, "expires_at"), UserRepository.time(rs, "revoked_at")));
    }

    private static Instant expiry(Integer validDays) {
        if (validDays == null) {
            return null;
        }
        if (validDays < 1 || validDays > 3650) {
            throw ApiException.badRequest("validDays", "有效天数须在 1 到 3650 之间（不填则长期有效）");
        }
        return Instant.now().plus(Duration.ofDays(validDays));
    }

    private static OffsetDateTime at(Instant t) {
        return t == null ? null : t.atZone(UserRepository.CHINA).toOffsetDateTime();
    }

    // --- validation ---

    private void requireAnotherAdmin(long id, String what) {
        List<Long> admins = users.lockActiveAdmins();
        if (admins.stream().noneMatch(a -> a != id)) {
            throw ApiException.conflict("该用户（编号 " + id + "）是唯一在用的市局管理员，不能" + what
                    + "；请先将其他用户设为市局管理员");
        }
    }

    private String validUsername(String username) {
        if (username == null || username.isBlank()) {
            throw ApiException.badRequest("username", "请输入用户名");
        }
        String u = username.trim();
        if (!USERNAME.matcher(u).matches()) {
            throw ApiException.badRequest("username",
                    "用户名须为 3–64 个字符，可用字母、数字和 . _ @ -，以字母或数字开头");
        }
        if (users.credentials(u).isPresent()) {
            throw ApiException.conflict("用户名“" + u + "”已被使用");
        }
        return u;
    }

    /** Checks that role, regions and enterprise fit together and exist; returns the regions to store. */
    private List<String> validScope(Role role, List<String> regions, Long enterpriseId) {
        if (role == null) {
            throw ApiException.badRequest("role", "请选择角色：市局管理员（CITY_ADMIN）、运维人员（OPERATOR）、区县监管人员（DISTRICT_OFFICER）或企业用户（ENTERPRISE_USER）");
        }
        List<String> codes = regions == null ? List.of() : regions.stream().map(String::trim).distinct().toList();
        switch (role) {
            case DISTRICT_OFFICER -> {
                if (codes.isEmpty()) {
                    throw ApiException.badRequest("regions", "区县监管人员须至少指定一个管辖区县");
                }
            }
            case ENTERPRISE_USER -> {
                if (enterpriseId == null) {
                    throw ApiException.badRequest("enterpriseId", "企业用户须指定所属企业");
                }
                if (!users.exists("enterprise", "id", enterpriseId)) {
                    throw ApiException.badRequest("enterpriseId", "编号为 " + enterpriseId + " 的企业不存在");
                }
            }
            default -> {
            }
        }
        if (role != Role.ENTERPRISE_USER && enterpriseId != null) {
            throw ApiException.badRequest("enterpriseId", "只有企业用户才能指定所属企业");
        }
        if (!codes.isEmpty() && role != Role.DISTRICT_OFFICER && role != Role.API_CLIENT) {
            throw ApiException.badRequest("regions", "只有区县监管人员和接口账号才能指定管辖区县");
        }
        List<String> unknown = users.unknownRegions(codes);
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("regions", "行政区划代码不存在：" + String.join("、", unknown));
        }
        return codes;
    }

    private static Map<String, Object> describe(UserView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", v.username());
        m.put("displayName", v.displayName());
        m.put("role", v.role().name());
        m.put("regions", v.regions());
        m.put("enterpriseId", v.enterpriseId());
        m.put("enabled", v.enabled());
        // personal data: the audit log says whether a contact is set, not what it is
        m.put("hasPhone", v.phone() != null);
        m.put("hasEmail", v.email() != null);
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
