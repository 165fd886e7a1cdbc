package com.powerwatch.platform.emergency;

import com.powerwatch.platform.analysis.ProductionBaseline;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The baselines of a city-wide warning's orders are computed in bulk ({@code ProductionBaseline.forOrders}): each must
 * be exactly what the engine's one-by-one computation gives — with history (HISTORY_30D), with too little (RATED), and
 * for a subset of facilities.
 */
class BulkBaselineIntegrationTest extends EmergencyTestSupport {

    @Autowired
    ProductionBaseline baselines;

    @Test
    void bulkBaselinesAreTheOneByOneBaselines() {
        Ent history = enterprise("610111", "B", Map.of("1#线", Map.of("窑", 100.0), "2#线", Map.of("磨", 40.0)));
        Ent none = enterprise("610111", "C", Map.of("", Map.of("炉", 60.0)));
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        // ten days of a day shift: the kiln at 70 kW and the mill at 30 kW from 08:00 to 20:00 (UTC day, minute samples)
        for (String f : List.of("窑", "磨")) {
            long point = EmergencyFixtures.point(jdbc, history.facilities().get(f));
            double kw = f.equals("窑") ? 70 : 30;
            EmergencyFixtures.samples(jdbc, point, today.minus(10, ChronoUnit.DAYS), 10 * 1440, i -> (i % 1440) / 60 >= 8 && (i % 1440) / 60 < 20 ? kw : 0);
        }
        Instant from = Instant.now();
        List<ProductionBaseline.OrderScope> scopes = List.of(
                new ProductionBaseline.OrderScope(-1, history.id(), List.of(), from),
                new ProductionBaseline.OrderScope(-2, history.id(), List.of(history.facilities().get("磨")), from),
                new ProductionBaseline.OrderScope(-3, none.id(), List.of(), from));
        Map<Long, ProductionBaseline.Baseline> bulk = baselines.forOrders(scopes);
        for (ProductionBaseline.OrderScope s : scopes) {
            ProductionBaseline.Baseline one = baselines.forOrder(s.enterpriseId(), s.facilityIds(), s.validFrom(), s.orderId());
            ProductionBaseline.Baseline b = bulk.get(s.orderId());
            assertNotNull(b);
            assertEquals(one.baselineKw(), b.baselineKw(), "kW of " + s);
            assertEquals(one.baselineDailyKwh(), b.baselineDailyKwh(), "daily kWh of " + s);
            assertEquals(one.method(), b.method());
            assertEquals(one.days(), b.days());
            assertEquals(one.note(), b.note());
        }
        assertEquals(ProductionBaseline.Method.HISTORY_30D, bulk.get(-1L).method(), "ten days of history: " + bulk.get(-1L).note());
        assertEquals(ProductionBaseline.Method.RATED, bulk.get(-3L).method());
    }
}
