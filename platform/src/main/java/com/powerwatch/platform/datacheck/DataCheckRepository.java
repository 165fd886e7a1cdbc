package com.powerwatch.platform.datacheck;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads of runs and findings. Every count and list is filtered in SQL by the caller's {@link AccessScope} through a
 * join to the enterprise table (alias e): a district officer sees only findings of enterprises in their regions, an
 * enterprise user only its own. Run metadata (day, status, rule errors) is not enterprise data and is visible to all.
 */
@Repository
public class DataCheckRepository {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public DataCheckRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Run(long id, String trigger, LocalDate checkDay, OffsetDateTime checkTime, List<String> rules,
                      List<Long> enterpriseIds, String requestedBy, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                      String status, long enterprisesChecked, long findings, Map<String, Long> findingsByRule,
                      Map<String, Object> ruleErrors, String error) {
    }

    public record Page<T>(List<T> items, long total, int page, int size) {
    }

    private static Map<String, Object> scoped(AccessScope scope) {
        return new HashMap<>(scope.parameters());
    }

    /** Scoped counts of a run (alias r): enterprises checked, findings. */
    private static String runColumns(AccessScope scope) {
        return """
                r.*,
                (select count(*) from data_check_run_enterprise re join enterprise e on e.id = re.enterprise_id
                  where re.run_id = r.id and %1$s) as scoped_enterprises,
                (select count(*) from data_check_finding f join enterprise e on e.id = f.enterprise_id
                  where f.run_id = r.id and %1$s) as scoped_findings""".formatted(scope.enterpriseFilter("e"));
    }

    public Page<Run> runs(AccessScope scope, int page, int size) {
        Map<String, Object> p = scoped(scope);
        p.put("limit", size);
        p.put("offset", (long) page * size);
        List<Run> items = jdbc.query("select " + runColumns(scope)
                + " from data_check_run r order by r.started_at desc, r.id desc limit :limit offset :offset", p, (rs, i) -> run(rs, null));
        Long total = jdbc.queryForObject("select count(*) from data_check_run", Map.of(), Long.class);
        return new Page<>(items, total == null ? 0 : total, page, size);
    }

    /** One run with its scoped per-rule counts; 404 when unknown. */
    public Run run(AccessScope scope, long id) {
        Map<String, Object> p = scoped(scope);
        p.put("id", id);
        Map<String, Long> byRule = new LinkedHashMap<>();
        jdbc.query("""
                select f.rule, count(*) from data_check_finding f join enterprise e on e.id = f.enterprise_id
                where f.run_id = :id and %s group by f.rule order by f.rule""".formatted(scope.enterpriseFilter("e")), p,
                rs -> {
                    byRule.put(rs.getString(1), rs.getLong(2));
                });
        List<Run> found = jdbc.query("select " + runColumns(scope) + " from data_check_run r where r.id = :id", p,
                (rs, i) -> run(rs, byRule));
        if (found.isEmpty()) {
            throw ApiException.notFound("数据核查记录", id);
        }
        return found.get(0);
    }

