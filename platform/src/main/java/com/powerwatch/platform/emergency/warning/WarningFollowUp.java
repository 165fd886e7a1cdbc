package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.emergency.EmergencyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What follows a committed warning change, off the request thread: the new orders' baselines (computed from history by
 * a few threads, so a city-wide warning does not stall the engine, which would otherwise compute them one by one), the
 * notices, and the {@link WarningEnded} event. Orders left waiting by a restart are taken up again at start.
 */
@Component
class WarningFollowUp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarningFollowUp.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ProductionOrders orders;
    private final WarningNotices notices;
    private final ApplicationEventPublisher events;
    private final ExecutorService baselinePool;
    private final ExecutorService single = Executors.newSingleThreadExecutor(r -> daemon(r, "emergency-follow-up"));
    private final int threads;
    private final AtomicInteger waiting = new AtomicInteger();

    WarningFollowUp(NamedParameterJdbcTemplate jdbc, ProductionOrders orders, WarningNotices notices, ApplicationEventPublisher events,
                    EmergencyProperties settings) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.notices = notices;
        this.events = events;
        this.threads = Math.max(1, settings.baselineThreads());
        AtomicInteger n = new AtomicInteger();
        this.baselinePool = Executors.newFixedThreadPool(threads, r -> daemon(r, "emergency-baseline-" + n.getAndIncrement()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Orders whose baseline is still being computed. */
    int baselinesWaiting() {
        return waiting.get();
    }

    /** Computes the baselines of these orders in chunks (one bulk computation each) on {@code baseline-threads} threads. */
    void baselines(List<Long> orderIds) {
        if (orderIds.isEmpty()) {
            return;
        }
        waiting.addAndGet(orderIds.size());
        int chunk = Math.max(50, Math.min(500, orderIds.size() / threads + 1));
        for (int i = 0; i < orderIds.size(); i += chunk) {
            List<Long> part = List.copyOf(orderIds.subList(i, Math.min(orderIds.size(), i + chunk)));
            baselinePool.submit(() -> {
                try {
                    orders.refreshBaselines(part);
                } catch (RuntimeException e) {
                    log.warn("baselines of {} emergency orders not computed: {}", part.size(), e.toString());
                } finally {
                    waiting.addAndGet(-part.size());
                }
            });
        }
        log.info("computing the baselines of {} emergency orders", orderIds.size());
    }

    void announce(long warningId, long changeId) {
        single.submit(() -> {
            try {
                notices.announce(warningId, changeId);
            } catch (RuntimeException e) {
                log.warn("notices of emergency warning {} (change {}) not sent: {}", warningId, changeId, e.toString());
            }
        });
    }

    void ended(long warningId) {
        single.submit(() -> events.publishEvent(new WarningEnded(warningId)));
    }

    /** Orders of running warnings still waiting for their baseline when the platform stopped (a database start step). */
    void resume() {
        List<Long> ids = jdbc.queryForList("""
                select o.id from emergency_measure m join emergency_warning w on w.id = m.warning_id
                join production_order o on o.id = m.production_order_id
                where w.status = 'ACTIVE' and o.status = 'ACTIVE' and o.baseline_kw is null and o.baseline_note = :pending""",
                Map.of("pending", WarningMeasures.PENDING), Long.class);
        baselines(ids);
    }

    @Override
    public void close() {
        baselinePool.shutdownNow();
        single.shutdownNow();
    }
}
