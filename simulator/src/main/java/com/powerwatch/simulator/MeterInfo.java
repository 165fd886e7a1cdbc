package com.powerwatch.simulator;

import java.util.List;

/**
 * One meter behind a simulated data logger, as the platform would register it.
 *
 * @param code     the factor code prefix: family A the 6-digit meter id ({@code 100001}), family B
 *                 {@code ea3001<fac>} ({@code ea300102}; append the 2-digit item)
 * @param facility the facility's name (喷涂线, RTO, 企业总电 ...)
 * @param kind     total, production or treatment
 * @param ratedKw  rated power of the facility (for the total meter: the sum of the facilities)
 * @param valueKeys the exact {@code code-field} keys one real-time packet carries for this meter, in order
 * @param serves   for a treatment meter: the codes of the production meters it serves (its 治理线组); empty otherwise
 */
public record MeterInfo(String code, String facility, FacilityKind kind, double ratedKw, List<String> valueKeys,
                        List<String> serves) {
    public MeterInfo {
        valueKeys = List.copyOf(valueKeys);
        serves = serves == null ? List.of() : List.copyOf(serves);
    }

    /** A meter that serves nothing (the constructor before associations were known). */
    public MeterInfo(String code, String facility, FacilityKind kind, double ratedKw, List<String> valueKeys) {
        this(code, facility, kind, ratedKw, valueKeys, List.of());
    }
}
