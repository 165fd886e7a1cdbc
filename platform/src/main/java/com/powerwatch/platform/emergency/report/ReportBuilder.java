package com.powerwatch.platform.emergency.report;

import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.emergency.board.MeasureEvaluator;
import com.powerwatch.platform.emergency.board.Rates;
import com.powerwatch.platform.emergency.board.Verdict;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Computes the evaluation report of a warning from the database (no caller scope: the report is the city's): every
 * measure judged over its whole period by {@link MeasureEvaluator}, hourly production power and energy from the 1-hour
 * aggregates, the alarms of the enterprises during the warning, rates, scope and the estimated reduction per industry.
 */
@Component
class ReportBuilder {

    private final NamedParameterJdbcTemplate jdbc;
    private final MeasureEvaluator evaluator;
    private final ProductionBaseline baselines;

    ReportBuilder(NamedParameterJdbcTemplate jdbc, MeasureEvaluator evaluator, ProductionBaseline baselines) {
        this.jdbc = jdbc;
        this.evaluator = evaluator;
        this.baselines = baselines;
    }

    ReportData build(long warningId, Instant now) {
        ReportData.Facts facts = facts(warningId);
        Instant at = now.isBefore(facts.endsAt()) ? now : facts.endsAt();
        List<MeasureEvaluator.MeasureRow> rows = evaluator.measures(warningId, "m.valid_from < m.valid_to", new MapSqlParameterSource());
        long t0 = System.nanoTime();
        List<MeasureEvaluator.Evaluation> evaluations = evaluator.evaluate(rows, at);
        long t1 = System.nanoTime();
        Instant from = facts.startsAt().truncatedTo(ChronoUnit.HOURS);
        int hours = (int) Math.max(1, Duration.between(from, facts.endsAt()).toHours() + (facts.endsAt().equals(
                facts.endsAt().truncatedTo(ChronoUnit.HOURS)) ? 0 : 1));
        Map<Long, double[]> kw = new HashMap<>();
        Map<Long, double[]> kwh = new HashMap<>();
        hourly(rows, from, hours, kw, kwh);
        org.slf4j.LoggerFactory.getLogger(ReportBuilder.class).info("report of warning {}: {} measures judged in {} ms, hourly power in {} ms",
                warningId, rows.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        double hoursPerDay = baselines.settings().ratedHoursPerDay();
        Map<Long, List<ReportData.MeasureResult>> byEnterprise = new LinkedHashMap<>();
        Map<Long, MeasureEvaluator.MeasureRow> firstRow = new LinkedHashMap<>();
        for (MeasureEvaluator.Evaluation e : evaluations) {
            MeasureEvaluator.MeasureRow m = e.measure();
            Instant end = m.validTo().isBefore(at) ? m.validTo() : at;
            double measureHours = Math.max(0, Duration.between(m.validFrom(), end).toMillis() / 3_600_000.0);
            double actual = 0;
            double[] energy = kwh.get(m.id());
            if (energy != null) {
                for (int h = 0; h < hours; h++) {
                    Instant hourStart = from.plus(h, ChronoUnit.HOURS);
                    if (!hourStart.isBefore(m.validFrom().truncatedTo(ChronoUnit.HOURS)) && hourStart.isBefore(end) && !Double.isNaN(energy[h])) {
                        actual += energy[h];
                    }
                }
            }
            Double expected = expected(e, measureHours, hoursPerDay);
            byEnterprise.computeIfAbsent(m.enterpriseId(), k -> new ArrayList<>())
                    .add(new ReportData.MeasureResult(e, round(actual), expected == null ? null : round(expected), measureHours));
            firstRow.putIfAbsent(m.enterpriseId(), m);
        }
        Map<Long, List<ReportData.AlarmLine>> alarms = alarms(new ArrayList<>(byEnterprise.keySet()), facts.startsAt(), at);
        List<ReportData.EnterpriseResult> enterprises = new ArrayList<>();
        for (Map.Entry<Long, List<ReportData.MeasureResult>> x : byEnterprise.entrySet()) {
            MeasureEvaluator.MeasureRow m = firstRow.get(x.getKey());
            List<ReportData.MeasureResult> measures = x.getValue();
            double[] curve = new double[hours];
            Arrays.fill(curve, Double.NaN);
            for (ReportData.MeasureResult r : measures) { // each hour from the measure in force then
                double[] c = kw.get(r.evaluation().measure().id());
                if (c == null) {
                    continue;
                }
                for (int h = 0; h < hours; h++) {
                    Instant hourStart = from.plus(h, ChronoUnit.HOURS);
                    if (!Double.isNaN(c[h]) && !hourStart.isBefore(r.evaluation().measure().validFrom().truncatedTo(ChronoUnit.HOURS))) {
                        curve[h] = c[h];
                    }
                }
            }
            enterprises.add(new ReportData.EnterpriseResult(m.enterpriseId(), m.enterpriseName(), m.districtCode(), m.districtName(),
                    m.industryCode(), m.industryName(), m.grade(), measures, combined(measures), curve,
                    alarms.getOrDefault(m.enterpriseId(), List.of())));
        }
        Function<ReportData.EnterpriseResult, Verdict.Kind> kind = ReportData.EnterpriseResult::verdict;
        return new ReportData(facts, now, at, enterprises, Rates.rate(enterprises.stream().map(kind).toList(), "ALL", "合计"),
                Rates.groups(enterprises, ReportData.EnterpriseResult::districtCode, ReportData.EnterpriseResult::districtName, kind),
                Rates.groups(enterprises, e -> e.grade() == null ? "-" : e.grade(), e -> Rates.gradeName(e.grade()), kind),
                scope(enterprises, ReportData.EnterpriseResult::districtCode, ReportData.EnterpriseResult::districtName),
                scope(enterprises, e -> e.industryCode() == null ? "-" : e.industryCode(),
                        e -> e.industryName() == null ? "未填行业" : e.industryName()),
                scope(enterprises, e -> e.grade() == null ? "-" : e.grade(), e -> Rates.gradeName(e.grade())),
                industries(enterprises), hoursPerDay);
    }

    /**
     * The energy a measure's baseline expects over its hours: the baseline's daily energy × hours / 24 when the baseline
     * has one (HISTORY_30D, RATED), else baseline kW × hours × rated-hours-per-day / 24 (a typed baseline).
     */
    static Double expected(MeasureEvaluator.Evaluation e, double hours, double hoursPerDay) {
        MeasureEvaluator.MeasureRow m = e.measure();
        if (m.baselineKw() == null) {
            return null;
        }
        Double daily = m.baselineDailyKwh();
        return daily != null ? daily * hours / 24 : m.baselineKw() * hours * hoursPerDay / 24;
    }

    /** 未达标 if any measure is, else 无法判断 if any is, else 达标 if any is, else the last measure's kind. */
    static Verdict.Kind combined(List<ReportData.MeasureResult> measures) {
        List<Verdict.Kind> kinds = measures.stream().map(r -> r.evaluation().result().kind()).toList();
        for (Verdict.Kind k : List.of(Verdict.Kind.NON_COMPLIANT, Verdict.Kind.UNDETERMINED, Verdict.Kind.COMPLIANT)) {
            if (kinds.contains(k)) {
                return k;
            }
        }
        return kinds.get(kinds.size() - 1);
    }

    private ReportData.Facts facts(long id) {
        List<Map<String, Object>> found = jdbc.queryForList("select * from emergency_warning where id = :id", Map.of("id", id));
        if (found.isEmpty()) {
            throw ApiException.notFound("应急预警", id);
        }
        Map<String, Object> w = found.get(0);
        List<ReportData.Change> changes = jdbc.query("""
                select kind, effective_at, level_before, level_after, ends_before, ends_after, document, reason, by_name
                from emergency_warning_change where warning_id = :id order by id""", Map.of("id", id),
                (rs, i) -> new ReportData.Change(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7), rs.getString(8), rs.getString(9)));
        List<String> districts = jdbc.queryForList("""
                select r.name from emergency_warning_district d join region r on r.code = d.district_code where d.warning_id = :id
                order by r.code""", Map.of("id", id), String.class);
        return new ReportData.Facts(id, (String) w.get("level"), ((Number) w.get("plan_year")).intValue(),
                ((Timestamp) w.get("starts_at")).toInstant(), ((Timestamp) w.get("ends_at")).toInstant(), (String) w.get("document"),
                (String) w.get("status"), instant((Timestamp) w.get("lifted_at")), changes, districts);
    }

    /** Production kW and kWh per hour of the warning for each measure's facilities (NaN where there is no data). */
    private void hourly(List<MeasureEvaluator.MeasureRow> rows, Instant from, int hours, Map<Long, double[]> kw, Map<Long, double[]> kwh) {
        Map<Long, List<ProductionBaseline.ProductionFacility>> facilities = evaluator.facilities(rows);
        List<Long> mids = new ArrayList<>();
        List<Long> fids = new ArrayList<>();
        facilities.forEach((m, fs) -> fs.forEach(f -> {
            mids.add(m);
            fids.add(f.id());
        }));
        if (mids.isEmpty()) {
            return;
        }
        jdbc.query("""
                with mf as (select * from unnest(cast(:mids as bigint[]), cast(:fids as bigint[])) as t(measure_id, facility_id))
                select mf.measure_id, a.bucket, sum(a.p_sum / a.n) as kw, sum(coalesce(a.energy, 0)) as kwh
                from mf join monitoring_point mp on mp.facility_id = mf.facility_id and mp.status = 'ACTIVE'
                join point_agg a on a.point_id = mp.id and a.grain = '1h' and a.bucket >= :from and a.bucket < :to and a.n > 0
                group by 1, 2""", new MapSqlParameterSource("mids", mids.toArray(Long[]::new)).addValue("fids", fids.toArray(Long[]::new))
                .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(from.plus(hours, ChronoUnit.HOURS))), rs -> {
            int h = (int) Duration.between(from, rs.getTimestamp(2).toInstant()).toHours();
            if (h < 0 || h >= hours) {
                return;
            }
            long m = rs.getLong(1);
            kw.computeIfAbsent(m, k -> nan(hours))[h] = round(rs.getDouble(3));
            kwh.computeIfAbsent(m, k -> nan(hours))[h] = rs.getDouble(4);
        });
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private Map<Long, List<ReportData.AlarmLine>> alarms(List<Long> enterprises, Instant from, Instant to) {
        Map<Long, List<ReportData.AlarmLine>> out = new HashMap<>();
        for (int i = 0; i < enterprises.size(); i += 5000) {
            jdbc.query("""
                    select a.enterprise_id, a.id, t.name, a.level, a.started_at, a.status, a.handling, a.workflow
                    from alarm a join alarm_type t on t.code = a.type
                    where a.enterprise_id in (:ids) and a.started_at < :to and coalesce(a.ended_at, :to) >= :from
                    order by a.started_at""", new MapSqlParameterSource("ids", enterprises.subList(i, Math.min(enterprises.size(), i + 5000)))
                    .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)), rs -> {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ReportData.AlarmLine(rs.getLong(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8)));
            });
        }
        return out;
    }

    private static List<ReportData.Scope> scope(List<ReportData.EnterpriseResult> rows, Function<ReportData.EnterpriseResult, String> key,
                                                Function<ReportData.EnterpriseResult, String> name) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (ReportData.EnterpriseResult e : rows) {
            int[] c = counts.computeIfAbsent(key.apply(e), k -> new int[4]);
            names.putIfAbsent(key.apply(e), name.apply(e));
            c[0]++;
            c[1 + e.last().evaluation().measure().measure().ordinal()]++;
        }
        List<ReportData.Scope> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(x -> out.add(new ReportData.Scope(x.getKey(), names.get(x.getKey()), x.getValue()[0], x.getValue()[1],
                        x.getValue()[2], x.getValue()[3])));
        return out;
    }

    /** Expected and drawn energy per industry, of the enterprises with a baseline for every measure and no data gap. */
    static List<ReportData.IndustryReduction> industries(List<ReportData.EnterpriseResult> rows) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (ReportData.EnterpriseResult e : rows) {
            Double expected = e.expectedKwh();
            // without complete data the energy drawn is unknown, not zero
            boolean gap = e.measures().stream().anyMatch(m -> m.evaluation().result().kind() == Verdict.Kind.UNDETERMINED);
            if (expected == null || expected <= 0 || gap) {
                continue;
            }
            String code = e.industryCode() == null ? "-" : e.industryCode();
            names.putIfAbsent(code, e.industryName() == null ? "未填行业" : e.industryName());
            double[] s = sums.computeIfAbsent(code, k -> new double[3]);
            s[0]++;
            s[1] += expected;
            s[2] += e.actualKwh();
        }
        List<ReportData.IndustryReduction> out = new ArrayList<>();
        sums.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(x -> out.add(new ReportData.IndustryReduction(x.getKey(),
                names.get(x.getKey()), (int) x.getValue()[0], round(x.getValue()[1]), round(x.getValue()[2]))));
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
