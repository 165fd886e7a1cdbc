package com.powerwatch.hj212;

/**
 * The two CRC-16 variants met on HJ 212 links.
 *
 * <p>The standard's algorithm (HJ 212-2017 Appendix A) is <em>not</em> CRC-16/MODBUS: per byte it
 * does {@code reg = (reg >> 8) ^ b}, which drops the register's low byte, then eight rounds of
 * shift-right/XOR 0xA001. Because the register is at most 8 bits wide before the rounds, each step
 * is one lookup in the MODBUS table: {@code reg = T[(reg >> 8) ^ b]}.
 */
public final class Crc16 {

    private static final int[] TABLE = new int[256];

    static {
        for (int x = 0; x < 256; x++) {
            int reg = x;
            for (int round = 0; round < 8; round++) {
                reg = (reg & 1) != 0 ? (reg >>> 1) ^ 0xA001 : reg >>> 1;
            }
            TABLE[x] = reg;
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Crc16() {
    }

    /** HJ 212 Appendix A CRC over {@code len} bytes of the data segment. */
    public static int hj212(byte[] data, int off, int len) {
        int reg = 0xFFFF;
        for (int i = off, end = off + len; i < end; i++) {
            reg = TABLE[((reg >>> 8) ^ data[i]) & 0xFF];
        }
        return reg;
    }

    /** One step of {@link #hj212}: for callers that look at each byte for something else too. */
    static int hj212Step(int reg, byte b) {
        return TABLE[((reg >>> 8) ^ b) & 0xFF];
    }

    /** Plain CRC-16/MODBUS ({@code reg ^= b}), used by one real device family. */
    public static int modbus(byte[] data, int off, int len) {
        int reg = 0xFFFF;
        for (int i = off, end = off + len; i < end; i++) {
            reg = (reg >>> 8) ^ TABLE[(reg ^ data[i]) & 0xFF];
        }
        return reg;
    }

    /** Four uppercase hex digits, zero padded, high byte first (as the standard prints it). */
    public static String hex(int crc) {
        byte[] out = new byte[4];
        writeHex(crc, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void writeHex(int crc, byte[] out, int off) {
        out[off] = HEX[(crc >>> 12) & 0xF];
        out[off + 1] = HEX[(crc >>> 8) & 0xF];
        out[off + 2] = HEX[(crc >>> 4) & 0xF];
        out[off + 3] = HEX[crc & 0xF];
    }

    /** Swaps the two bytes: how the MODBUS-LE device family prints its CRC. */
    public static int swapBytes(int crc) {
        return ((crc & 0xFF) << 8) | ((crc >>> 8) & 0xFF);
    }

    /**
     * Reads four hex digits (either case) at {@code off}.
     *
     * @return the value 0..0xFFFF, or -1 when any of the four bytes is not a hex digit
     */
    public static int parseHex(byte[] data, int off) {
        int value = 0;
        for (int i = off; i < off + 4; i++) {
            int d = hexDigit(data[i]);
            if (d < 0) {
                return -1;
            }
            value = (value << 4) | d;
        }
        return value;
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
