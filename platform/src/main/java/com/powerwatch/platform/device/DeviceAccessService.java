package com.powerwatch.platform.device;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.registry.RegistryAccess;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Setting data loggers' access passwords and policies, one at a time or for a selection (a district, an enterprise, a
 * list of MNs) within the caller's scope. A generated password is returned once and never stored; every change is
 * audited (without the password) and reaches the gateway when the transaction commits.
 */
@Service
public class DeviceAccessService {

    /** The loggers a bulk action applies to; at least one criterion. */
    public record Selection(String regionCode, Long enterpriseId, List<String> mns, Boolean onlyWithoutPassword) {
    }

    /** A new password for the installers' sheet. */
    public record NewPassword(String districtName, String enterpriseName, String mn, String password, OffsetDateTime setAt) {
    }

    /** A policy as requested: {@code policy} WARN / ALLOWLIST / REJECT, {@code allowedAddresses} for ALLOWLIST. */
    public record AccessRequest(String policy, List<String> allowedAddresses) {
    }

    static final int MAX_MNS = 10_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final RegistryAccess access;
    private final AuditLog audit;
    private final DeviceCredentials credentials;
    private final DeviceAccessProperties props;

    public DeviceAccessService(NamedParameterJdbcTemplate jdbc, RegistryAccess access, AuditLog audit,
                               DeviceCredentials credentials, DeviceAccessProperties props) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.credentials = credentials;
        this.props = props;
    }

    /**
     * The password and policy of a logger just registered through the API: generated, policy
     * {@code powerwatch.devices.new-logger-policy}; returned for the answer of the registration (shown once).
     */
    @Transactional
    public String initialPassword(String mn) {
        String password = DevicePassword.generate(props.passwordLength());
        store(mn, password, props.newLoggerPolicy());
        audit.record("DEVICE_PASSWORD_SET", "data-logger:" + mn, Map.of("generated", true, "registration", true,
                "accessPolicy", props.newLoggerPolicy().name()));
        credentials.reloadAfterCommit();
        return password;
    }

    /**
     * Sets one logger's password: the one given (what an installer already set on the device) or a generated one
     * ({@code length} characters, default {@code password-length}). The answer carries a generated password only.
     */
    @Transactional
    public Map<String, Object> setPassword(String mn, String chosen, Integer length) {
        access.dataLogger(mn);
        boolean generated = chosen == null;
        String password = generated ? DevicePassword.generate(DevicePassword.length(length, props.passwordLength()))
                : DevicePassword.checkChosen(chosen);
        OffsetDateTime at = store(mn, password, null);
        audit.record("DEVICE_PASSWORD_SET", "data-logger:" + mn, Map.of("generated", generated));
        credentials.reloadAfterCommit();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mn", mn);
        out.put("passwordSetAt", at);
        if (generated) {
            out.put("password", password);
        }
        return out;
    }

    /** Sets one logger's policy (and allow-list). */
    @Transactional
    public void setAccess(String mn, AccessRequest request) {
        access.dataLogger(mn);
        Policy p = policy(request);
        jdbc.update("update data_logger set access_policy = :p, allowed_addresses = :a::text[] where mn = :mn",
                new MapSqlParameterSource("p", p.policy().name()).addValue("a", p.arrayLiteral()).addValue("mn", mn));
        audit.record("DEVICE_ACCESS_POLICY_SET", "data-logger:" + mn,
                Map.of("accessPolicy", p.policy().name(), "allowedAddresses", p.allowed().texts()));
        credentials.reloadAfterCommit();
    }

    /** New passwords for every selected logger in the caller's scope; audited as one export for the installers. */
    @Transactional
    public List<NewPassword> generate(Selection selection, Integer length, String export) {
        int n = DevicePassword.length(length, props.passwordLength());
        List<Map<String, Object>> loggers = select(selection);
        if (loggers.isEmpty()) {
            throw ApiException.badRequest(firstCriterion(selection), Boolean.TRUE.equals(selection.onlyWithoutPassword())
                    ? "所选范围内没有尚未设置访问密码的数采仪" : "所选范围内没有数采仪");
        }
        List<NewPassword> out = new ArrayList<>(loggers.size());
        List<MapSqlParameterSource> updates = new ArrayList<>(loggers.size());
        OffsetDateTime at = now();
        for (Map<String, Object> l : loggers) {
            String password = DevicePassword.generate(n);
            out.add(new NewPassword((String) l.get("district_name"), (String) l.get("enterprise_name"), (String) l.get("mn"), password, at));
            updates.add(new MapSqlParameterSource("mn", l.get("mn")).addValue("h", DevicePassword.hash(password)).addValue("at", at));
        }
        jdbc.batchUpdate("update data_logger set pw_hash = :h, pw_set_at = :at where mn = :mn", updates.toArray(MapSqlParameterSource[]::new));
        Map<String, Object> detail = criteria(selection);
        detail.put("count", out.size());
        detail.put("length", n);
        detail.put("export", export);
        detail.put("loggers", out.stream().map(NewPassword::mn).limit(1000).toList());
        audit.record("DEVICE_PASSWORDS_GENERATED", "data-loggers", detail);
        credentials.reloadAfterCommit();
        return out;
    }

    /** One policy for every selected logger in the caller's scope; returns how many were set. */
    @Transactional
    public int setAccess(Selection selection, AccessRequest request) {
        Policy p = policy(request);
        List<Map<String, Object>> loggers = select(selection);
        List<MapSqlParameterSource> updates = loggers.stream().map(l -> new MapSqlParameterSource("mn", l.get("mn"))
                .addValue("p", p.policy().name()).addValue("a", p.arrayLiteral())).toList();
        jdbc.batchUpdate("update data_logger set access_policy = :p, allowed_addresses = :a::text[] where mn = :mn",
                updates.toArray(MapSqlParameterSource[]::new));
        Map<String, Object> detail = criteria(selection);
        detail.put("count", loggers.size());
        detail.put("accessPolicy", p.policy().name());
        detail.put("allowedAddresses", p.allowed().texts());
        audit.record("DEVICE_ACCESS_POLICIES_SET", "data-loggers", detail);
        credentials.reloadAfterCommit();
        return loggers.size();
    }

    private record Policy(AccessPolicy policy, AddressAllowList allowed) {
        /** A PostgreSQL array literal of the normalized blocks (they hold no quotes, commas or braces). */
        String arrayLiteral() {
            return "{" + String.join(",", allowed.texts()) + "}";
        }
    }

    private static Policy policy(AccessRequest r) {
        AccessPolicy policy;
        try {
            policy = AccessPolicy.valueOf(String.valueOf(r == null ? null : r.policy()).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("policy", "接入策略须为 WARN（告警放行）、ALLOWLIST（地址白名单）或 REJECT（拒收）之一");
        }
        AddressAllowList allowed = AddressAllowList.parse(r.allowedAddresses());
        if (policy == AccessPolicy.ALLOWLIST && allowed.isEmpty()) {
            throw ApiException.badRequest(AddressAllowList.FIELD, "地址白名单策略须至少填写一个 IP 地址或地址段");
        }
        return new Policy(policy, allowed);
    }

    private OffsetDateTime store(String mn, String password, AccessPolicy policy) {
        OffsetDateTime at = now();
        jdbc.update("update data_logger set pw_hash = :h, pw_set_at = :at, access_policy = coalesce(:p, access_policy) where mn = :mn",
                new MapSqlParameterSource("h", DevicePassword.hash(password)).addValue("at", at)
                        .addValue("p", policy == null ? null : policy.name()).addValue("mn", mn));
        return at;
    }

    private OffsetDateTime now() {
        return jdbc.getJdbcTemplate().queryForObject("select date_trunc('milliseconds', now())", OffsetDateTime.class);
    }

    /** The selected loggers the caller may see, with their enterprise and district names. */
    private List<Map<String, Object>> select(Selection s) {
        if (s == null || (s.regionCode() == null && s.enterpriseId() == null && (s.mns() == null || s.mns().isEmpty()))) {
            throw ApiException.badRequest("regionCode", "请选择区县（regionCode）、企业（enterpriseId）或数采仪 MN 列表（mns）");
        }
        AccessScope scope = AccessScope.current();
        StringBuilder sql = new StringBuilder("""
                select d.mn, e.name as enterprise_name, r.name as district_name
                from data_logger d join enterprise e on e.id = d.enterprise_id left join region r on r.code = e.district_code
                where\s""").append(scope.enterpriseFilter("e"));
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        if (s.regionCode() != null) {
            sql.append(" and e.district_code like :region");
            p.addValue("region", AccessScope.regionPrefix("regionCode", s.regionCode()) + "%");
        }
        if (s.enterpriseId() != null) {
            access.enterprise(s.enterpriseId());
            sql.append(" and e.id = :enterprise");
            p.addValue("enterprise", s.enterpriseId());
        }
        if (s.mns() != null && !s.mns().isEmpty()) {
            if (s.mns().size() > MAX_MNS) {
                throw ApiException.badRequest("mns", "一次最多选择 " + MAX_MNS + " 台数采仪");
            }
            sql.append(" and d.mn in (:mns)");
            p.addValue("mns", s.mns());
        }
        if (Boolean.TRUE.equals(s.onlyWithoutPassword())) {
            sql.append(" and d.pw_hash is null");
        }
        sql.append(" order by e.district_code, e.name, d.mn for update of d");
        return jdbc.queryForList(sql.toString(), p);
    }

    private static Map<String, Object> criteria(Selection s) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("regionCode", s.regionCode());
        detail.put("enterpriseId", s.enterpriseId());
        detail.put("mns", s.mns() == null ? null : s.mns().size());
        detail.put("onlyWithoutPassword", Boolean.TRUE.equals(s.onlyWithoutPassword()));
        return detail;
    }

    private static String firstCriterion(Selection s) {
        return s.regionCode() != null ? "regionCode" : s.enterpriseId() != null ? "enterpriseId" : "mns";
    }
}
