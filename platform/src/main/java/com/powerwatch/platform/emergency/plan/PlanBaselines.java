package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.analysis.ProductionBaseline;
import com.powerwatch.platform.emergency.AfterCommit;
import com.powerwatch.platform.emergency.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The history baselines of the emergency plans, kept ready ({@code emergency_ready_baseline}) so that starting a
 * warning copies them instead of computing thousands while the live board waits. A baseline depends only on the
 * enterprise, the facility set and the China day of the order (its window is the days before that day), so a value
 * computed earlier today for the same set is the value the order would get — unless an order of the enterprise that
 * overlaps the window was created or revoked since, which the warning's statement checks ({@link #READY}).
 *
 * <p>Computed nightly for every plan of this and last year ({@code ready-baselines-cron}), at start when today's are
 * missing, and after plans are written (create, update, import, copy) for the sets not yet ready today.
 */
@Component
public class PlanBaselines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PlanBaselines.class);

    /**
     * The ready baselines a warning starting at {@code :from} may copy (SQL for a CTE): computed for the China day of
     * least(:from, now), and no order of the enterprise that began before that day created or revoked since.
     */
    public static final String READY = """
            select r.* from emergency_ready_baseline r
            where r.for_day = cast(least(cast(:from as timestamptz), now()) at time zone 'Asia/Shanghai' as date)
              and not exists (select 1 from production_order o where o.enterprise_id = r.enterprise_id
                                and o.valid_from < cast(r.for_day as timestamp) at time zone 'Asia/Shanghai'
                                and (o.created_at > r.computed_at or o.revoked_at > r.computed_at))""";

    /** The facility key of an order's facility_ids ({@code expr}, null = whole enterprise), as READY stores it. */
    public static String key(String expr) {
        return "coalesce(array_to_string(" + expr + ", ','), '')";
    }

    /**
     * The (enterprise, facility key) pairs that participating STOP / LIMIT plans without a typed baseline of year ≥
     * :year need — the facility set exactly as the warning's statement builds it (emergency_plan_facility).
     */
    private static final String NEEDED = """
            select distinct enterprise_id, facility_key from (
              select p.enterprise_id, p.scope,
                     case when p.scope = 'ENTERPRISE' then ''
                          else coalesce((select string_agg(cast(pf.facility_id as text), ',' order by pf.facility_id)
                                         from emergency_plan_facility pf where pf.plan_id = p.id), '') end as facility_key
              from emergency_plan p join enterprise e on e.id = p.enterprise_id
              where p.participates and p.measure in ('STOP', 'LIMIT') and p.baseline_kw is null and e.status = 'ACTIVE'
                and p.year >= :year and (cast(:all as boolean) or p.enterprise_id = any(cast(:enterprises as bigint[])))) x
            where scope = 'ENTERPRISE' or facility_key <> ''""";

    private final NamedParameterJdbcTemplate jdbc;
    private final ProductionBaseline baselines;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "emergency-ready-baselines");
        t.setDaemon(true);
        return t;
    });

    PlanBaselines(NamedParameterJdbcTemplate jdbc, ProductionBaseline baselines) {
        this.jdbc = jdbc;
        this.baselines = baselines;
    }

    /** Nightly, once yesterday's hourly aggregates are in: every plan's baseline for the new day. */
    @Scheduled(cron = "${powerwatch.emergency.ready-baselines-cron:0 10 1 * * *}", zone = "Asia/Shanghai")
    void nightly() {
        refresh(null, false);
        jdbc.update("delete from emergency_ready_baseline where for_day < :day",
                Map.of("day", Date.valueOf(LocalDate.now(Times.CHINA).minusDays(1))));
    }

    /**
     * Once the database answers (a start step): the sets not ready for today (a platform that was down at night, or
     * plans written meanwhile), in the background.
     */
    void atStart() {
        worker.submit(() -> run(() -> refresh(null, true)));
    }

    /** After the current transaction commits, in the background: the plans of these enterprises not ready for today. */
    void plansChanged(Collection<Long> enterpriseIds) {
        if (enterpriseIds.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(enterpriseIds);
        AfterCommit.run(() -> worker.submit(() -> run(() -> refresh(ids, true))));
    }

    /** After the current transaction commits: every plan's set not ready for today (a copy of a whole year). */
    void allPlansChanged() {
        AfterCommit.run(() -> worker.submit(() -> run(() -> refresh(null, true))));
    }

    /** Waits until the background refreshes asked for so far are done (tests, benchmarks). */
    public void awaitIdle() throws Exception {
        worker.submit(() -> { }).get();
    }

    private static void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("emergency baselines not made ready: {}", e.toString());
        }
    }

    /**
     * Computes (by {@link ProductionBaseline#forOrders}, the engine's own computation) and stores the baselines of the
     * plans of {@code enterpriseIds} (null = all) for today; {@code onlyMissing}: only sets without a usable value for
     * today. Returns how many were stored.
     */
    public int refresh(Collection<Long> enterpriseIds, boolean onlyMissing) {
        Instant at = Instant.now();
        LocalDate day = at.atZone(Times.CHINA).toLocalDate();
        MapSqlParameterSource p = new MapSqlParameterSource("year", day.getYear() - 1).addValue("all", enterpriseIds == null)
                .addValue("enterprises", enterpriseIds == null ? new Long[0] : enterpriseIds.toArray(Long[]::new))
                .addValue("from", Timestamp.from(at));
        String sql = onlyMissing
                ? "select n.enterprise_id, n.facility_key from (" + NEEDED + ") n where not exists (select 1 from (" + READY
                  + ") r where r.enterprise_id = n.enterprise_id and r.facility_key = n.facility_key)"
                : NEEDED;
        List<Object[]> needed = jdbc.query(sql, p, (rs, i) -> new Object[]{rs.getLong(1), rs.getString(2)});
        long started = System.nanoTime();
        int stored = 0;
        for (int i = 0; i < needed.size(); i += 1000) {
            List<Object[]> chunk = needed.subList(i, Math.min(needed.size(), i + 1000));
            List<ProductionBaseline.OrderScope> scopes = new ArrayList<>(chunk.size());
            for (int k = 0; k < chunk.size(); k++) {
                String key = (String) chunk.get(k)[1];
                List<Long> facilities = key.isEmpty() ? List.of() : Arrays.stream(key.split(",")).map(Long::valueOf).toList();
                // no order yet: negative ids leave every existing order of the enterprise out of the history, as the
                // new order's own computation will
                scopes.add(new ProductionBaseline.OrderScope(-1L - k, (Long) chunk.get(k)[0], facilities, at));
            }
            Map<Long, ProductionBaseline.Baseline> computed = baselines.forOrders(scopes);
            int n = scopes.size();
            Long[] enterprises = new Long[n];
            String[] keys = new String[n];
            Double[] kw = new Double[n];
            Double[] kwh = new Double[n];
            String[] methods = new String[n];
            Integer[] days = new Integer[n];
            Timestamp[] when = new Timestamp[n];
            String[] notes = new String[n];
            for (int k = 0; k < n; k++) {
                ProductionBaseline.Baseline b = computed.get(scopes.get(k).orderId());
                enterprises[k] = scopes.get(k).enterpriseId();
                keys[k] = (String) chunk.get(k)[1];
                kw[k] = b.baselineKw();
                kwh[k] = b.baselineDailyKwh();
                methods[k] = b.method() == null ? null : b.method().name();
                days[k] = b.method() == ProductionBaseline.Method.HISTORY_30D ? b.days() : null;
                when[k] = Timestamp.from(b.computedAt());
                notes[k] = b.note();
            }
            stored += jdbc.update("""
                    insert into emergency_ready_baseline (enterprise_id, facility_key, for_day, baseline_kw, baseline_daily_kwh,
                                                          baseline_method, baseline_days, computed_at, note)
                    select e, k, :day, kw, kwh, m, d, c, note
                    from unnest(cast(:e as bigint[]), cast(:k as text[]), cast(:kw as float8[]), cast(:kwh as float8[]),
                                cast(:m as text[]), cast(:d as int[]), cast(:c as timestamptz[]), cast(:note as text[]))
                         as v(e, k, kw, kwh, m, d, c, note)
                    on conflict (enterprise_id, facility_key) do update set for_day = excluded.for_day,
                        baseline_kw = excluded.baseline_kw, baseline_daily_kwh = excluded.baseline_daily_kwh,
                        baseline_method = excluded.baseline_method, baseline_days = excluded.baseline_days,
                        computed_at = excluded.computed_at, note = excluded.note""",
                    new MapSqlParameterSource("day", Date.valueOf(day)).addValue("e", enterprises).addValue("k", keys)
                            .addValue("kw", kw).addValue("kwh", kwh).addValue("m", methods).addValue("d", days)
                            .addValue("c", when).addValue("note", notes));
        }
        if (!needed.isEmpty()) {
            log.info("{} emergency plan baselines made ready for {} in {} ms", stored, day, (System.nanoTime() - started) / 1_000_000);
        }
        return stored;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
