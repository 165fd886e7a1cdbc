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
 * ({@link ProductionOrders#activeAt}), cached: a rule for {@code ttl} of wall-clock time, orders per enterprise
 * and data-time minute (orders start and end on whole minutes in practice), reloaded at once after an order write
 * ({@link ProductionOrders#version()}).
 */
final class EngineRules implements FacilityRules {

    private final AlarmRules rules;
    private final ProductionOrders orders;
    private final long ttlNanos;
    private final Map<String, Cached<AlarmRules.EffectiveRule>> cache = new ConcurrentHashMap<>();
    private final Map<Long, Cached<List<ProductionOrders.ProductionOrder>>> orderCache = new ConcurrentHashMap<>();

    private record Cached<T>(T value, long loadedNanos, long key, long version) {
    }

    EngineRules(AlarmRules rules, ProductionOrders orders, Duration ttl) {
        this.rules = rules;
        this.orders = orders;
        this.ttlNanos = ttl.toNanos();
    }

    /** The rule of {@code type} for a facility; null when the facility is gone. */
    AlarmRules.EffectiveRule facility(String type, long facilityId) {
        return get(type + "|f" + facilityId, () -> rules.effective(type, facilityId));
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
        return get(type + "|e" + enterpriseId, () -> rules.effectiveForEnterprise(type, enterpriseId));
    }

    private AlarmRules.EffectiveRule get(String key, java.util.function.Supplier<AlarmRules.EffectiveRule> load) {
        long now = System.nanoTime();
        Cached<AlarmRules.EffectiveRule> c = cache.get(key);
        if (c == null || now - c.loadedNanos() > ttlNanos) {
            AlarmRules.EffectiveRule r;
            try {
                r = load.get();
            } catch (RuntimeException gone) {
                return null; // facility or enterprise deleted meanwhile
            }
            c = new Cached<>(r, now, 0, 0);
            cache.put(key, c);
        }
        return c.value();
    }

    List<ProductionOrders.ProductionOrder> ordersAt(long enterpriseId, long tsMillis) {
        long minute = Math.floorDiv(tsMillis, 60_000L);
        long now = System.nanoTime();
        long version = orders.version();
        Cached<List<ProductionOrders.ProductionOrder>> c = orderCache.get(enterpriseId);
        if (c == null || c.key() != minute || c.version() != version || now - c.loadedNanos() > ttlNanos) {
            c = new Cached<>(orders.activeAt(enterpriseId, Instant.ofEpochMilli(tsMillis)), now, minute, version);
            orderCache.put(enterpriseId, c);
        }
        return c.value();
    }

    /** Forget everything (after a rule or order change that must apply at once, e.g. in tests). */
    void invalidate() {
        cache.clear();
        orderCache.clear();
    }
}
