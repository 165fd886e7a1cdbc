package com.powerwatch.platform.datacheck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the rule set: records the run, snapshots the checked enterprises, runs each rule in its own transaction (a
 * failing rule's error is recorded in the run and the others go on), and stores every finding.
 */
@Service
public class DataCheckRunner {

    private static final Logger log = LoggerFactory.getLogger(DataCheckRunner.class);

    /** Display order: the requirement's order inside each category. */
    private static final List<String> ORDER = List.of(
            "EMPTY_CREDIT_CODE", "INDUSTRY_NOT_SUBCLASS", "PRODUCTION_NO_THRESHOLD", "TREATMENT_NO_THRESHOLD",
            "ENTERPRISE_NO_POINT", "NO_TOTAL_METER", "PRODUCTION_NO_FACILITY", "PRODUCTION_FACILITY_NO_POINT",
            "NO_TREATMENT_FACILITY", "TREATMENT_FACILITY_NO_POINT", "NO_DATA_AFTER_GO_LIVE",
            "NEGATIVE_ENERGY", "ENERGY_OVER_25X_MAX_LOAD", "ENERGY_ABNORMALLY_LARGE", "PROD_TREAT_OVER_TOTAL",
            "NEGATIVE_POWER", "CONSTANT_POWER");

    public enum Trigger { MANUAL, SCHEDULED }

    private final List<DataCheckRule> rules;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DataCheckProperties settings;
    private final ObjectMapper json;
    // one run at a time on this node: runs are heavy and two at once would only compete for the same rows
    private final ReentrantLock running = new ReentrantLock();

    public DataCheckRunner(List<DataCheckRule> rules, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx,
                           DataCheckProperties settings, ObjectMapper json) {
        this.rules = rules.stream().sorted(Comparator.comparing(DataCheckRule::category)
                .thenComparing(r -> ORDER.contains(r.code()) ? ORDER.indexOf(r.code()) : ORDER.size())
                .thenComparing(DataCheckRule::code)).toList();
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = settings;
        this.json = json;
    }

    public List<DataCheckRule> rules() {
        return rules;
    }

    public DataCheckProperties settings() {
        return settings;
    }

    /**
     * Runs the given rules (null = all) over the given enterprises (null = all active) for {@code day}.
     * Callers validate the arguments; returns the run's id.
     */
    public long run(Trigger trigger, LocalDate day, List<String> ruleCodes, List<Long> enterpriseIds, String requestedBy) {
        if (!running.tryLock()) {
            throw ApiException.conflict("已有一次数据核查正在进行，请等它完成后再试");
        }
        try {
            return doRun(trigger, day, ruleCodes, enterpriseIds, requestedBy);
        } finally {
            running.unlock();
        }
    }

    private long doRun(Trigger trigger, LocalDate day, List<String> ruleCodes, List<Long> enterpriseIds, String requestedBy) {
        CheckContext ctx = CheckContext.of(day, OffsetDateTime.now(), enterpriseIds, settings);
        List<DataCheckRule> selected = ruleCodes == null ? rules
                : rules.stream().filter(r -> ruleCodes.contains(r.code())).toList();
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("trigger", trigger.name()).addValue("day", day).addValue("checkTime", ctx.checkTime())
                .addValue("rules", arrayLiteral(ruleCodes))
                .addValue("enterprises", arrayLiteral(enterpriseIds))
                .addValue("requestedBy", requestedBy);
        long runId = jdbc.queryForObject("""
                insert into data_check_run (trigger, check_day, check_time, rules, enterprise_ids, requested_by)
                values (:trigger, :day, :checkTime, cast(:rules as text[]), cast(:enterprises as bigint[]), :requestedBy) returning id""", p, Long.class);
        try {
            Map<Long, String[]> checked = snapshotEnterprises(runId, ctx);
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            for (DataCheckRule rule : selected) {
                try {
                    Integer n = tx.execute(status -> store(runId, ctx, rule, rule.run(ctx), checked));
                    counts.put(rule.code(), n);
                } catch (RuntimeException e) {
                    log.warn("data-check rule {} failed in run {}", rule.code(), runId, e);
                    errors.put(rule.code(), String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
                }
            }
            String status = errors.isEmpty() ? "SUCCEEDED" : errors.size() == selected.size() ? "FAILED" : "PARTIAL";
            jdbc.update("""
                    update data_check_run set finished_at = now(), status = :status, enterprises_checked = :checked,
                           finding_count = :findings, findings_by_rule = cast(:byRule as jsonb), rule_errors = cast(:errors as jsonb)
                    where id = :id""", new MapSqlParameterSource().addValue("status", status)
                    .addValue("checked", checked.size()).addValue("findings", counts.values().stream().mapToInt(i -> i).sum())
                    .addValue("byRule", write(counts)).addValue("errors", write(errors)).addValue("id", runId));
            log.info("data-check run {} ({}, {}): {} enterprises, {} findings, {} rule errors", runId, trigger, day,
                    checked.size(), counts.values().stream().mapToInt(i -> i).sum(), errors.size());
            return runId;
        } catch (RuntimeException e) {
            jdbc.update("update data_check_run set finished_at = now(), status = 'FAILED', error = :error where id = :id",
                    new MapSqlParameterSource().addValue("error", e.toString()).addValue("id", runId));
            throw e;
        }
    }

    /** Records which enterprises this run checks (name and district as of now); returns id → [name, district]. */
    private Map<Long, String[]> snapshotEnterprises(long runId, CheckContext ctx) {
        Map<String, Object> p = ctx.parameters();
        p.put("runId", runId);
        Map<Long, String[]> out = new HashMap<>();
        jdbc.query("""
                insert into data_check_run_enterprise (run_id, enterprise_id, enterprise_name, district_code)
                select :runId, e.id, e.name, e.district_code from enterprise e where %s
                returning enterprise_id, enterprise_name, district_code""".formatted(ctx.enterpriseFilter("e")), p,
                rs -> {
                    out.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                });
        return out;
    }

    private int store(long runId, CheckContext ctx, DataCheckRule rule, List<Finding> findings, Map<Long, String[]> checked) {
        List<MapSqlParameterSource> rows = new ArrayList<>();
        for (Finding f : findings) {
            String[] enterprise = checked.get(f.enterpriseId());
            if (enterprise == null) {
                continue; // became active after the snapshot: checked next time
            }
            rows.add(new MapSqlParameterSource().addValue("run", runId).addValue("rule", rule.code())
                    .addValue("category", rule.category().name()).addValue("severity", rule.severity().name())
                    .addValue("enterprise", f.enterpriseId()).addValue("enterpriseName", enterprise[0])
                    .addValue("district", enterprise[1]).addValue("objectType", f.objectType().name())
                    .addValue("objectId", f.objectId()).addValue("objectName", f.objectName())
                    .addValue("day", ctx.day()).addValue("evidence", f.evidence() == null ? "{}" : f.evidence()));
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("""
                    insert into data_check_finding (run_id, rule, category, severity, enterprise_id, enterprise_name,
                        district_code, object_type, object_id, object_name, check_day, evidence)
                    values (:run, :rule, :category, :severity, :enterprise, :enterpriseName, :district, :objectType,
                        :objectId, :objectName, :day, cast(:evidence as jsonb))""", rows.toArray(MapSqlParameterSource[]::new));
        }
        return rows.size();
    }

    /** Deletes runs (and their findings) started more than retention-days ago; returns how many. */
    public int deleteOldRuns() {
        return jdbc.update("delete from data_check_run where started_at < now() - make_interval(days => :days)",
                Map.of("days", settings.retentionDays()));
    }

    /** A PostgreSQL array literal (rule codes and ids only, which need no quoting); null stays null. */
    private static String arrayLiteral(List<?> values) {
        return values == null ? null : "{" + String.join(",", values.stream().map(String::valueOf).toList()) + "}";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
