package com.powerwatch.hj212;

/** The protocol edition, carried in bits V5..V0 of the header's Flag (Flag = version &lt;&lt; 2 | D &lt;&lt; 1 | A). */
public enum Hj212Version {
    /** HJ/T 212-2005: version bits 0, also every packet without a Flag. */
    V2005(0, "2005"),
    /** HJ 212-2017: version bits 1 (Flag 4..7). */
    V2017(1, "2017"),
    /** HJ 212-2025: version bits 2 (Flag 8..11), in force since 2026-01-01. */
    V2025(2, "2025"),
    /** Version bits no edition defines; the packet is still accepted and replies mirror its bits. */
    UNKNOWN(-1, "unknown");

    private final int bits;
    private final String label;

    Hj212Version(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    /** The V5..V0 value, -1 for {@link #UNKNOWN}. */
    public int bits() {
        return bits;
    }

    /** The year as people say it: "2005", "2017", "2025". */
    public String label() {
        return label;
    }

    public static Hj212Version ofBits(int bits) {
        switch (bits) {
            case 0:
                return V2005;
            case 1:
                return V2017;
            case 2:
                return V2025;
            default:
                return UNKNOWN;
        }
    }

    /** The version of a packet whose header Flag is {@code flag}, or 2005 when it has none. */
    public static Hj212Version ofFlag(Integer flag) {
        return flag == null ? V2005 : ofBits(flag >>> 2);
    }
}
