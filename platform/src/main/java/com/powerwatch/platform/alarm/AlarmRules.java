package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 报警规则设置: the parameters of each alarm type per scope, and their resolution for one facility.
 *
 * <p>Scopes, from the least to the most specific: GLOBAL &lt; REGION (a province, a city, a district: the longer the
 * code's prefix, the more specific) &lt; INDUSTRY (门类 &lt; 大类 &lt; 中类 &lt; 小类 along the GB/T 4754 tree) &lt;
 * ENTERPRISE &lt; FACILITY. Resolution is per parameter: each takes the value of the most specific rule that sets
 * it, else the schema default ({@link AlarmRuleSchema}); whether the type is enabled comes from the most specific
 * rule that exists. The engine calls {@link #effective(String, long)} — no caller scope is involved.
 */
@Service
public class AlarmRules {

    public enum ScopeLevel { GLOBAL, REGION, INDUSTRY, ENTERPRISE, FACILITY }

    /** Body of PUT /api/alarm-rules. params replaces the rule's parameters (unset ones fall through to wider scopes). */
    public record RuleRequest(String type, ScopeLevel scopeLevel, String scopeKey, JsonNode params, Boolean enabled) {
    }

    /**
     * The parameters in force for one type and facility (or enterprise).
     *
     * @param values  parameter name → value (Integer, Double or Boolean)
     * @param sources parameter name → where the value came from: DEFAULT, GLOBAL, REGION:610100, INDUSTRY:C36,
     *                ENTERPRISE:12, FACILITY:42
     */
    public record EffectiveRule(String type, boolean enabled, String enabledSource, Map<String, Object> values,
                                Map<String, String> sources) {

        public double number(String name) {
            Object v = values.get(name);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("alarm type " + type + " has no numeric parameter " + name);
            }
            return n.doubleValue();
        }

        public int integer(String name) {
            return (int) Math.round(number(name));
        }
    }

    private record Candidate(ScopeLevel level, String key, int specificity, JsonNode params, boolean enabled) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmCatalogue catalogue;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final ObjectProvider<RuleParameterCheck> checks;

    AlarmRules(NamedParameterJdbcTemplate jdbc, AlarmCatalogue catalogue, ObjectMapper json, AuditLog audit,
               ObjectProvider<RuleParameterCheck> checks) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.json = json;
        this.audit = audit;
        this.checks = checks;
    }

    /** The rule of {@code type} in force for a facility (its enterprise's region and industry included). */
    public EffectiveRule effective(String type, long facilityId) {
        List<Map<String, Object>> f = jdbc.queryForList("""
                select f.id, e.id as enterprise_id, e.district_code, e.industry_code
                from facility f join enterprise e on e.id = f.enterprise_id where f.id = :id""", Map.of("id", facilityId));
        if (f.isEmpty()) {
            throw ApiException.notFound("设施", facilityId);
        }
        Map<String, Object> r = f.get(0);
        return resolve(type, ((Number) r.get("enterprise_id")).longValue(), facilityId, (String) r.get("district_code"),
                (String) r.get("industry_code"));
    }

    /** The rule of {@code type} in force for an enterprise as a whole (enterprise-level subjects such as loggers). */
    public EffectiveRule effectiveForEnterprise(String type, long enterpriseId) {
        List<Map<String, Object>> e = jdbc.queryForList("select id, district_code, industry_code from enterprise where id = :id",
                Map.of("id", enterpriseId));
        if (e.isEmpty()) {
            throw ApiException.notFound("企业", enterpriseId);
        }
        return resolve(type, enterpriseId, null, (String) e.get(0).get("district_code"), (String) e.get(0).get("industry_code"));
    }

    private EffectiveRule resolve(String type, long enterpriseId, Long facilityId, String district, String industry) {
        catalogue.require(type);
        List<RuleRow> rows = jdbc.query("select scope_level, scope_key, params, enabled from alarm_rule where type = :type",
                Map.of("type", type), (rs, i) -> ruleRow(rs));
        Map<String, Integer> chain = new HashMap<>();
        jdbc.query("""
                with recursive up as (select code, parent_code, level from industry where code = :industry
                                      union all select i.code, i.parent_code, i.level from industry i join up on i.code = up.parent_code)
                select code, level from up""", new MapSqlParameterSource("industry", industry),
                (java.sql.ResultSet rs) -> {
                    chain.put(rs.getString("code"), rs.getInt("level"));
                });
        return decide(type, rows, chain, enterpriseId, facilityId, district);
    }

    /** One alarm_rule row, as resolution needs it. */
    private record RuleRow(ScopeLevel level, String key, JsonNode params, boolean enabled) {
    }

    private RuleRow ruleRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RuleRow(ScopeLevel.valueOf(rs.getString("scope_level")), rs.getString("scope_key"),
                readTree(rs.getString("params")), rs.getBoolean("enabled"));
    }

    /** A region rule's key without its trailing "00" pairs: 610100 (西安市) covers every district code starting 6101. */
    private static String regionPrefix(String key) {
        String k = key == null ? "" : key;
        while (k.endsWith("00")) {
            k = k.substring(0, k.length() - 2);
        }
        return k;
    }

    /**
     * The resolution itself, in memory: which of a type's rules apply to the subject (its district, the industry
     * chain from its class up to its 门类 with each code's level, the enterprise, the facility) and how specific each
     * is; then per parameter the most specific value wins.
     */
    private static EffectiveRule decide(String type, List<RuleRow> rows, Map<String, Integer> industryChain,
                                        long enterpriseId, Long facilityId, String district) {
        List<Candidate> candidates = new ArrayList<>();
        for (RuleRow r : rows) {
            int specificity = 0;
            boolean applies = switch (r.level()) {
                case GLOBAL -> true;
                case REGION -> {
                    String prefix = regionPrefix(r.key());
                    specificity = prefix.length();
                    yield district != null && district.startsWith(prefix);
                }
                case INDUSTRY -> {
                    Integer level = industryChain.get(r.key());
                    specificity = level == null ? 0 : level;
                    yield level != null;
                }
                case ENTERPRISE -> String.valueOf(enterpriseId).equals(r.key());
                case FACILITY -> facilityId != null && String.valueOf(facilityId).equals(r.key());
            };
            if (applies) {
                candidates.add(new Candidate(r.level(), r.key(), specificity, r.params(), r.enabled()));
            }
        }
        List<Candidate> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingInt((Candidate c) -> c.level().ordinal()).thenComparingInt(Candidate::specificity));
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (RuleParameter rp : AlarmRuleSchema.of(type)) {
            values.put(rp.name(), rp.defaultValue());
            sources.put(rp.name(), "DEFAULT");
        }
        boolean enabled = true;
        String enabledSource = "DEFAULT";
        for (Candidate c : ordered) {
            String source = c.level() == ScopeLevel.GLOBAL ? "GLOBAL" : c.level() + ":" + c.key();
            for (RuleParameter rp : AlarmRuleSchema.of(type)) {
                JsonNode v = c.params().get(rp.name());
                if (v != null && !v.isNull()) {
                    values.put(rp.name(), value(rp, v));
                    sources.put(rp.name(), source);
                }
            }
            enabled = c.enabled();
            enabledSource = source;
        }
        return new EffectiveRule(type, enabled, enabledSource, values, sources);
    }

    /**
     * Every rule, every enterprise's district and industry, every facility's enterprise and the industry tree, read
     * with four queries, so that the alarm engine and the real-time state resolve the rules of a city's facilities from
     * memory ({@code EngineRules}). A query per facility and type, re-run whenever its cache entry aged, kept both
     * waiting on PostgreSQL for minutes with 25,000 facilities (issue 15, docs/benchmarks.md).
     */
    public RuleBook ruleBook() {
        Map<String, List<RuleRow>> rules = new HashMap<>();
        jdbc.query("select type, scope_level, scope_key, params, enabled from alarm_rule", (java.sql.ResultSet rs) -> {
            rules.computeIfAbsent(rs.getString("type"), k -> new ArrayList<>()).add(ruleRow(rs));
        });
        Map<String, String> parents = new HashMap<>();
        Map<String, Integer> levels = new HashMap<>();
        jdbc.query("select code, parent_code, level from industry", (java.sql.ResultSet rs) -> {
            parents.put(rs.getString("code"), rs.getString("parent_code"));
            levels.put(rs.getString("code"), rs.getInt("level"));
        });
        Map<Long, String[]> enterprises = new HashMap<>();
        jdbc.query("select id, district_code, industry_code from enterprise", (java.sql.ResultSet rs) -> {
            enterprises.put(rs.getLong("id"), new String[]{rs.getString("district_code"), rs.getString("industry_code")});
        });
        Map<Long, Long> facilities = new HashMap<>();
        jdbc.query("select id, enterprise_id from facility", (java.sql.ResultSet rs) -> {
            facilities.put(rs.getLong("id"), rs.getLong("enterprise_id"));
        });
        return new RuleBook(rules, parents, levels, enterprises, facilities);
    }

    /** The rules as {@link #ruleBook()} read them; resolves like {@link #effective} without a query. Thread-safe. */
    public final class RuleBook {
        private final Map<String, List<RuleRow>> rules;
        private final Map<String, String> industryParents;
        private final Map<String, Integer> industryLevels;
        private final Map<Long, String[]> enterprises;
        private final Map<Long, Long> facilities;
        private final Map<String, Map<String, Integer>> chains = new java.util.concurrent.ConcurrentHashMap<>();

        private RuleBook(Map<String, List<RuleRow>> rules, Map<String, String> industryParents,
                         Map<String, Integer> industryLevels, Map<Long, String[]> enterprises, Map<Long, Long> facilities) {
            this.rules = rules;
            this.industryParents = industryParents;
            this.industryLevels = industryLevels;
            this.enterprises = enterprises;
            this.facilities = facilities;
        }

        /** The rule of {@code type} for a facility; null when the facility was not there when the book was read. */
        public EffectiveRule facility(String type, long facilityId) {
            Long enterpriseId = facilities.get(facilityId);
            return enterpriseId == null ? null : resolve(type, enterpriseId, facilityId);
        }

        /** The rule of {@code type} for an enterprise as a whole; null when it was not there when the book was read. */
        public EffectiveRule enterprise(String type, long enterpriseId) {
            return resolve(type, enterpriseId, null);
        }

        private EffectiveRule resolve(String type, long enterpriseId, Long facilityId) {
            String[] e = enterprises.get(enterpriseId);
            if (e == null) {
                return null;
            }
            catalogue.require(type);
            return decide(type, rules.getOrDefault(type, List.of()), chain(e[1]), enterpriseId, facilityId, e[0]);
        }

        private Map<String, Integer> chain(String industry) {
            if (industry == null) {
                return Map.of();
            }
            return chains.computeIfAbsent(industry, code -> {
                Map<String, Integer> up = new HashMap<>();
                for (String c = code; c != null && industryLevels.containsKey(c) && !up.containsKey(c); c = industryParents.get(c)) {
                    up.put(c, industryLevels.get(c));
                }
                return up;
            });
        }
    }

    // ---- API

    public List<Map<String, Object>> list(String type, String scopeLevel, String scopeKey) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        StringBuilder sql = new StringBuilder("""
                select r.id, r.type, t.name as type_name, r.scope_level, r.scope_key, r.enterprise_id, r.params, r.enabled,
                       r.updated_by, r.updated_at
                from alarm_rule r join alarm_type t on t.code = r.type left join enterprise e on e.id = r.enterprise_id
                where (r.enterprise_id is null or\s""").append(scope.enterpriseFilter("e")).append(")");
        if (type != null && !type.isBlank()) {
            sql.append(" and r.type = :type");
            p.addValue("type", type.trim());
        }
        if (scopeLevel != null && !scopeLevel.isBlank()) {
            sql.append(" and r.scope_level = :level");
            p.addValue("level", scopeLevel.trim());
        }
        if (scopeKey != null && !scopeKey.isBlank()) {
            sql.append(" and r.scope_key = :key");
            p.addValue("key", scopeKey.trim());
        }
        sql.append(" order by t.sort_order, r.scope_level, r.scope_key");
        return jdbc.query(sql.toString(), p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("type", rs.getString("type"));
            m.put("typeName", rs.getString("type_name"));
            m.put("scopeLevel", rs.getString("scope_level"));
            m.put("scopeKey", rs.getString("scope_key"));
            m.put("enterpriseId", (Long) rs.getObject("enterprise_id"));
            m.put("params", readTree(rs.getString("params")));
            m.put("enabled", rs.getBoolean("enabled"));
            m.put("updatedBy", rs.getString("updated_by"));
            m.put("updatedAt", AlarmQueries.time(rs.getTimestamp("updated_at")));
            return m;
        });
    }

    /** Creates or replaces the rule of (type, scope). */
    @Transactional
    public Map<String, Object> put(RuleRequest r) {
        if (r == null) {
            throw ApiException.badRequest("type", "报警规则须包含报警类型（type）、适用范围（scopeLevel、scopeKey）和参数（params）");
        }
        catalogue.requireParam("type", r.type());
        if (r.scopeLevel() == null) {
            throw ApiException.badRequest("scopeLevel", "请选择适用范围：GLOBAL（全市）、REGION（区域）、INDUSTRY（行业）、ENTERPRISE（企业）或 FACILITY（设施）");
        }
        String key = r.scopeKey() == null ? "" : r.scopeKey().trim();
        Long enterpriseId = checkScope(r.scopeLevel(), key);
        Map<String, Object> params = validate(r.type().trim(), r.params());
        checks.orderedStream().forEach(c -> c.check(r.type().trim(), params));
        PowerWatchUser user = AccessScope.currentUser();
        long id = jdbc.queryForObject("""
                insert into alarm_rule (type, scope_level, scope_key, enterprise_id, params, enabled, updated_by)
                values (:type, :level, :key, :enterprise, cast(:params as jsonb), :enabled, :user)
                on conflict (type, scope_level, scope_key) do update set params = excluded.params, enabled = excluded.enabled,
                    updated_by = excluded.updated_by, updated_at = now()
                returning id""", new MapSqlParameterSource().addValue("type", r.type().trim()).addValue("level", r.scopeLevel().name())
                .addValue("key", key).addValue("enterprise", enterpriseId).addValue("params", write(params))
                .addValue("enabled", r.enabled() == null || r.enabled()).addValue("user", user.username()), Long.class);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", r.type().trim());
        detail.put("scope", r.scopeLevel() + ":" + key);
        detail.put("params", params);
        detail.put("enabled", r.enabled() == null || r.enabled());
        audit.record("ALARM_RULE_SAVED", "alarm-rule:" + id, detail);
        return list(null, null, null).stream().filter(m -> ((Number) m.get("id")).longValue() == id).findFirst().orElseThrow();
    }

    @Transactional
    public void delete(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select type, scope_level, scope_key from alarm_rule where id = :id",
                Map.of("id", id));
        if (rows.isEmpty()) {
            throw ApiException.notFound("报警规则", id);
        }
        Map<String, Object> r = rows.get(0);
        checkScope(ScopeLevel.valueOf((String) r.get("scope_level")), (String) r.get("scope_key"));
        jdbc.update("delete from alarm_rule where id = :id", Map.of("id", id));
        audit.record("ALARM_RULE_DELETED", "alarm-rule:" + id, Map.of("type", r.get("type"),
                "scope", r.get("scope_level") + ":" + r.get("scope_key")));
    }

    /**
     * Checks the scope key exists and the caller may set rules there: administrators and operators anywhere; district
     * officers for regions, enterprises and facilities within their scope (not city-wide GLOBAL or INDUSTRY rules).
     * Returns the enterprise an ENTERPRISE or FACILITY rule belongs to.
     */
    private Long checkScope(ScopeLevel level, String key) {
        PowerWatchUser user = AccessScope.currentUser();
        AccessScope scope = AccessScope.current();
        boolean officer = user.role() == Role.DISTRICT_OFFICER;
        if (!officer && user.role() != Role.CITY_ADMIN && user.role() != Role.OPERATOR) {
            throw AlarmHandling.forbidden("报警规则只能由管理员、运维人员和区县监管人员设置");
        }
        switch (level) {
            case GLOBAL -> {
                if (!key.isEmpty()) {
                    throw ApiException.badRequest("scopeKey", "全市规则（GLOBAL）的适用对象（scopeKey）须为空");
                }
                if (officer) {
                    throw AlarmHandling.forbidden("全市规则只能由管理员和运维人员设置");
                }
                return null;
            }
            case REGION -> {
                if (!key.matches("\\d{6}") || count("select count(*) from region where code = :k", key) == 0) {
                    throw ApiException.badRequest("scopeKey", "行政区划代码不存在：" + key);
                }
                String prefix = AccessScope.regionPrefix("district", key);
                if (officer && scope.districtPrefixes().stream().noneMatch(prefix::startsWith)) {
                    throw AlarmHandling.forbidden("区域 " + key + " 不在您的管辖范围内");
                }
                return null;
            }
            case INDUSTRY -> {
                if (count("select count(*) from industry where code = :k", key) == 0) {
                    throw ApiException.badRequest("scopeKey", "行业代码不存在：" + key);
                }
                if (officer) {
                    throw AlarmHandling.forbidden("行业规则适用于全市，只能由管理员和运维人员设置");
                }
                return null;
            }
            case ENTERPRISE, FACILITY -> {
                if (!key.matches("\\d{1,18}")) {
                    throw ApiException.badRequest("scopeKey", "适用对象（scopeKey）须为" + (level == ScopeLevel.ENTERPRISE ? "企业" : "设施") + "编号");
                }
                String sql = level == ScopeLevel.ENTERPRISE
                        ? "select e.id, e.district_code from enterprise e where e.id = :id"
                        : "select e.id, e.district_code from facility f join enterprise e on e.id = f.enterprise_id where f.id = :id";
                List<Map<String, Object>> owner = jdbc.queryForList(sql, Map.of("id", Long.parseLong(key)));
                if (owner.isEmpty()) {
                    throw ApiException.badRequest("scopeKey", "编号为 " + key + " 的" + (level == ScopeLevel.ENTERPRISE ? "企业" : "设施") + "不存在");
                }
                long enterprise = ((Number) owner.get(0).get("id")).longValue();
                scope.require((String) owner.get(0).get("district_code"), enterprise);
                return enterprise;
            }
            default -> throw new IllegalStateException();
        }
    }

    private int count(String sql, String key) {
        Integer n = jdbc.queryForObject(sql, Map.of("k", key), Integer.class);
        return n == null ? 0 : n;
    }

    /** Every parameter must be one the type's schema knows, of its kind and within its range. */
    static Map<String, Object> validate(String type, JsonNode params) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (params == null || params.isNull()) {
            return out;
        }
        if (!params.isObject()) {
            throw ApiException.badRequest("params", "参数（params）须为“参数名: 值”的 JSON 对象");
        }
        Map<String, RuleParameter> known = new LinkedHashMap<>();
        AlarmRuleSchema.of(type).forEach(rp -> known.put(rp.name(), rp));
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            RuleParameter rp = known.get(f.getKey());
            String field = "params." + f.getKey();
            if (rp == null) {
                throw ApiException.badRequest(field, "报警类型 " + type + " 没有参数“" + f.getKey() + "”，可用参数：" + String.join("、", known.keySet()));
            }
            JsonNode v = f.getValue();
            switch (rp.kind()) {
                case BOOLEAN -> {
                    if (!v.isBoolean()) {
                        throw ApiException.badRequest(field, name(rp) + "须为 true 或 false");
                    }
                    out.put(rp.name(), v.booleanValue());
                }
                case INTEGER, NUMBER -> {
                    if (!v.isNumber() || (rp.kind() == RuleParameter.Kind.INTEGER && !(v.isIntegralNumber()
                            || v.doubleValue() == Math.rint(v.doubleValue())))) {
                        throw ApiException.badRequest(field, name(rp) + "须为" + (rp.kind() == RuleParameter.Kind.INTEGER
                                ? "整数" : "数字"));
                    }
                    double d = v.doubleValue();
                    if (d < rp.min() || d > rp.max()) {
                        throw ApiException.badRequest(field, name(rp) + "须在 " + fmt(rp.min()) + " 到 " + fmt(rp.max())
                                + unit(rp.unit()) + " 之间");
                    }
                    out.put(rp.name(), value(rp, v));
                }
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }

    /** A parameter as a message names it: 参数“persistMinutes”（条件持续多久才报警…）. */
    private static String name(RuleParameter rp) {
        return "参数“" + rp.name() + "”（" + rp.description() + "）";
    }

    private static String unit(String unit) {
        return switch (unit == null ? "" : unit) {
            case "" -> "";
            case "min" -> " 分钟";
            case "h" -> " 小时";
            case "d" -> " 天";
            case "samples" -> " 个样本";
            case "×" -> " 倍";
            default -> " " + unit;
        };
    }

    private static Object value(RuleParameter rp, JsonNode v) {
        return switch (rp.kind()) {
            case BOOLEAN -> v.asBoolean();
            case INTEGER -> (int) Math.round(v.asDouble());
            case NUMBER -> v.asDouble();
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private JsonNode readTree(String s) {
        try {
            return json.readTree(s == null ? "{}" : s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
