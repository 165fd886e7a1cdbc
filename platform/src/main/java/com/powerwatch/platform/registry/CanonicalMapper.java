package com.powerwatch.platform.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a frame's raw items become canonical values: given the mappings of a point's profile, its
 * channel and CT/PT ratios, and a CP's {@code code-field → value} map, returns the canonical quantities.
 * Pure and stateless, so the telemetry side and the dictionary preview compute exactly the same thing.
 *
 * <p>Rules: a value is {@code raw × scale × ratio} where the ratio is CT for phase currents, PT for voltages and
 * CT×PT for power and energy ({@link CanonicalQuantity#factor}). When several items give the same quantity
 * (e.g. {@code Rtd} and {@code Avg}), the field ranked first wins: Rtd, then bare fields (Ia, Pt, RS…), then
 * Avg, Cou, Max, Min. Values that are not numbers are skipped and listed in {@link Result#invalid()}. FLAG is
 * text: the first flag other than {@code N} if any, else {@code N}.
 */
public final class CanonicalMapper {

    private CanonicalMapper() {
    }

    /**
     * @param values     canonical quantity → primary value
     * @param flag       the data flag text, or null when the profile maps no flag or the frame carries none
     * @param sources    canonical quantity → the raw item key it came from
     * @param invalid    raw item keys the profile maps but whose value is not a number
     * @param unmapped   raw item keys in the frame that no mapping of this profile/channel reads
     */
    public record Result(Map<CanonicalQuantity, Double> values, String flag, Map<CanonicalQuantity, String> sources,
                         List<String> invalid, List<String> unmapped) {
    }

    public static Result map(List<FactorMapping> mappings, String channel, double ct, double pt, Map<String, String> cpValues) {
        if (!(ct > 0) || !(pt > 0)) {
            throw new IllegalArgumentException("CT and PT ratios must be positive");
        }
        List<FactorMapping> ordered = new ArrayList<>(mappings);
        ordered.sort(Comparator.comparingInt((FactorMapping m) -> fieldRank(m.field())));
        Map<CanonicalQuantity, Double> values = new EnumMap<>(CanonicalQuantity.class);
        Map<CanonicalQuantity, String> sources = new EnumMap<>(CanonicalQuantity.class);
        List<String> invalid = new ArrayList<>();
        Map<String, Boolean> used = new LinkedHashMap<>();
        String flag = null;
        for (FactorMapping m : ordered) {
            String key = m.key(channel);
            String raw = cpValues.get(key);
            if (raw == null) {
                continue;
            }
            used.put(key, true);
            if (m.quantity() == CanonicalQuantity.FLAG) {
                String f = raw.trim();
                if (flag == null || ("N".equals(flag) && !"N".equals(f))) {
                    flag = f;
                }
                continue;
            }
            if (values.containsKey(m.quantity())) {
                continue;
            }
            Double number = parse(raw);
            if (number == null) {
                invalid.add(key);
                continue;
            }
            values.put(m.quantity(), number * m.scale() * m.quantity().factor(ct, pt));
            sources.put(m.quantity(), key);
        }
        List<String> unmapped = cpValues.keySet().stream().filter(k -> !used.containsKey(k)).toList();
        return new Result(values, flag, sources, invalid, unmapped);
    }

    private static Double parse(String raw) {
        try {
            double d = Double.parseDouble(raw.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Lower wins when several items of one frame give the same quantity. */
    public static int fieldRank(String field) {
        return switch (field) {
            case "Rtd" -> 0;
            case "Avg" -> 2;
            case "Cou" -> 3;
            case "Max" -> 4;
            case "Min" -> 5;
            default -> 1;
        };
    }
}
