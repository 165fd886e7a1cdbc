package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the last segment on open. Damage at the tail is a torn write (records there were never
 * acknowledged: their fsync had not returned) and is cut off. Damage followed by valid records is bit rot:
 * it is reported, counted and skipped, and the valid records after it are kept.
 */
final class SegmentRecovery {
    private static final Logger log = LoggerFactory.getLogger(SegmentRecovery.class);

    /**
     * @param validBytes     file size after recovery
     * @param nextPosition   position the next appended record gets
     * @param lastTimestamp  timestamp of the last valid record (0 if none)
     * @param bytesCut       bytes cut from the tail
     * @param recordsSkipped records lost to damage before the tail
     */
    record Result(long validBytes, long nextPosition, long lastTimestamp, long bytesCut, long recordsSkipped) {
    }

    private SegmentRecovery() {
    }

    /** Recovers the segment open in {@code channel} (read/write); truncates and forces it if needed. */
    static Result recoverTail(FileChannel channel, Segment segment, int maxRecordBytes) throws IOException {
        long size = channel.size();
        if (size < RecordFormat.SEGMENT_HEADER_BYTES) {
            // Crash while the segment was being created: no record in it was ever acknowledged.
            log.warn("Journal segment {} has a torn header ({} bytes); rewriting it", segment, size);
            channel.truncate(0);
            writeFully(channel, RecordFormat.segmentHeader(segment.basePosition), 0);
            channel.force(true);
            return new Result(RecordFormat.SEGMENT_HEADER_BYTES, segment.basePosition, 0, size, 0);
        }
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
        channel.read(header, 0);
        header.flip();
        if (!RecordFormat.isValidSegmentHeader(header, segment.basePosition)) {
            log.error("Journal segment {} has a damaged header; rewriting it and keeping the records", segment);
            writeFully(channel, RecordFormat.segmentHeader(segment.basePosition), 0);
        }

        RecordScanner scanner = new RecordScanner(channel, size, maxRecordBytes);
        long offset = RecordFormat.SEGMENT_HEADER_BYTES;
        long expected = segment.basePosition;
        long lastTimestamp = 0;
        long skipped = 0;
        while (true) {
            RecordScanner.Status status = scanner.readAt(offset);
            if (status == RecordScanner.Status.END) {
                break;
            }
            if (status == RecordScanner.Status.RECORD && scanner.position == expected) {
                offset += scanner.recordLength();
                expected++;
                lastTimestamp = scanner.timestampMillis;
                continue;
            }
            long next = scanner.resync(offset + 1, expected);
            if (next < 0) {
                break; // nothing valid after the damage: a torn tail
            }
            scanner.readAt(next);
            long lost = scanner.position - expected;
            log.error("Journal segment {}: {} damaged bytes at offset {} (positions {}..{} lost); skipped",
                    segment, next - offset, offset, expected, scanner.position - 1);
            skipped += lost;
            offset = next;
            expected = scanner.position;
        }
        long cut = size - offset;
        if (cut > 0) {
            log.warn("Journal segment {}: torn tail of {} bytes at offset {} cut (next position {})",
                    segment, cut, offset, expected);
            channel.truncate(offset);
            channel.force(true);
        }
        return new Result(offset, expected, lastTimestamp, cut, skipped);
    }

    static void writeFully(FileChannel channel, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            p += channel.write(buf, p);
        }
    }
}
