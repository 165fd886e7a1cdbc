package com.powerwatch.platform.emergency.board;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyProperties;
import com.powerwatch.platform.emergency.Times;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * 应急看板: during a warning, per enterprise the measure in force, baseline, current power, reduction, verdict and open
 * alarms; per district and per grade the execution rate 达标数 / 应执行数 (STOP and LIMIT measures under way; 无法判断
 * counts as not compliant, so missing data never raises the rate). Computed for the whole warning at most every
 * {@code board-cache-ttl} and shared by all viewers; each viewer sees the enterprises of their scope.
 */
@Service
public class Board {

    /** The whole board of a warning at one time, before scope and filters. */
    record Snapshot(Instant at, Instant computedAt, List<MeasureEvaluator.Evaluation> rows, Map<Long, long[]> alarms) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final MeasureEvaluator evaluator;
    private final EmergencyProperties settings;
    private final Map<Long, Snapshot> cache = new ConcurrentHashMap<>();

    Board(NamedParameterJdbcTemplate jdbc, MeasureEvaluator evaluator, EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.evaluator = evaluator;
        this.settings = settings;
    }

    /** Filters and paging of the enterprise list. */
    public record Query(String district, String grade, String verdict, String measure, String q, int page, int size) {
    }

    public Map<String, Object> board(long warningId, Query query) {
        Snapshot s = snapshot(warningId);
        AccessScope scope = AccessScope.current();
        List<MeasureEvaluator.Evaluation> visible = s.rows().stream()
                .filter(e -> scope.allows(e.measure().districtCode(), e.measure().enterpriseId())).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warningId", warningId);
        out.put("at", Times.china(s.at()));
        out.put("computedAt", Times.china(s.computedAt()));
        out.put("summary", Rates.rate(visible.stream().map(e -> e.result().kind()).toList(), "ALL", "合计"));
        out.put("byDistrict", Rates.groups(visible, e -> e.measure().districtCode(), e -> e.measure().districtName(), e -> e.result().kind()));
        out.put("byGrade", Rates.groups(visible, e -> e.measure().grade() == null ? "-" : e.measure().grade(),
                e -> Rates.gradeName(e.measure().grade()), e -> e.result().kind()));
        List<MeasureEvaluator.Evaluation> filtered = visible.stream().filter(e -> matches(e, query)).sorted(ORDER).toList();
        int size = Math.max(1, Math.min(query.size(), 500));
        int page = Math.max(0, query.page());
        List<Map<String, Object>> items = filtered.stream().skip((long) page * size).limit(size).map(e -> row(e, s.alarms())).toList();
        out.put("enterprises", Map.of("items", items, "total", filtered.size(), "page", page, "size", size));
        return out;
    }

    /** Non-compliant first, then undetermined, then the rest; by district and name. */
    static final Comparator<MeasureEvaluator.Evaluation> ORDER = Comparator
            .comparingInt((MeasureEvaluator.Evaluation e) -> switch (e.result().kind()) {
                case NON_COMPLIANT -> 0;
                case UNDETERMINED -> 1;
                case COMPLIANT -> 2;
                case NOT_STARTED -> 3;
                case SELF -> 4;
            })
            .thenComparing(e -> e.measure().districtCode())
            .thenComparing(e -> e.measure().enterpriseName());

    private static boolean matches(MeasureEvaluator.Evaluation e, Query q) {
        MeasureEvaluator.MeasureRow m = e.measure();
        if (q.district() != null && !q.district().isBlank()
                && !m.districtCode().startsWith(AccessScope.regionPrefix("district", q.district()))) {
            return false;
        }
        if (q.grade() != null && !q.grade().isBlank() && !q.grade().equals(m.grade())) {
            return false;
        }
        if (q.verdict() != null && !q.verdict().isBlank() && !q.verdict().equals(e.result().kind().name())) {
            return false;
        }
        if (q.measure() != null && !q.measure().isBlank() && !q.measure().equals(m.measure().name())) {
            return false;
        }
        return q.q() == null || q.q().isBlank() || m.enterpriseName().contains(q.q().trim());
    }

