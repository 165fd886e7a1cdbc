package com.powerwatch.simulator;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ground-truth record: an injected violation ({@code expected = true}: the platform should raise an alarm of
 * {@code type}) or a legitimate look-alike ({@code expected = false}: an alarm of {@code type} on this subject in
 * this window is a false positive).
 *
 * @param type            the alarm type code
 * @param expected        true for a violation, false for a negative
 * @param mn              the logger (= enterprise)
 * @param enterpriseIndex the logger's index in the fleet
 * @param meterCode       the meter concerned, or null when the record concerns the whole enterprise or logger
 * @param facility        the facility name of that meter, or null
 * @param facilityKind    the kind of that meter (or of the facilities concerned), or null for the logger
 * @param start           simulated China time the violation begins (inclusive)
 * @param end             simulated China time it is over (exclusive: the first sample that is normal again)
 * @param params          what was injected: variant, fractions, kW, tolerances, related meters, and
 *                        {@code mayAlsoRaise} (other alarm types that follow physically from it) or for negatives
 *                        {@code alsoNotExpected} (other types that must not be raised either)
 */
public record Violation(ViolationType type, boolean expected, String mn, int enterpriseIndex, String meterCode,
                        String facility, FacilityKind facilityKind, LocalDateTime start, LocalDateTime end,
                        Map<String, Object> params) {

    public Violation {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Whether {@code t} lies in [start, end). */
    public boolean covers(LocalDateTime t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** The other alarm types this violation may also cause without being a false positive (positives only). */
    @SuppressWarnings("unchecked")
    public List<String> mayAlsoRaise() {
        Object v = params.get("mayAlsoRaise");
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** One JSON line of the ground-truth file. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("expected", expected);
        m.put("mn", mn);
        m.put("enterpriseIndex", enterpriseIndex);
        m.put("meterCode", meterCode);
        m.put("facility", facility);
        m.put("facilityKind", facilityKind);
        m.put("start", start);
        m.put("end", end);
        m.put("params", params);
        return Json.write(m);
    }
}
