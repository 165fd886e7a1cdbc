package com.powerwatch.platform.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.analysis.ThresholdLearner;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learned thresholds proposed to an operator (docs/registry.md "Learned thresholds", docs/analysis-models.md §8):
 * reads a facility's history from point_sample, runs the {@link ThresholdLearner}, stores the proposal; accepting
 * writes the thresholds and the normal running value to the facility in one transaction (audit-logged) and
 * reloads the registry snapshot so the engine uses them at once.
 */
@Service
public class ThresholdProposals {

    private static final Logger log = LoggerFactory.getLogger(ThresholdProposals.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    /** The telemetry's bucket origin (China midnight), so grid buckets line up with point_agg's. */
    private static final String ORIGIN = "2000-01-03 00:00:00+08";
    static final Set<String> STATUSES = Set.of("PROPOSED", "ACCEPTED", "REJECTED", "SUPERSEDED");
    private static final String VIEW = """
            select t.id, t.facility_id, f.name as facility_name, f.kind, f.enterprise_id, e.name as enterprise_name,
                   e.district_code, t.computed_at, t.window_from, t.window_to, t.quantity, t.stop_below, t.run_above,
                   t.normal_running, t.abnormal_below, t.quality::text as quality, t.trigger, t.requested_by, t.status,
                   t.decided_by, t.decided_at, t.note, t.accepted::text as accepted, t.previous::text as previous,
                   f.threshold_quantity as cur_quantity, f.stop_below as cur_stop, f.run_above as cur_run,
                   f.abnormal_below as cur_abnormal, f.normal_running as cur_normal, f.rated_kw
            from threshold_proposal t join facility f on f.id = t.facility_id join enterprise e on e.id = f.enterprise_id""";

    public record ComputeRequest(@Min(value = 1, message = "学习天数至少为 1 天") Integer days) {
    }

    /** Fields left out (null) take the proposal's values. */
    public record AcceptRequest(@PositiveOrZero(message = "停机阈值不能为负数") Double stopBelow,
                                @PositiveOrZero(message = "运行阈值不能为负数") Double runAbove,
                                @PositiveOrZero(message = "异常低阈值不能为负数") Double abnormalBelow,
                                @Positive(message = "正常运行值须大于 0") Double normalRunning,
                                @Size(max = 1000, message = "备注不能超过1000个字") String note) {
    }

    public record RejectRequest(@NotBlank(message = "请填写驳回理由") @Size(max = 1000, message = "驳回理由不能超过1000个字") String note) {
    }

    /** What one learning attempt gave: the stored proposal's id, or the refusal. */
    public record Outcome(Long proposalId, ThresholdLearner.Refusal refusal) {
    }

    /** A scheduled run: facilities looked at, proposals stored, refusals (not stored; logged). */
    public record RunSummary(int facilities, int proposed, int refused, int failed) {
    }

    private record Facts(String kind, String quantity, Double ratedKw, List<Long> points) {
    }

    private record History(List<ThresholdLearner.Sample> samples, int points, int incompleteBuckets) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RegistryAccess access;
    private final AlarmRules rules;
    private final AuditLog audit;
    private final TelemetryRegistry telemetry;
    private final ThresholdLearningProperties props;
    private final ThresholdLearner learner;
    private final ObjectMapper json;

    public ThresholdProposals(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, RegistryAccess access, AlarmRules rules,
                              AuditLog audit, TelemetryRegistry telemetry, ThresholdLearningProperties props, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.access = access;
        this.rules = rules;
        this.audit = audit;
        this.telemetry = telemetry;
        this.props = props;
        this.learner = new ThresholdLearner(props.learnerSettings());
        this.json = json;
    }

    // ------------------------------------------------------------------------------------------ compute

    /** Learns now for a facility in the caller's scope; 422 CANNOT_LEARN with the reason when the history does not allow it. */
    public Map<String, Object> compute(long facilityId, Integer days) {
        access.facility(facilityId);
        int d = days == null ? props.days() : days;
        if (d < 1 || d > props.maxDays()) {
            throw ApiException.badRequest("days", "学习天数须在 1 到 " + props.maxDays() + " 之间，收到：" + d);
        }
        Outcome o = propose(facilityId, d, "MANUAL", AccessScope.currentUser().username());
        if (o.refusal() != null) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "CANNOT_LEARN", o.refusal().message());
        }
        return view(o.proposalId());
    }

    /**
     * Reads the last {@code days} of the facility's history, learns, and stores a PROPOSED row that supersedes the
     * facility's open one. No scope check: the scheduled run calls this as the system.
     */
    public Outcome propose(long facilityId, int days, String trigger, String requestedBy) {
        Facts f = facts(facilityId);
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(days));
        Duration grid = props.gridFor(days);
        if (f.points().isEmpty()) {
            return new Outcome(null, new ThresholdLearner.Refusal(ThresholdLearner.Reason.TOO_FEW_SAMPLES,
                    "无法学习：设施没有在用的监测点", null));
        }
        History h = history(f, from, to, grid);
        double k = abnormalRatio(facilityId);
        ThresholdLearner.Result r = learner.learn(h.samples(),
                new ThresholdLearner.Facility(f.quantity(), "TREATMENT".equals(f.kind()), f.ratedKw(), k));
        if (r instanceof ThresholdLearner.Refusal refusal) {
            return new Outcome(null, refusal);
        }
        ThresholdLearner.Proposal p = (ThresholdLearner.Proposal) r;
        Map<String, Object> quality = p.quality().toMap();
        quality.put("firstSample", time(p.quality().from()));
        quality.put("lastSample", time(p.quality().to()));
        quality.put("points", h.points());
        quality.put("gridSeconds", grid.toSeconds());
        quality.put("incompleteBuckets", h.incompleteBuckets());
        quality.put("abnormalFraction", k);
        MapSqlParameterSource params = new MapSqlParameterSource("f", facilityId)
                .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)).addValue("q", p.quantity())
                .addValue("stop", p.stopBelow()).addValue("run", p.runAbove()).addValue("normal", p.normalRunning())
                .addValue("abnormal", p.abnormalBelow()).addValue("quality", toJson(quality))
                .addValue("trigger", trigger).addValue("by", requestedBy);
        Long id = tx.execute(s -> {
            // the facility row lock serialises proposals and decisions of one facility
            jdbc.queryForObject("select id from facility where id = :f for update", params, Long.class);
            jdbc.update("update threshold_proposal set status = 'SUPERSEDED' where facility_id = :f and status = 'PROPOSED'", params);
            return jdbc.queryForObject("""
                    insert into threshold_proposal (facility_id, window_from, window_to, quantity, stop_below, run_above,
                        normal_running, abnormal_below, quality, trigger, requested_by)
                    values (:f, :from, :to, :q, :stop, :run, :normal, :abnormal, cast(:quality as jsonb), :trigger, :by)
                    returning id""", params, Long.class);
        });
        return new Outcome(id, null);
    }

    private Facts facts(long facilityId) {
        List<Map<String, Object>> found = jdbc.queryForList("select kind, threshold_quantity, rated_kw from facility where id = :f",
                Map.of("f", facilityId));
        if (found.isEmpty()) {
            throw ApiException.notFound("设施", facilityId);
        }
        Map<String, Object> f = found.get(0);
        List<Long> points = jdbc.queryForList("select id from monitoring_point where facility_id = :f and status = 'ACTIVE' order by id",
                Map.of("f", facilityId), Long.class);
        return new Facts((String) f.get("kind"), (String) f.get("threshold_quantity"), (Double) f.get("rated_kw"), points);
    }

    /**
     * The facility's value per grid bucket: each point's mean over the bucket (valid samples only), summed over the
     * points — as the engine sums its meters. A bucket counts only when every point that reported in the window has
     * a value in it (a silent meter would otherwise fake a low level). For I the point's value is the mean of its
     * reported phase currents.
     */
    private History history(Facts f, Instant from, Instant to, Duration grid) {
        String value = "I".equals(f.quantity())
                ? "(coalesce(s.ia, 0) + coalesce(s.ib, 0) + coalesce(s.ic, 0)) / nullif((s.ia is not null)::int + (s.ib is not null)::int + (s.ic is not null)::int, 0)"
                : "s.p";
        MapSqlParameterSource p = new MapSqlParameterSource("points", f.points()).addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to)).addValue("grid", grid.toSeconds() + " seconds");
        int[] pointsSeen = {0};
        int[] incomplete = {0};
        List<ThresholdLearner.Sample> samples = new ArrayList<>();
        jdbc.query("""
                with b as (
                  select date_bin(cast(:grid as interval), s.ts, timestamptz '%s') as bucket, s.point_id, avg(%s) as v
                  from point_sample s
                  where s.point_id in (:points) and s.ts >= :from and s.ts < :to and not s.invalid and %s is not null
                  group by 1, 2)
                select bucket, sum(v), count(*), (select count(distinct point_id) from b) from b group by bucket order by bucket"""
                .formatted(ORIGIN, value, value), p, rs -> {
            pointsSeen[0] = rs.getInt(4);
            if (rs.getInt(3) == pointsSeen[0]) {
                samples.add(new ThresholdLearner.Sample(rs.getTimestamp(1).getTime(), rs.getDouble(2)));
            } else {
                incomplete[0]++;
            }
        });
        return new History(samples, pointsSeen[0], incomplete[0]);
    }

    /** k of TREATMENT_ABNORMAL in force for the facility: the same fraction the engine applies to the normal value. */
    private double abnormalRatio(long facilityId) {
        return rules.effective("TREATMENT_ABNORMAL", facilityId).number("abnormalRatio");
    }

    // ------------------------------------------------------------------------------------------ read

    public Map<String, Object> get(long proposalId) {
        access.thresholdProposal(proposalId);
        return view(proposalId);
    }

    public List<Map<String, Object>> ofFacility(long facilityId) {
        access.facility(facilityId);
        return jdbc.query(VIEW + " where t.facility_id = :f order by t.computed_at desc, t.id desc limit 200",
                Map.of("f", facilityId), this::row);
    }

    /** The review list: proposals of the enterprises in the caller's scope, newest first, paged. */
    public EnterpriseService.Page list(String status, String districtCode, Long enterpriseId, int page, int size) {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        StringBuilder where = new StringBuilder(" where ").append(scope.enterpriseFilter("e"));
        if (status != null && !status.isBlank()) {
            String s = status.trim().toUpperCase();
            if (!STATUSES.contains(s)) {
                throw ApiException.badRequest("status", "状态须为 PROPOSED（待审核）、ACCEPTED（已接受）、REJECTED（已驳回）或 SUPERSEDED（已被取代），收到：" + status);
            }
            where.append(" and t.status = :status");
            p.addValue("status", s);
        }
        if (districtCode != null && !districtCode.isBlank()) {
            where.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("districtCode", districtCode) + "%");
        }
        if (enterpriseId != null) {
            where.append(" and e.id = :enterprise");
            p.addValue("enterprise", enterpriseId);
        }
        int safeSize = Math.max(1, Math.min(size, 500));
        int safePage = Math.max(0, page);
        p.addValue("limit", safeSize).addValue("offset", (long) safePage * safeSize);
        String from = " from threshold_proposal t join facility f on f.id = t.facility_id join enterprise e on e.id = f.enterprise_id";
        Long total = jdbc.queryForObject("select count(*)" + from + where, p, Long.class);
        List<Map<String, Object>> items = jdbc.query(VIEW + where + " order by t.computed_at desc, t.id desc limit :limit offset :offset",
                p, this::row);
        return new EnterpriseService.Page(items, total == null ? 0 : total, safePage, safeSize);
    }

    private Map<String, Object> view(long proposalId) {
        return jdbc.queryForObject(VIEW + " where t.id = :id", Map.of("id", proposalId), this::row);
    }

    private Map<String, Object> row(ResultSet rs, int i) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("facilityId", rs.getLong("facility_id"));
        m.put("facilityName", rs.getString("facility_name"));
        m.put("kind", rs.getString("kind"));
        m.put("enterpriseId", rs.getLong("enterprise_id"));
        m.put("enterpriseName", rs.getString("enterprise_name"));
        m.put("districtCode", rs.getString("district_code"));
        m.put("status", rs.getString("status"));
        m.put("computedAt", time(rs.getTimestamp("computed_at")));
        m.put("windowFrom", time(rs.getTimestamp("window_from")));
        m.put("windowTo", time(rs.getTimestamp("window_to")));
        m.put("quantity", rs.getString("quantity"));
        m.put("unit", "I".equals(rs.getString("quantity")) ? "A" : "kW");
        m.put("stopBelow", rs.getObject("stop_below"));
        m.put("runAbove", rs.getObject("run_above"));
        m.put("normalRunning", rs.getObject("normal_running"));
        m.put("abnormalBelow", rs.getObject("abnormal_below"));
        m.put("quality", fromJson(rs.getString("quality")));
        m.put("trigger", rs.getString("trigger"));
        m.put("requestedBy", rs.getString("requested_by"));
        m.put("decidedBy", rs.getString("decided_by"));
        m.put("decidedAt", time(rs.getTimestamp("decided_at")));
        m.put("note", rs.getString("note"));
        m.put("accepted", fromJson(rs.getString("accepted")));
        m.put("previous", fromJson(rs.getString("previous")));
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("thresholdQuantity", rs.getString("cur_quantity"));
        current.put("stopBelow", rs.getObject("cur_stop"));
        current.put("runAbove", rs.getObject("cur_run"));
        current.put("abnormalBelow", rs.getObject("cur_abnormal"));
        current.put("normalRunning", rs.getObject("cur_normal"));
        current.put("ratedKw", rs.getObject("rated_kw"));
        m.put("facilityNow", current);
        return m;
    }

    // ------------------------------------------------------------------------------------------ decide

    /**
     * Writes the proposal's values (or the operator's edits of them) to the facility, marks the proposal ACCEPTED,
     * all in one transaction with its audit row; then reloads the registry snapshot.
     */
    public Map<String, Object> accept(long proposalId, AcceptRequest body) {
        access.thresholdProposal(proposalId);
        PowerWatchUser user = AccessScope.currentUser();
        AcceptRequest edit = body == null ? new AcceptRequest(null, null, null, null, null) : body;
        tx.executeWithoutResult(s -> {
            Map<String, Object> prop = openProposal(proposalId, "接受");
            long facilityId = ((Number) prop.get("facility_id")).longValue();
            Map<String, Object> fac = jdbc.queryForMap("""
                    select kind, threshold_quantity, rated_kw, stop_below, run_above, abnormal_below, normal_running
                    from facility where id = :f for update""", Map.of("f", facilityId));
            if (!fac.get("threshold_quantity").equals(prop.get("quantity"))) {
                throw ApiException.conflict("设施的阈值量已从 " + prop.get("quantity") + " 改为 " + fac.get("threshold_quantity")
                        + "，此提案不再适用，请重新计算");
            }
            boolean treatment = "TREATMENT".equals(fac.get("kind"));
            double stop = edit.stopBelow() != null ? edit.stopBelow() : ((Number) prop.get("stop_below")).doubleValue();
            double run = edit.runAbove() != null ? edit.runAbove() : ((Number) prop.get("run_above")).doubleValue();
            double normal = edit.normalRunning() != null ? edit.normalRunning() : ((Number) prop.get("normal_running")).doubleValue();
            Double abnormal = edit.abnormalBelow() != null ? edit.abnormalBelow() : (Double) prop.get("abnormal_below");
            // the registry's threshold rules (FacilityService.validate)
            if (stop > run) {
                throw ApiException.badRequest("stopBelow", "停机阈值（" + stop + "）不能大于运行阈值（" + run + "）");
            }
            if (abnormal != null && !treatment) {
                throw ApiException.badRequest("abnormalBelow", "异常低阈值只适用于治污设施");
            }
            if (abnormal != null && abnormal < run) {
                throw ApiException.badRequest("abnormalBelow", "异常低阈值（" + abnormal + "）须不小于运行阈值（" + run + "）");
            }
            Double rated = (Double) fac.get("rated_kw");
            if ("P".equals(prop.get("quantity")) && rated != null && run > rated) {
                throw ApiException.badRequest("runAbove", "运行阈值（" + run + " kW）超过额定功率（" + rated + " kW）");
            }
            Map<String, Object> before = thresholds(fac.get("stop_below"), fac.get("run_above"), fac.get("abnormal_below"),
                    fac.get("normal_running"));
            Map<String, Object> after = thresholds(stop, run, abnormal, normal);
            MapSqlParameterSource p = new MapSqlParameterSource("f", facilityId).addValue("id", proposalId)
                    .addValue("stop", stop).addValue("run", run).addValue("abnormal", abnormal).addValue("normal", normal)
                    .addValue("by", user.username()).addValue("uid", user.id()).addValue("note", blankToNull(edit.note()))
                    .addValue("accepted", toJson(after)).addValue("previous", toJson(before));
            jdbc.update("""
                    update facility set stop_below = :stop, run_above = :run, abnormal_below = :abnormal, normal_running = :normal,
                        updated_at = now()
                    where id = :f""", p);
            jdbc.update("""
                    update threshold_proposal set status = 'ACCEPTED', decided_by = :by, decided_by_user_id = :uid, decided_at = now(),
                        note = :note, accepted = cast(:accepted as jsonb), previous = cast(:previous as jsonb)
                    where id = :id""", p);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("proposalId", proposalId);
            detail.put("quantity", prop.get("quantity"));
            detail.put("before", before);
            detail.put("after", after);
            detail.put("edited", edit.stopBelow() != null || edit.runAbove() != null || edit.abnormalBelow() != null
                    || edit.normalRunning() != null);
            detail.put("note", blankToNull(edit.note()));
            audit.record("THRESHOLD_PROPOSAL_ACCEPTED", "facility:" + facilityId, detail);
        });
        refreshRegistry();
        return view(proposalId);
    }

    public Map<String, Object> reject(long proposalId, RejectRequest body) {
        access.thresholdProposal(proposalId);
        PowerWatchUser user = AccessScope.currentUser();
        tx.executeWithoutResult(s -> {
            Map<String, Object> prop = openProposal(proposalId, "驳回");
            jdbc.update("""
                    update threshold_proposal set status = 'REJECTED', decided_by = :by, decided_by_user_id = :uid,
                        decided_at = now(), note = :note
                    where id = :id""", new MapSqlParameterSource("id", proposalId).addValue("by", user.username())
                    .addValue("uid", user.id()).addValue("note", body.note().trim()));
            audit.record("THRESHOLD_PROPOSAL_REJECTED", "facility:" + prop.get("facility_id"),
                    Map.of("proposalId", proposalId, "note", body.note().trim()));
        });
        return view(proposalId);
    }

    /** The proposal row, locked; 409 unless it is still PROPOSED. */
    private Map<String, Object> openProposal(long proposalId, String action) {
        Map<String, Object> prop = jdbc.queryForMap("select * from threshold_proposal where id = :id for update",
                Map.of("id", proposalId));
        if (!"PROPOSED".equals(prop.get("status"))) {
            throw ApiException.conflict("阈值提案 " + proposalId + " 的状态是 " + prop.get("status") + "，只有待审核（PROPOSED）的提案可以" + action);
        }
        return prop;
    }

    /** The engine reads thresholds from the registry snapshot: reload it now rather than at the next poll. */
    private void refreshRegistry() {
        try {
            telemetry.refresh();
        } catch (RuntimeException e) {
            log.warn("registry reload after accepting thresholds failed (the poller will retry): {}", e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ scheduled

    /**
     * For every active facility with neither stop_below nor run_above and at least one active point: a new proposal,
     * unless an open one is younger than {@code keepOpenFor} or one was rejected within {@code quietAfterRejection}.
     */
    public RunSummary proposeWhereThresholdsAreMissing() {
        List<Long> ids = jdbc.queryForList("""
                select f.id from facility f
                where f.status = 'ACTIVE' and f.stop_below is null and f.run_above is null
                  and exists (select 1 from monitoring_point p where p.facility_id = f.id and p.status = 'ACTIVE')
                  and not exists (select 1 from threshold_proposal t where t.facility_id = f.id and t.status = 'PROPOSED'
                                  and t.computed_at > now() - cast(:keep as interval))
                  and not exists (select 1 from threshold_proposal t where t.facility_id = f.id and t.status = 'REJECTED'
                                  and t.decided_at > now() - cast(:quiet as interval))
                order by f.id""", new MapSqlParameterSource("keep", props.keepOpenFor().toSeconds() + " seconds")
                .addValue("quiet", props.quietAfterRejection().toSeconds() + " seconds"), Long.class);
        int proposed = 0;
        int refused = 0;
        int failed = 0;
        for (Long id : ids) {
            try {
                Outcome o = propose(id, props.days(), "SCHEDULED", null);
                if (o.proposalId() != null) {
                    proposed++;
                } else {
                    refused++;
                    log.info("facility {}: no threshold proposal: {}", id, o.refusal().message());
                }
            } catch (RuntimeException e) {
                failed++;
                log.warn("facility {}: threshold learning failed: {}", id, e.toString());
            }
        }
        return new RunSummary(ids.size(), proposed, refused, failed);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Map<String, Object> thresholds(Object stop, Object run, Object abnormal, Object normal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stopBelow", stop);
        m.put("runAbove", run);
        m.put("abnormalBelow", abnormal);
        m.put("normalRunning", normal);
        return m;
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object fromJson(String s) {
        if (s == null) {
            return null;
        }
        try {
            return json.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime time(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(CHINA);
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).atOffset(CHINA).toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
