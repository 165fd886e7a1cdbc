package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.telemetry.FacilityRules;
import com.powerwatch.platform.telemetry.FacilityThresholds;
import com.powerwatch.platform.telemetry.MeterSupply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's view of rule parameters ({@link AlarmRules#effective}) and production orders
 * ({@link ProductionOrders#activeAt}), cached: rules as one {@link AlarmRules.RuleBook} (every rule, enterprise,
 * facility and the industry tree, read with four queries) renewed every {@code ttl} of wall-clock time, each resolved
 * rule kept until then; a facility or enterprise newer than the book is resolved with a query of its own. Orders per
 * enterprise and data-time minute (orders start and end on whole minutes in practice), reloaded at once after an
 * order write ({@link ProductionOrders#version()}).
 *
 * <p>The rules were cached per facility and type with a query each: 25,000 facilities meant about 100,000 queries
 * every {@code ttl}, and the engine and the real-time state spent most of their time waiting for them (issue 15).
 */
final class EngineRules implements FacilityRules {

    private final AlarmRules rules;
    private final ProductionOrders orders;
    private final long ttlNanos;
    private final Map<String, Cached<AlarmRules.EffectiveRule>> cache = new ConcurrentHashMap<>();
    private final Map<Long, Cached<List<ProductionOrders.ProductionOrder>>> orderCache = new ConcurrentHashMap<>();

    private record Cached<T>(T value, long loadedNanos, long key, long version) {
    }

    /** The rule book and the rules resolved from it; replaced together when the book is renewed. */
    private record Book(AlarmRules.RuleBook rules, long loadedNanos, Map<String, AlarmRules.EffectiveRule> resolved) {
    }

    private volatile Book book;
    /** Enterprises with ACTIVE orders, as of an orders version and a time (the others have none to look up). */
    private volatile Cached<java.util.Set<Long>> withOrders;

    EngineRules(AlarmRules rules, ProductionOrders orders, Duration ttl) {
        this.rules = rules;
        this.orders = orders;
        this.ttlNanos = ttl.toNanos();
    }

    /** The rule of {@code type} for a facility; null when the facility is gone. */
    AlarmRules.EffectiveRule facility(String type, long facilityId) {
        return get(type + "|f" + facilityId, b -> b.facility(type, facilityId), () -> rules.effective(type, facilityId));
    }

    /**
     * k of TREATMENT_ABNORMAL for a facility (abnormal below k × its accepted normal running value); the default when
     * the facility is gone. The engine and the real-time state both ask here (AnalysisConfig).
     */
    @Override
    public double abnormalRatio(long facilityId) {
        AlarmRules.EffectiveRule k = facility(AlarmEngine.ABNORMAL, facilityId);
        return k == null ? FacilityThresholds.DEFAULT_ABNORMAL_RATIO : k.number("abnormalRatio");
    }

    @Override
    public MeterSupply.Limits supplyLimits(long facilityId) {
        AlarmRules.EffectiveRule loss = facility(AlarmEngine.POWER_LOSS, facilityId);
        AlarmRules.EffectiveRule phase = facility(AlarmEngine.PHASE_LOSS, facilityId);
        MeterSupply.Limits d = MeterSupply.Limits.DEFAULT;
        return new MeterSupply.Limits(loss == null ? d.zeroV() : loss.number("zeroVoltageV"),
                phase == null ? d.phaseZeroV() : phase.number("zeroVoltageV"),
                phase == null ? d.normalMinV() : phase.number("normalVoltageMinV"));
    }

    AlarmRules.EffectiveRule enterprise(String type, long enterpriseId) {
        return get(type + "|e" + enterpriseId, b -> b.enterprise(type, enterpriseId),
                () -> rules.effectiveForEnterprise(type, enterpriseId));
    }

    private AlarmRules.EffectiveRule get(String key, java.util.function.Function<AlarmRules.RuleBook, AlarmRules.EffectiveRule> fromBook,
                                         java.util.function.Supplier<AlarmRules.EffectiveRule> load) {
        Book b;
        try {
            b = book();
        } catch (RuntimeException databaseAway) {
            return null; // no book yet and none to be read: as before, the subject counts as unknown for now
        }
        AlarmRules.EffectiveRule r = b.resolved().get(key);
        if (r != null) {
            return r;
        }
        r = fromBook.apply(b.rules());
        if (r == null) {
            // newer than the book (a facility registered a moment ago): ask the database, remember for a ttl
            long now = System.nanoTime();
            Cached<AlarmRules.EffectiveRule> c = cache.get(key);
            if (c == null || now - c.loadedNanos() > ttlNanos) {
                try {
                    c = new Cached<>(load.get(), now, 0, 0);
                } catch (RuntimeException gone) {
                    return null; // facility or enterprise deleted meanwhile
                }
                cache.put(key, c);
            }
            return c.value();
        }
        b.resolved().put(key, r);
        return r;
    }

    private Book book() {
        Book b = book;
        long now = System.nanoTime();
        if (b == null || now - b.loadedNanos() > ttlNanos) {
            synchronized (this) {
                b = book;
                if (b == null || now - b.loadedNanos() > ttlNanos) {
                    try {
                        b = new Book(rules.ruleBook(), System.nanoTime(), new ConcurrentHashMap<>());
                        cache.clear();
                    } catch (RuntimeException e) {
                        if (b == null) {
                            throw e;
                        }
                        // the database is away: keep the book we have and try again in 5 s rather than on every call
                        b = new Book(b.rules(), now - ttlNanos + 5_000_000_000L, b.resolved());
                    }
                    book = b;
                }
            }
        }
        return b;
    }

    List<ProductionOrders.ProductionOrder> ordersAt(long enterpriseId, long tsMillis) {
        long minute = Math.floorDiv(tsMillis, 60_000L);
        long now = System.nanoTime();
        long version = orders.version();
        Cached<java.util.Set<Long>> w = withOrders;
        if (w == null || w.version() != version || now - w.loadedNanos() > ttlNanos) {
            w = new Cached<>(orders.enterprisesWithActiveOrders(), now, 0, version);
            withOrders = w;
        }
        if (!w.value().contains(enterpriseId)) {
            return List.of();
        }
        Cached<List<ProductionOrders.ProductionOrder>> c = orderCache.get(enterpriseId);
        if (c == null || c.key() != minute || c.version() != version || now - c.loadedNanos() > ttlNanos) {
            c = new Cached<>(orders.activeAt(enterpriseId, Instant.ofEpochMilli(tsMillis)), now, minute, version);
            orderCache.put(enterpriseId, c);
        }
        return c.value();
    }

    /** Forget everything (after a rule or order change that must apply at once, e.g. in tests). */
    void invalidate() {
        book = null;
        withOrders = null;
        cache.clear();
        orderCache.clear();
    }
}
