package com.powerwatch.platform.alarm;

import com.powerwatch.platform.analysis.ProductionBaseline.Method;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the engine's loading of an order (re)computes its baseline. */
class OrderBaselineRefreshTest {

    static final Instant FROM = Instant.parse("2025-12-01T00:00:00Z");

    static ProductionOrders.ProductionOrder order(Double kw, Method method, Instant computedAt) {
        return new ProductionOrders.ProductionOrder(1, 1, ProductionOrders.Kind.LIMIT, 50.0, kw, List.of(), FROM,
                FROM.plus(Duration.ofDays(2)), ProductionOrders.Source.EMERGENCY, null, null, method, null, computedAt);
    }

    @Test
    void aManualBaselineIsNeverRecomputed() {
        assertFalse(ProductionOrders.needsBaseline(order(80.0, Method.MANUAL, null), FROM.plusSeconds(60)));
        assertFalse(ProductionOrders.needsBaseline(order(80.0, Method.MANUAL, FROM.minusSeconds(86_400)), FROM.plusSeconds(60)));
    }

    @Test
    void aMissingBaselineIsComputedAndRetriedHourly() {
        Instant now = FROM.plusSeconds(7200);
        assertTrue(ProductionOrders.needsBaseline(order(null, null, null), now), "never computed");
        assertFalse(ProductionOrders.needsBaseline(order(null, null, now.minusSeconds(600)), now), "tried 10 min ago");
        assertTrue(ProductionOrders.needsBaseline(order(null, null, now.minusSeconds(3700)), now), "tried over an hour ago");
    }

    @Test
    void aBaselineComputedBeforeTheStartIsRefreshedOnceTheOrderStarts() {
        Instant early = FROM.minusSeconds(3 * 86_400);
        assertFalse(ProductionOrders.needsBaseline(order(90.0, Method.HISTORY_30D, early), FROM.minusSeconds(60)), "not started");
        assertTrue(ProductionOrders.needsBaseline(order(90.0, Method.HISTORY_30D, early), FROM.plusSeconds(60)));
        assertTrue(ProductionOrders.needsBaseline(order(140.0, Method.RATED, early), FROM.plusSeconds(60)));
        assertFalse(ProductionOrders.needsBaseline(order(90.0, Method.HISTORY_30D, FROM.plusSeconds(30)), FROM.plusSeconds(60)),
                "computed after the start: kept");
    }
}
