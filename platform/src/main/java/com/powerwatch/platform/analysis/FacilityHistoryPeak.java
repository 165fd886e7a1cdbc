package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.analysis.ProductionBaseline.ProductionFacility;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OVER_CAPACITY reference of production facilities without a rated power (domain notes §1.4: "> P95 of history"):
 * the {@code percentile} (99) of the facility's 15-minute mean power over the buckets in which it ran, in the last
 * {@code windowDays} (30) complete China days — both parameters of the OVER_CAPACITY rule of that facility. Only
 * running buckets count, so a plant that runs a few hours a day gets the level of its running hours, not of its
 * nights. Fewer than {@code minWorkingDays} days with running data: no reference. Stored in
 * {@code facility.history_peak_kw} (with {@code history_peak_at}, when computed) daily at {@code peak-cron}; the
 * engine reloads it with the registry (hence the registry refresh after a run).
 */
@Component
@EnableScheduling
public class FacilityHistoryPeak {

    private static final Logger log = LoggerFactory.getLogger(FacilityHistoryPeak.class);
    static final String OVER = "OVER_CAPACITY";

    private final NamedParameterJdbcTemplate jdbc;
    private final AlarmRules rules;
    private final TelemetryRegistry registry;
    private final BaselineProperties settings;

    FacilityHistoryPeak(NamedParameterJdbcTemplate jdbc, AlarmRules rules, TelemetryRegistry registry, BaselineProperties settings) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.registry = registry;
        this.settings = settings;
    }

    @Scheduled(cron = "${powerwatch.analysis.baseline.peak-cron:0 15 1 * * *}", zone = "Asia/Shanghai")
    public void daily() {
        try {
            int n = refreshAll();
            log.info("history peaks of {} production facilities recomputed", n);
        } catch (RuntimeException e) {
            log.error("history peak run failed", e);
        }
    }

    /** Recomputes every active production facility measured in kW; returns how many were looked at. */
    public int refreshAll() {
        List<Long> ids = jdbc.getJdbcTemplate().queryForList("""
                select id from facility where kind = 'PRODUCTION' and status = 'ACTIVE' and threshold_quantity = 'P'
                order by id""", Long.class);
        for (Long id : ids) {
            try {
                store(id);
            } catch (RuntimeException e) {
                log.warn("history peak of facility {}: {}", id, e.toString());
            }
        }
        registry.refresh();
        return ids.size();
    }

    /** Recomputes one facility now (and lets the engine see it); returns the stored reference (null: none). */
    public Double refresh(long facilityId) {
        Double peak = store(facilityId);
        registry.refresh();
        return peak;
    }

    private Double store(long facilityId) {
        AlarmRules.EffectiveRule r = rules.effective(OVER, facilityId);
        LocalDate today = LocalDate.now(ProductionBaseline.CHINA);
        Instant from = today.minusDays(r.integer("windowDays")).atStartOfDay(ProductionBaseline.CHINA).toInstant();
        Instant to = today.atStartOfDay(ProductionBaseline.CHINA).toInstant();
        List<ProductionFacility> f = jdbc.query("""
                select id, rated_kw, run_above, stop_below, threshold_quantity from facility where id = :id""",
                Map.of("id", facilityId), (rs, i) -> new ProductionFacility(rs.getLong(1), (Double) rs.getObject(2),
                        (Double) rs.getObject(3), (Double) rs.getObject(4), rs.getString(5)));
        if (f.isEmpty()) {
            return null;
        }
        List<double[]> buckets = jdbc.query("""
                select a.bucket, sum(a.p_sum / a.n)
                from point_agg a join monitoring_point mp on mp.id = a.point_id
                where a.grain = '15m' and mp.facility_id = :f and a.bucket >= :from and a.bucket < :to and a.n > 0
                group by a.bucket""", new MapSqlParameterSource("f", facilityId).addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to)), (rs, i) -> new double[]{rs.getTimestamp(1).getTime(), rs.getDouble(2)});
        Double peak = peak(f.get(0), buckets, r.number("percentile"), settings.minWorkingDays());
        jdbc.update("update facility set history_peak_kw = :peak, history_peak_at = now() where id = :id",
                new MapSqlParameterSource("peak", peak).addValue("id", facilityId));
        return peak;
    }

    /**
     * The reference from 15-minute buckets {start millis, mean kW}: the {@code percentile} (linear interpolation, as
     * PostgreSQL's percentile_cont) of the running buckets; null with running data on fewer than {@code minDays} days.
     */
    static Double peak(ProductionFacility f, List<double[]> buckets, double percentile, int minDays) {
        double max = buckets.stream().mapToDouble(b -> b[1]).max().orElse(0);
        double threshold = ProductionBaseline.runThreshold(f, max);
        List<Double> running = new ArrayList<>();
        Set<LocalDate> days = new HashSet<>();
        for (double[] b : buckets) {
            if (b[1] >= threshold && b[1] > 0) {
                running.add(b[1]);
                days.add(Instant.ofEpochMilli((long) b[0]).atZone(ProductionBaseline.CHINA).toLocalDate());
            }
        }
        if (days.size() < minDays || running.isEmpty()) {
            return null;
        }
        running.sort(Double::compare);
        double rank = percentile / 100 * (running.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, running.size() - 1);
        double v = running.get(lo) + (rank - lo) * (running.get(hi) - running.get(lo));
        return Math.round(v * 100) / 100.0;
    }
}
