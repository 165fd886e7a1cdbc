package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.RejectReason;
import com.powerwatch.ingest.frame.ReceivedFrame;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Consecutive rejected pieces of one connection that belong to no device (no MN could be read), kept as one trace
 * record: a junk flood arrives in thousands of reads and framing errors, and one record per piece once turned 66 MB
 * of junk into 1.9 million records. A run ends at the next frame that names an MN (valid or not) and at the close;
 * its record has the verdict of its first piece, the byte count, the kinds of pieces and the first bytes. A run of
 * one piece is recorded exactly as that piece. Used on the connection's event loop only.
 */
final class JunkRun {

    private final Map<RejectReason, Long> kinds = new EnumMap<>(RejectReason.class);
    private final byte[] sample = new byte[FrameDecoder.SAMPLE_BYTES];
    private int sampleLength;
    private DecodeResult.Rejected first;
    private long firstAt;
    private long lastAt;
    private long pieces;
    private long bytes;

    /** Junk: a rejection that no MN can be read from. */
    static boolean isJunk(DecodeResult r) {
        return r instanceof DecodeResult.Rejected rej && (rej.packet() == null || rej.packet().mn() == null);
    }

    void add(DecodeResult.Rejected piece, long receivedAtMillis) {
        if (pieces == 0) {
            first = piece;
            firstAt = receivedAtMillis;
        }
        lastAt = receivedAtMillis;
        pieces++;
        bytes += piece.length();
        kinds.merge(piece.reason(), 1L, Long::sum);
        int n = Math.min(piece.bytes().length, sample.length - sampleLength);
        System.arraycopy(piece.bytes(), 0, sample, sampleLength, n);
        sampleLength += n;
    }

    boolean isEmpty() {
        return pieces == 0;
    }

    /** The run's trace record (with {@code note} on why it ended, or null); the run starts afresh. */
    ReceivedFrame drain(String channel, String peer, String note) {
        ReceivedFrame record;
        if (pieces == 1) {
            ReceivedFrame one = ReceivedFrame.of(first, firstAt, channel, peer);
            record = note == null ? one : one.withVerdict(one.verdict(), one.reason() + "; " + note);
        } else {
            StringJoiner byKind = new StringJoiner(", ");
            kinds.forEach((k, v) -> byKind.add(k.name() + " ×" + String.format("%,d", v)));
            String reason = String.format("%,d rejected pieces, %,d bytes in a row from this connection with no device's "
                            + "frame between them (%s) over %.1f s; the first %d bytes are kept. First: %s%s",
                    pieces, bytes, byKind, (lastAt - firstAt) / 1000.0, sampleLength, first.message(),
                    note == null ? "" : "; " + note);
            record = new ReceivedFrame(firstAt, channel, peer, first.reason().name(), reason, null, null, null, 0, 0,
                    Arrays.copyOf(sample, sampleLength));
        }
        kinds.clear();
        sampleLength = 0;
        first = null;
        pieces = 0;
        bytes = 0;
        return record;
    }
}
