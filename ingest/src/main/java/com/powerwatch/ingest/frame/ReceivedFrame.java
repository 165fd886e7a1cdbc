package com.powerwatch.ingest.frame;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.PacketParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One journal record: a frame (or rejected bytes) as received, with where and when it came from and
 * the decoder's verdict. Consumers read the packet again from the raw bytes, so the raw frame stays
 * the single source of truth.
 *
 * @param receivedAtMillis when the gateway or AMQP consumer received it
 * @param channel          "tcp" or "amqp" (with the queue) — where it entered
 * @param peer             remote address, or the AMQP source
 * @param verdict          null for a valid frame, else the reject reason name
 * @param reason           the rejection message, null when valid
 * @param mn               MN as far as it could be read (null for garbage)
 * @param cn               CN as far as it could be read
 * @param qn               QN as far as it could be read
 * @param dataOffset       where the data segment starts in {@code raw} (valid frames)
 * @param dataLength       its length in bytes (valid frames)
 * @param raw              the bytes as received
 */
public record ReceivedFrame(long receivedAtMillis, String channel, String peer, String verdict, String reason,
                            String mn, String cn, String qn, int dataOffset, int dataLength, byte[] raw) {

    private static final byte FORMAT = 1;

    public boolean valid() {
        return verdict == null;
    }

    public static ReceivedFrame of(DecodeResult result, long receivedAtMillis, String channel, String peer) {
        if (result instanceof DecodeResult.Decoded d) {
            Packet p = d.packet();
            int crcAndTerminator = terminatorLength(d.bytes()) + 4;
            return new ReceivedFrame(receivedAtMillis, channel, peer, null, null, p.mn(), p.cn(), p.qn(), 6,
                    d.bytes().length - 6 - crcAndTerminator, d.bytes());
        }
        DecodeResult.Rejected r = (DecodeResult.Rejected) result;
        Packet p = r.packet();
        return new ReceivedFrame(receivedAtMillis, channel, peer, r.reason().name(), r.message(),
                p == null ? null : p.mn(), p == null ? null : p.cn(), p == null ? null : p.qn(), 0, 0, r.bytes());
    }

    /**
     * The same bytes refused by a check after decoding (the device's password, a connection's MN limit): journaled
     * and traced with the reason like any rejection, so no consumer applies it.
     */
    public ReceivedFrame refused(String newVerdict, String why) {
        return new ReceivedFrame(receivedAtMillis, channel, peer, newVerdict, why, mn, cn, qn, 0, 0, raw);
    }

    /** A valid frame accepted with a warning the trace shows (verdict stays valid). */
    public ReceivedFrame warned(String why) {
        return new ReceivedFrame(receivedAtMillis, channel, peer, verdict, why, mn, cn, qn, dataOffset, dataLength, raw);
    }

    /** The same record under another verdict and reason (a frame quarantined or annotated after decoding). */
    public ReceivedFrame withVerdict(String newVerdict, String newReason) {
        return new ReceivedFrame(receivedAtMillis, channel, peer, newVerdict, newReason, mn, cn, qn, dataOffset, dataLength, raw);
    }

    private static int terminatorLength(byte[] frame) {
        int n = frame.length;
        if (n >= 2 && frame[n - 2] == '\r' && frame[n - 1] == '\n') {
            return 2;
        }
        return n >= 1 && (frame[n - 1] == '\n' || frame[n - 1] == '\r') ? 1 : 0;
    }

    /** The packet of a valid frame, read again from the raw bytes. */
    public Packet packet() {
        if (!valid()) {
            throw new IllegalStateException("a rejected frame has no packet: " + verdict);
        }
        return PacketParser.parse(new String(raw, dataOffset, dataLength, StandardCharsets.UTF_8)).packet();
    }

    /** The raw bytes as text for the trace view. */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length + 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(receivedAtMillis);
            writeString(out, channel);
            writeString(out, peer);
            writeString(out, verdict);
            writeString(out, reason);
            writeString(out, mn);
            writeString(out, cn);
            writeString(out, qn);
            out.writeInt(dataOffset);
            out.writeInt(dataLength);
            out.writeInt(raw.length);
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ReceivedFrame decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown journal record format " + format);
            }
            long at = in.readLong();
            String channel = readString(in);
            String peer = readString(in);
            String verdict = readString(in);
            String reason = readString(in);
            String mn = readString(in);
            String cn = readString(in);
            String qn = readString(in);
            int off = in.readInt();
            int len = in.readInt();
            byte[] raw = new byte[in.readInt()];
            in.readFully(raw);
            return new ReceivedFrame(at, channel, peer, verdict, reason, mn, cn, qn, off, len, raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt journal record: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(b.length, Short.MAX_VALUE);
        out.writeShort(len);
        out.write(b, 0, len);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readShort();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