    /**
     * "latest" = the newest finished run over all rules and all enterprises (the daily run or a full manual run);
     * when there is none, the newest finished run of any kind. A number = that run.
     */
    public long resolveRun(String run) {
        if (run == null || run.isBlank() || run.equals("latest")) {
            List<Long> ids = jdbc.queryForList("""
                    select id from data_check_run where finished_at is not null
                    order by (rules is null and enterprise_ids is null) desc, started_at desc, id desc limit 1""",
                    Map.of(), Long.class);
            if (ids.isEmpty()) {
                throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "还没有数据核查记录");
            }
            return ids.get(0);
        }
        long id;
        try {
            id = Long.parseLong(run);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("run", "核查记录须为记录编号或 latest（最近一次）");
        }
        Boolean exists = jdbc.queryForObject("select exists (select 1 from data_check_run where id = :id)", Map.of("id", id), Boolean.class);
        if (!Boolean.TRUE.equals(exists)) {
            throw ApiException.notFound("数据核查记录", id);
        }
        return id;
    }

    public record DistrictSummary(String districtCode, String districtName, long enterprisesChecked,
                                  long enterprisesWithFindings, long findings, Map<String, Long> byRule,
                                  Map<String, Long> byCategory) {
    }

    /** Per district of the run's enterprise snapshot: checked, with findings, findings per rule and per category. */
    public List<DistrictSummary> summary(AccessScope scope, long runId) {
        Map<String, Object> p = scoped(scope);
        p.put("run", runId);
        String filter = scope.enterpriseFilter("e");
        Map<String, Map<String, Long>> byRule = new HashMap<>();
        Map<String, Map<String, Long>> byCategory = new HashMap<>();
        jdbc.query("""
                select f.district_code, f.rule, f.category, count(*)
                from data_check_finding f join enterprise e on e.id = f.enterprise_id
                where f.run_id = :run and %s
                group by f.district_code, f.rule, f.category""".formatted(filter), p, rs -> {
            String d = rs.getString(1);
            byRule.computeIfAbsent(d, k -> new TreeMap<>()).merge(rs.getString(2), rs.getLong(4), Long::sum);
            byCategory.computeIfAbsent(d, k -> new TreeMap<>()).merge(rs.getString(3), rs.getLong(4), Long::sum);
        });
        return jdbc.query("""
                select re.district_code, rg.name as district_name, count(*) as checked,
                       count(*) filter (where exists (select 1 from data_check_finding f where f.run_id = re.run_id
                                                      and f.enterprise_id = re.enterprise_id)) as with_findings,
                       (select count(*) from data_check_finding f join enterprise e2 on e2.id = f.enterprise_id
                         where f.run_id = re.run_id and f.district_code = re.district_code and %s) as findings
                from data_check_run_enterprise re
                join enterprise e on e.id = re.enterprise_id
                left join region rg on rg.code = re.district_code
                where re.run_id = :run and %s
                group by re.run_id, re.district_code, rg.name
                order by re.district_code""".formatted(scope.enterpriseFilter("e2"), filter), p, (rs, i) -> {
            String d = rs.getString("district_code");
            return new DistrictSummary(d, rs.getString("district_name"), rs.getLong("checked"), rs.getLong("with_findings"),
                    rs.getLong("findings"), byRule.getOrDefault(d, Map.of()), byCategory.getOrDefault(d, Map.of()));
        });
    }

    public record EnterpriseRow(long enterpriseId, String enterpriseName, String districtCode, String districtName,
                                long findings, Map<String, Long> byRule) {
    }

    /** Sort keys of the per-enterprise list and their SQL. */
    public static final Map<String, String> ENTERPRISE_SORTS = Map.of(
            "findings", "findings", "name", "re.enterprise_name", "district", "re.district_code", "enterpriseId", "re.enterprise_id");

    public Page<EnterpriseRow> enterprises(AccessScope scope, long runId, String district, String rule, boolean onlyWithFindings,
                                           String sort, boolean descending, int page, int size) {
        Map<String, Object> p = scoped(scope);
        p.put("run", runId);
        p.put("limit", size);
        p.put("offset", (long) page * size);
        StringBuilder where = new StringBuilder("re.run_id = :run and " + scope.enterpriseFilter("e"));
        if (district != null) {
            where.append(" and re.district_code = :district");
            p.put("district", district);
        }
        if (rule != null) {
            where.append(" and exists (select 1 from data_check_finding f where f.run_id = re.run_id and f.enterprise_id = re.enterprise_id and f.rule = :rule)");
            p.put("rule", rule);
        } else if (onlyWithFindings) {
            where.append(" and exists (select 1 from data_check_finding f where f.run_id = re.run_id and f.enterprise_id = re.enterprise_id)");
        }
        String from = " from data_check_run_enterprise re join enterprise e on e.id = re.enterprise_id"
                + " left join region rg on rg.code = re.district_code where " + where;
        String order = ENTERPRISE_SORTS.get(sort) + (descending ? " desc" : " asc") + ", re.enterprise_id";
        List<EnterpriseRow> items = jdbc.query("""
                select re.enterprise_id, re.enterprise_name, re.district_code, rg.name as district_name,
                       (select count(*) from data_check_finding f where f.run_id = re.run_id and f.enterprise_id = re.enterprise_id) as findings,
                       (select jsonb_object_agg(x.rule, x.n) from (select f.rule, count(*) as n from data_check_finding f
                          where f.run_id = re.run_id and f.enterprise_id = re.enterprise_id group by f.rule) x)::text as by_rule
                """ + from + " order by " + order + " limit :limit offset :offset", p, (rs, i) -> new EnterpriseRow(
                rs.getLong("enterprise_id"), rs.getString("enterprise_name"), rs.getString("district_code"),
                rs.getString("district_name"), rs.getLong("findings"), longs(rs.getString("by_rule"))));
        Long total = jdbc.queryForObject("select count(*)" + from, p, Long.class);
        return new Page<>(items, total == null ? 0 : total, page, size);
    }

    public record FindingRow(long id, long runId, String rule, String ruleName, String category, String severity,
                             long enterpriseId, String enterpriseName, String districtCode, String objectType,
                             long objectId, String objectName, LocalDate checkDay, Map<String, Object> evidence) {
    }

    public Page<FindingRow> findings(AccessScope scope, long runId, String rule, String category, String district,
                                     Long enterprise, Map<String, String> ruleNames, int page, int size) {
        Map<String, Object> p = scoped(scope);
        p.put("run", runId);
        p.put("limit", size);
        p.put("offset", (long) page * size);
        StringBuilder where = new StringBuilder("f.run_id = :run and " + scope.enterpriseFilter("e"));
        if (rule != null) {
            where.append(" and f.rule = :rule");
            p.put("rule", rule);
        }
        if (category != null) {
            where.append(" and f.category = :category");
            p.put("category", category);
        }
        if (district != null) {
            where.append(" and f.district_code = :district");
            p.put("district", district);
        }
        if (enterprise != null) {
            where.append(" and f.enterprise_id = :enterprise");
            p.put("enterprise", enterprise);
        }
        String from = " from data_check_finding f join enterprise e on e.id = f.enterprise_id where " + where;
        List<FindingRow> items = jdbc.query("select f.*, f.evidence::text as evidence_text" + from
                + " order by f.district_code, f.enterprise_id, f.rule, f.object_id limit :limit offset :offset", p, (rs, i) ->
                new FindingRow(rs.getLong("id"), rs.getLong("run_id"), rs.getString("rule"),
                        ruleNames.get(rs.getString("rule")), rs.getString("category"), rs.getString("severity"),
                        rs.getLong("enterprise_id"), rs.getString("enterprise_name"), rs.getString("district_code"),
                        rs.getString("object_type"), rs.getLong("object_id"), rs.getString("object_name"),
                        rs.getObject("check_day", LocalDate.class), map(rs.getString("evidence_text"))));
        Long total = jdbc.queryForObject("select count(*)" + from, p, Long.class);
        return new Page<>(items, total == null ? 0 : total, page, size);
    }

    /** Ids among {@code ids} that are not active enterprises. */
    public List<Long> notActiveEnterprises(List<Long> ids) {
        List<Long> active = jdbc.queryForList("select id from enterprise where status = 'ACTIVE' and id in (:ids)",
                Map.of("ids", ids), Long.class);
        return ids.stream().filter(id -> !active.contains(id)).toList();
    }

    private Run run(ResultSet rs, Map<String, Long> byRule) throws SQLException {
        java.sql.Array rules = rs.getArray("rules");
        java.sql.Array enterprises = rs.getArray("enterprise_ids");
        return new Run(rs.getLong("id"), rs.getString("trigger"), rs.getObject("check_day", LocalDate.class),
                rs.getObject("check_time", OffsetDateTime.class),
                rules == null ? null : Arrays.asList((String[]) rules.getArray()),
                enterprises == null ? null : Arrays.asList((Long[]) enterprises.getArray()),
                rs.getString("requested_by"), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class), rs.getString("status"),
                rs.getLong("scoped_enterprises"), rs.getLong("scoped_findings"), byRule,
                map(rs.getString("rule_errors")), rs.getString("error"));
    }

    private Map<String, Object> map(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, MAP);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON is not an object: " + text, e);
        }
    }

    private Map<String, Long> longs(String text) {
        Map<String, Long> out = new TreeMap<>();
        map(text).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }
}
