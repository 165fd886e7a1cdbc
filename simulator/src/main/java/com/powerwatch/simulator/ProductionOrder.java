package com.powerwatch.simulator;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A production order (停产 or 限产) the simulator assumes was issued to an enterprise; the evaluation registers it
 * in the platform before the data flows. Whether it is kept is in the ground truth.
 *
 * @param mn               the logger (= enterprise)
 * @param enterpriseIndex  its index in the fleet
 * @param kind             STOP or LIMIT
 * @param limitPercent     LIMIT: the required reduction in percent of the baseline (30, 50); null for STOP
 * @param baselineKw       the baseline production power: Σ over production lines of their normal running power
 *                         (rated × running level), i.e. the mean production kW while the lines run
 * @param baselineDailyKwh the baseline production energy of a working day (baseline kW × the lines' running hours)
 * @param from             order start, simulated China time (inclusive)
 * @param to               order end (exclusive)
 * @param lines            meter codes of the lines concerned, or null for the whole enterprise
 * @param source           always "simulator"
 */
public record ProductionOrder(String mn, int enterpriseIndex, Kind kind, Integer limitPercent, double baselineKw,
                              double baselineDailyKwh, LocalDateTime from, LocalDateTime to, List<String> lines,
                              String source) {

    public enum Kind { STOP, LIMIT }

    public ProductionOrder {
        lines = lines == null ? null : List.copyOf(lines);
    }

    /** LIMIT: the highest production power the order allows, kW (baseline × (1 − percent/100)); STOP: 0. */
    public double allowedKw() {
        return kind == Kind.STOP ? 0 : Numbers.round(baselineKw * (1 - limitPercent / 100.0), 2);
    }

    /** One JSON line of the orders file. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mn", mn);
        m.put("enterpriseIndex", enterpriseIndex);
        m.put("kind", kind);
        m.put("limitPercent", limitPercent);
        m.put("baselineKw", baselineKw);
        m.put("baselineDailyKwh", baselineDailyKwh);
        m.put("allowedKw", allowedKw());
        m.put("from", from);
        m.put("to", to);
        m.put("lines", lines);
        m.put("source", source);
        return Json.write(m);
    }
}