    /** The board of a warning, recomputed when older than the cache time. */
    Snapshot snapshot(long warningId) {
        Snapshot s = cache.get(warningId);
        Instant now = Instant.now();
        if (s != null && s.computedAt().plus(settings.boardCacheTtl()).isAfter(now)) {
            return s;
        }
        Snapshot fresh = compute(warningId, now);
        cache.put(warningId, fresh);
        return fresh;
    }

    /** Forgets a warning's board (after a change of the warning, so the next look is fresh). */
    public void invalidate(long warningId) {
        cache.remove(warningId);
    }

    /** The board as of {@code now} (the warning's end once it is over). */
    Snapshot compute(long warningId, Instant now) {
        List<Timestamp> ends = jdbc.queryForList("select ends_at from emergency_warning where id = :w", Map.of("w", warningId),
                Timestamp.class);
        if (ends.isEmpty()) {
            throw ApiException.notFound("应急预警", warningId);
        }
        Instant end = ends.get(0).toInstant();
        Instant at = now.isBefore(end) ? now : end;
        // the measures of the level in force: those that run until the warning's (current) end
        List<MeasureEvaluator.MeasureRow> rows = evaluator.measures(warningId,
                "m.valid_to = (select ends_at from emergency_warning where id = :w)", new MapSqlParameterSource());
        List<MeasureEvaluator.Evaluation> evaluations = evaluator.evaluate(rows, at);
        Map<Long, long[]> alarms = new HashMap<>();
        List<Long> enterprises = rows.stream().map(MeasureEvaluator.MeasureRow::enterpriseId).distinct().toList();
        for (List<Long> chunk : MeasureEvaluator.chunks(enterprises)) {
            jdbc.query("""
                    select enterprise_id, count(*), count(*) filter (where type in ('PRODUCTION_DURING_STOP', 'LIMIT_NOT_KEPT'))
                    from alarm where status = 'ACTIVE' and enterprise_id in (:ids) group by 1""", Map.of("ids", chunk),
                    rs -> { alarms.put(rs.getLong(1), new long[]{rs.getLong(2), rs.getLong(3)}); });
        }
        return new Snapshot(at, now, evaluations, alarms);
    }

    private static Map<String, Object> row(MeasureEvaluator.Evaluation e, Map<Long, long[]> alarms) {
        MeasureEvaluator.MeasureRow m = e.measure();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("measureId", m.id());
        r.put("enterpriseId", m.enterpriseId());
        r.put("enterpriseName", m.enterpriseName());
        r.put("districtCode", m.districtCode());
        r.put("districtName", m.districtName());
        r.put("industryName", m.industryName());
        r.put("grade", m.grade());
        r.put("level", m.level());
        r.put("measure", m.measure().name());
        r.put("limitPercent", m.limitPercent());
        r.put("wholeEnterprise", m.facilityIds() == null);
        r.put("facilities", e.facilities());
        r.put("validFrom", Times.china(m.validFrom()));
        r.put("validTo", Times.china(m.validTo()));
        r.put("productionOrderId", m.orderId());
        r.put("baselineKw", m.baselineKw());
        r.put("baselineMethod", m.baselineMethod());
        r.put("baselineNote", m.baselineNote());
        r.put("currentKw", e.currentKw());
        r.put("currentAt", Times.china(e.currentAt()));
        r.put("reductionPercent", e.result().reductionPercent());
        r.put("coverage", e.result().coverage());
        r.put("verdict", e.result().kind().name());
        r.put("reason", e.result().reason());
        r.put("firstRunningAt", Times.china(e.evidence().firstRunning()));
        long[] a = alarms.getOrDefault(m.enterpriseId(), new long[2]);
        r.put("openAlarms", a[0]);
        r.put("openOrderAlarms", a[1]);
        r.put("rotationPicked", m.rotationPicked());
        return r;
    }
}
