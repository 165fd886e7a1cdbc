package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.registry.CanonicalMapper;
import com.powerwatch.platform.registry.CanonicalQuantity;
import com.powerwatch.platform.registry.FactorMapping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point's canonical values at one DataTime, built from the frame values mapped to it (CT/PT applied).
 * Several frames for the same point and time (real-time plus minute data, a re-send) merge: a later value
 * of a quantity replaces an earlier one, quantities not in the later frame are kept.
 */
public final class CanonicalSample {

    /** Canonical quantities with their own point_sample column; any other goes to {@code extra}. */
    public static final java.util.List<String> COLUMNS = java.util.List.of("P", "Q", "PF", "IA", "IB", "IC", "UA", "UB", "UC", "E");

    final long pointId;
    final long tsMillis;
    final Double[] columns = new Double[COLUMNS.size()];
    final Map<String, Object> extra = new LinkedHashMap<>();
    String flag;
    /** Field rank of each quantity put from the current frame. */
    private final Map<String, Integer> ranks = new java.util.HashMap<>(8);
    long receivedAtMillis;

    public CanonicalSample(long pointId, long tsMillis) {
        this.pointId = pointId;
        this.tsMillis = tsMillis;
    }

    public long pointId() {
        return pointId;
    }

    public long tsMillis() {
        return tsMillis;
    }

    /** When the (latest) frame carrying this sample was received. */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    /**
     * A sample as the store keeps it (point_sample row): columns in {@link #COLUMNS} order, extra quantities, and
     * whether the device flagged it (the store keeps only that, not the flag itself).
     */
    public static CanonicalSample stored(long pointId, long tsMillis, Double[] columns, Map<String, Object> extra,
                                         boolean invalid, long receivedAtMillis) {
        CanonicalSample s = new CanonicalSample(pointId, tsMillis);
        System.arraycopy(columns, 0, s.columns, 0, Math.min(columns.length, s.columns.length));
        if (extra != null) {
            s.extra.putAll(extra);
        }
        s.flag = invalid ? "INVALID" : "N";
        s.receivedAtMillis = receivedAtMillis;
        return s;
    }

    /** The device flagged a value as not normal (Flag other than N). */
    public boolean invalid() {
        return flag != null && !"N".equalsIgnoreCase(flag);
    }

    public Double get(String quantity) {
        int i = COLUMNS.indexOf(quantity);
        return i >= 0 ? columns[i] : extra.get(quantity) instanceof Double d ? d : null;
    }

    /**
     * Puts one frame value with the registry's rules: raw × scale × the quantity's CT/PT factor (meters behind
     * instrument transformers report secondary values); within one frame the better-ranked field wins
     * ({@link CanonicalMapper#fieldRank}: Rtd before Avg, whatever their order in the frame).
     */
    void put(FactorMapping m, String raw, double ct, double pt) {
        String quantity = m.quantity().name();
        if (m.quantity() == CanonicalQuantity.FLAG) {
            // one meter may send a flag per item: any non-N flag marks the sample
            if (flag == null || "N".equalsIgnoreCase(flag)) {
                flag = raw.trim();
            }
            return;
        }
        int rank = CanonicalMapper.fieldRank(m.field());
        Integer held = ranks.get(quantity);
        if (held != null && held < rank) {
            return;
        }
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            extra.put(quantity, raw);
            ranks.put(quantity, rank);
            return;
        }
        if (!Double.isFinite(v)) {
            return;
        }
        v *= m.scale() * m.quantity().factor(ct, pt);
        ranks.put(quantity, rank);
        int i = COLUMNS.indexOf(quantity);
        if (i < 0) {
            extra.put(quantity, v);
        } else {
            columns[i] = v;
        }
    }

    /** Later values win, earlier ones not in {@code later} are kept. */
    public void merge(CanonicalSample later) {
        for (int i = 0; i < columns.length; i++) {
            if (later.columns[i] != null) {
                columns[i] = later.columns[i];
            }
        }
        extra.putAll(later.extra);
        if (later.flag != null) {
            flag = later.flag;
        }
        receivedAtMillis = Math.max(receivedAtMillis, later.receivedAtMillis);
    }

    /** The values by canonical quantity, as the API shows them. */
    public Map<String, Object> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] != null) {
                out.put(COLUMNS.get(i), columns[i]);
            }
        }
        out.putAll(extra);
        if (flag != null) {
            out.put("FLAG", flag);
        }
        return out;
    }
}
