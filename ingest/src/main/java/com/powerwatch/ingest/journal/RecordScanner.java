package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads and verifies records of one segment file through a buffered window. Used by recovery and by readers.
 * It never reads at or beyond {@link #limit}, the end of the bytes known to be complete, so a record the writer
 * is still writing is never seen half-written.
 */
final class RecordScanner {
    enum Status { RECORD, END, SHORT, CORRUPT }

    private static final int WINDOW_BYTES = 256 * 1024;

    private final FileChannel channel;
    private final int maxRecordBytes;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
    private long windowStart;
    private int windowLength;
    private long limit;

    // Fields of the record found by the last successful readAt.
    private int recordIndex;
    long position;
    long timestampMillis;
    int payloadLength;

    RecordScanner(FileChannel channel, long limit, int maxRecordBytes) {
        this.channel = channel;
        this.limit = limit;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Moves the end of readable bytes; the window stays valid because bytes below the old limit never change. */
    void limit(long newLimit) {
        if (newLimit < limit) {
            windowLength = 0; // only recovery shrinks a file; drop whatever the window held
        }
        limit = newLimit;
    }

    long limit() {
        return limit;
    }

    int recordLength() {
        return RecordFormat.RECORD_HEADER_BYTES + payloadLength;
    }

    /**
     * Reads the record at {@code offset}: {@link Status#END} exactly at the limit, {@link Status#SHORT} if the
     * bytes stop inside the record, {@link Status#CORRUPT} if the length is impossible or the CRC does not match.
     */
    Status readAt(long offset) throws IOException {
        if (offset >= limit) {
            return Status.END;
        }
        if (!ensure(offset, RecordFormat.RECORD_HEADER_BYTES)) {
            return Status.SHORT;
        }
        int len = window.getInt((int) (offset - windowStart));
        if (len < 0 || len > maxRecordBytes) {
            return Status.CORRUPT;
        }
        if (!ensure(offset, RecordFormat.RECORD_HEADER_BYTES + len)) {
            return Status.SHORT;
        }
        int i = (int) (offset - windowStart);
        if (RecordFormat.checksum(window, i, len, crc) != window.getInt(i + 4)) {
            return Status.CORRUPT;
        }
        recordIndex = i;
        payloadLength = len;
        position = window.getLong(i + 8);
        timestampMillis = window.getLong(i + 16);
        return Status.RECORD;
    }

    /** A copy of the payload of the record found by the last {@link #readAt} that returned RECORD. */
    byte[] payload() {
        byte[] out = new byte[payloadLength];
        window.get(recordIndex + RecordFormat.RECORD_HEADER_BYTES, out);
        return out;
    }

    /**
     * After damage at some offset: the first offset at or after {@code from} where a complete, CRC-valid record
     * with a position in {@code [minPosition, minPosition + remaining bytes / header size]} starts; -1 if none.
     * The position bound and the CRC make a false match in garbage practically impossible.
     */
    long resync(long from, long minPosition) throws IOException {
        long maxPosition = minPosition + (limit - from) / RecordFormat.RECORD_HEADER_BYTES + 1;
        for (long off = from; off + RecordFormat.RECORD_HEADER_BYTES <= limit; off++) {
            if (!ensure(off, RecordFormat.RECORD_HEADER_BYTES)) {
                return -1;
            }
            int i = (int) (off - windowStart);
            int len = window.getInt(i);
            long pos = window.getLong(i + 8);
            if (len < 0 || len > maxRecordBytes || pos < minPosition || pos > maxPosition
                    || off + RecordFormat.RECORD_HEADER_BYTES + len > limit) {
                continue;
            }
            if (readAt(off) == Status.RECORD && position == pos) {
                return off;
            }
        }
        return -1;
    }

    private boolean ensure(long offset, int n) throws IOException {
        if (offset >= windowStart && offset + n <= windowStart + windowLength) {
            return true;
        }
        if (offset + n > limit) {
            return false;
        }
        if (window.capacity() < n) {
            window = ByteBuffer.allocate(Math.max(n, WINDOW_BYTES));
        }
        window.clear().limit((int) Math.min(window.capacity(), limit - offset));
        long p = offset;
        while (window.hasRemaining()) {
            int r = channel.read(window, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        windowStart = offset;
        windowLength = window.position();
        return windowLength >= n;
    }
}
