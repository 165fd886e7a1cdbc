package com.powerwatch.hj212;

/**
 * How the CRC of a device's frames is checked. Chosen per device (by MN) so that an operator can
 * accept one known odd device without weakening the check for everyone else.
 */
public enum CrcPolicy {
    /** HJ 212 Appendix A, the default for every device. */
    STANDARD,
    /** CRC-16/MODBUS printed low byte first: a real device family in the field. */
    MODBUS_LE,
    /** No check at all, for trusted links; the frame must still be well delimited (CRLF at the declared end). */
    NONE;

    /** The CRC this policy expects for the given data segment, or -1 for {@link #NONE}. */
    public int compute(byte[] data, int off, int len) {
        switch (this) {
            case STANDARD:
                return Crc16.hj212(data, off, len);
            case MODBUS_LE:
                return Crc16.swapBytes(Crc16.modbus(data, off, len));
            default:
                return -1;
        }
    }

    /**
     * Whether the frame's CRC field ({@code declared}, -1 when not hex) is acceptable for the data.
     */
    public boolean accepts(byte[] data, int off, int len, int declared) {
        if (this == NONE) {
            return true;
        }
        return declared >= 0 && declared == compute(data, off, len);
    }

    /** Parses {@code standard}, {@code modbus-le}, {@code none} (any case, '-' or '_'). */
    public static CrcPolicy parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (CrcPolicy p : values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown CRC policy '" + text + "' (standard, modbus-le, none)");
    }
}
