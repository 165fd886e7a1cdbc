package com.powerwatch.ingest.journal;

import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of segments and records (all integers big-endian).
 *
 * <pre>
 * segment file  {base position, 20 digits}.seg
 *   header      magic "PWJ1" (int) | version 1 (int) | base position (long)          16 bytes
 *   records...
 * record        payload length (int) | CRC32C (int) | position (long) | timestamp millis (long) | payload
 *               the CRC covers the length field, position, timestamp and payload, so a damaged length is caught
 * </pre>
 */
final class RecordFormat {
    static final int SEGMENT_MAGIC = 0x50574A31; // "PWJ1"
    static final int SEGMENT_VERSION = 1;
    static final int SEGMENT_HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 24;

    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

    private RecordFormat() {
    }

    static String segmentFileName(long basePosition) {
        return String.format("%020d.seg", basePosition);
    }

    /** The base position encoded in a segment file name, or -1 if the name is not a segment's. */
    static long basePositionOf(String fileName) {
        Matcher m = SEGMENT_NAME.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static ByteBuffer segmentHeader(long basePosition) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        b.putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putLong(basePosition).flip();
        return b;
    }

    static boolean isValidSegmentHeader(ByteBuffer b, long basePosition) {
        return b.remaining() >= SEGMENT_HEADER_BYTES
                && b.getInt(b.position()) == SEGMENT_MAGIC
                && b.getInt(b.position() + 4) == SEGMENT_VERSION
                && b.getLong(b.position() + 8) == basePosition;
    }

    /** Frames one record into {@code dst} at its position (which must have room for it). */
    static void frame(ByteBuffer dst, long position, long timestampMillis, byte[] payload, CRC32C crc) {
        int start = dst.position();
        dst.putInt(payload.length).putInt(0).putLong(position).putLong(timestampMillis).put(payload);
        dst.putInt(start + 4, checksum(dst, start, payload.length, crc));
    }

    /** CRC32C of the record starting at absolute index {@code start} of {@code buf}, skipping the CRC field. */
    static int checksum(ByteBuffer buf, int start, int payloadLength, CRC32C crc) {
        crc.reset();
        ByteBuffer d = buf.duplicate();
        d.clear().position(start).limit(start + 4);
        crc.update(d);
        d.clear().position(start + 8).limit(start + RECORD_HEADER_BYTES + payloadLength);
        crc.update(d);
        return (int) crc.getValue();
    }
}
