package com.powerwatch.hj212;

import java.nio.charset.StandardCharsets;

/** Wraps a data segment into a frame: {@code ##} + length (bytes) + data + CRC + CRLF. */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    public static byte[] encode(Packet packet) {
        return encode(packet.toDataSegment(), CrcPolicy.STANDARD);
    }

    public static byte[] encode(String dataSegment) {
        return encode(dataSegment, CrcPolicy.STANDARD);
    }

    /**
     * Frames a data segment with the given CRC policy (the simulator uses MODBUS_LE to imitate that
     * device family; {@link CrcPolicy#NONE} writes the standard CRC).
     */
    public static byte[] encode(String dataSegment, CrcPolicy policy) {
        byte[] data = dataSegment.getBytes(StandardCharsets.UTF_8);
        if (data.length > 9999) {
            throw new IllegalArgumentException("data segment of " + data.length + " bytes does not fit the 4-digit length field");
        }
        byte[] frame = new byte[data.length + 12];
        frame[0] = '#';
        frame[1] = '#';
        int len = data.length;
        frame[2] = (byte) ('0' + len / 1000);
        frame[3] = (byte) ('0' + len / 100 % 10);
        frame[4] = (byte) ('0' + len / 10 % 10);
        frame[5] = (byte) ('0' + len % 10);
        System.arraycopy(data, 0, frame, 6, len);
        int crc = policy == CrcPolicy.NONE ? Crc16.hj212(data, 0, len) : policy.compute(data, 0, len);
        Crc16.writeHex(crc, frame, 6 + len);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    public static String encodeToString(Packet packet) {
        return new String(encode(packet), StandardCharsets.UTF_8);
    }
}
