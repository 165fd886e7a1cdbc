package com.powerwatch.hj212;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streaming HJ 212 decoder for one byte stream (one TCP connection, one AMQP body...).
 *
 * <p>Frames are found on bytes, never on lines: {@code ##} + 4-digit length + data segment + 4 hex CRC
 * + CRLF. Chunks may split frames anywhere or carry several frames; bytes before a {@code ##} are
 * reported as garbage and skipped; after any damage the decoder resynchronises on the next {@code ##}
 * or CRLF, so intact neighbours of a broken frame are still decoded. The length is counted in bytes;
 * when that fails the character count is tried (UTF-8 text in {@code -Info} fields).
 *
 * <p>Memory is bounded: at most {@code 2 × maxFrameBytes} are buffered, whatever the peer sends.
 * Nothing escapes {@link #feed}: every problem becomes a {@link DecodeResult.Rejected}.
 *
 * <p>Not thread-safe: one decoder per stream, fed by one thread at a time.
 */
public final class FrameDecoder {

    /** Size of the byte sample kept for garbage and oversize rejections. */
    public static final int SAMPLE_BYTES = 256;

    private static final int HEADER = 6; // "##" + 4 digits
    private static final int NOT_FOUND = -1;
    private static final Charset GB18030 = Charset.forName("GB18030");

    private final DecoderOptions options;
    private final int maxFrameBytes;
    private final int capacityLimit;

    private byte[] buf;
    private int start;
    private int end;
    /** Stream offset of {@code buf[start]}. */
    private long startOffset;
    /** Bytes after {@code start} already searched for a terminator without a hit (reset when start moves). */
    private int scanned;
    /** After an oversize frame: drop bytes until CRLF or the next "##". */
    private boolean discarding;

    private long garbageOffset = -1;
    private long garbageLength;
    private final byte[] garbageSample = new byte[SAMPLE_BYTES];
    private int garbageSampleLength;

    private long framesDecoded;
    private long bytesSkipped;
    private final Map<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);

    public FrameDecoder() {
        this(DecoderOptions.defaults());
    }

    public FrameDecoder(DecoderOptions options) {
        this.options = options;
        this.maxFrameBytes = options.maxFrameBytes();
        this.capacityLimit = 2 * maxFrameBytes;
        this.buf = new byte[Math.min(2048, capacityLimit)];
    }

    /** Decodes everything in {@code bytes} as a complete stream (a file, a message body) and returns the results. */
    public static List<DecodeResult> decodeAll(byte[] bytes, DecoderOptions options) {
        List<DecodeResult> out = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(options);
        decoder.feed(bytes, 0, bytes.length, out::add);
        decoder.finish(out::add);
        return out;
    }

    public void feed(byte[] chunk, Consumer<? super DecodeResult> out) {
        feed(chunk, 0, chunk.length, out);
    }

    /** Takes the next bytes of the stream and reports every frame or rejection they complete, in stream order. */
    public void feed(byte[] chunk, int off, int len, Consumer<? super DecodeResult> out) {
        while (len > 0) {
            compact();
            if (end == buf.length && buf.length < capacityLimit) {
                buf = Arrays.copyOf(buf, Math.min(capacityLimit, buf.length * 2));
            }
            int n = Math.min(buf.length - end, len);
            System.arraycopy(chunk, off, buf, end, n);
            end += n;
            off += n;
            len -= n;
            process(out);
        }
        flushGarbage(out);
    }

    /** The stream has ended (connection closed): reports what is left as truncated and resets. */
    public void finish(Consumer<? super DecodeResult> out) {
        process(out);
        flushGarbage(out);
        if (end > start && !discarding) {
            boolean onlyLineEnds = true;
            for (int i = start; i < end; i++) {
                onlyLineEnds &= buf[i] == '\r' || buf[i] == '\n';
            }
            if (!onlyLineEnds) {
                reject(out, RejectReason.TRUNCATED, "stream ended inside a frame after " + (end - start) + " bytes",
                        start, end, null);
            }
        }
        consume(end - start);
        discarding = false;
    }

    /** Bytes held for an incomplete frame; never more than twice the maximum frame. */
    public int bufferedBytes() {
        return end - start;
    }

    public long framesDecoded() {
        return framesDecoded;
    }

    /** Garbage and discarded bytes so far (not counting line ends between frames). */
    public long bytesSkipped() {
        return bytesSkipped;
    }

    public Map<RejectReason, Long> rejections() {
        return Map.copyOf(rejections);
    }

    // ---------------------------------------------------------------------------------------------

    private void process(Consumer<? super DecodeResult> out) {
        while (end > start) {
            if (discarding) {
                if (!discard()) {
                    return;
                }
                continue;
            }
            int avail = end - start;
            if (buf[start] != '#' || (avail >= 2 && buf[start + 1] != '#')) {
                skipToFrameStart();
                continue;
            }
            if (avail < 2) {
                return; // a lone '#': wait for the next byte
            }
            flushGarbage(out);
            if (!tryFrame(out)) {
                return; // need more bytes
            }
        }
    }

    /** Tries to take one frame starting at {@code start} ("##" known). Returns false when more bytes are needed. */
    private boolean tryFrame(Consumer<? super DecodeResult> out) {
        final int s = start;
        final int avail = end - s;
        int declared = 0;
        int digits = Math.min(4, avail - 2);
        for (int i = 0; i < digits; i++) {
            byte b = buf[s + 2 + i];
            if (b < '0' || b > '9') {
                return badLengthField(out);
            }
            declared = declared * 10 + (b - '0');
        }
        if (avail < HEADER) {
            return false;
        }
        if (declared > options.maxDataLength()) {
            reject(out, RejectReason.OVERSIZE, "declared data length " + declared + " exceeds the maximum "
                    + options.maxDataLength(), s, Math.min(end, s + SAMPLE_BYTES), null);
            consume(2);
            discarding = true;
            return true;
        }
        final int dataStart = s + HEADER;
        final int crcAt = dataStart + declared;
        final int termAt = crcAt + 4;
        if (end >= termAt) {
            int crcField = Crc16.parseHex(buf, crcAt);
            boolean crlf = end >= termAt + 2 && buf[termAt] == '\r' && buf[termAt + 1] == '\n';
            // CRC and a look for '#' in one pass: "##" inside the data means a truncated frame followed by
            // another, which can line up with the declared length (and, rarely, a CRC) by chance
            int reg = 0xFFFF;
            boolean hash = false;
            for (int i = dataStart; i < crcAt; i++) {
                byte b = buf[i];
                hash |= b == '#';
                reg = Crc16.hj212Step(reg, b);
            }
            int inner = hash ? indexOfFrameStart(dataStart, crcAt + 1) : NOT_FOUND;
            if (inner >= 0) {
                reject(out, RejectReason.BAD_FRAMING, "a new frame starts " + (inner - s)
                        + " bytes into this one (truncated frame)", s, inner, readPacket(dataStart, inner - dataStart));
                consume(inner - s);
                return true;
            }
            if (crcField >= 0 && crcField == reg) {
                accept(out, s, dataStart, declared, crcAt, CrcPolicy.STANDARD, null);
                return true;
            }
            if (crlf) {
                // the declared extent is confirmed by the terminator: the CRC alone is wrong
                CrcPolicy other = otherPolicy(dataStart, declared, crcField);
                if (other != null) {
                    accept(out, s, dataStart, declared, crcAt, other, null);
                } else {
                    rejectCrc(out, s, dataStart, declared, crcAt, termAt + 2, null);
                }
                return true;
            }
        }
        // The declared length does not lead to a CRC + CRLF (yet): look for where the frame really ends.
        int hit = scanForBoundary(dataStart);
        if (hit == NOT_FOUND) {
            if (avail >= maxFrameBytes) {
                reject(out, RejectReason.OVERSIZE, "no CRLF terminator within " + maxFrameBytes + " bytes",
                        s, s + SAMPLE_BYTES, null);
                consume(2);
                discarding = true;
                return true;
            }
            return false;
        }
        if (buf[hit] == '#') {
            reject(out, RejectReason.BAD_FRAMING, "no CRLF terminator before the next '##' (declared length "
                    + declared + ", " + (hit - dataStart) + " bytes follow the header)", s, hit, null);
            consume(hit - s);
            return true;
        }
        int frameEnd = hit + 2;
        int actual = hit - 4 - dataStart;
        if (actual < 0) {
            reject(out, RejectReason.BAD_FRAMING, "frame ends " + (hit - dataStart)
                    + " bytes after the header, too short to hold a CRC", s, frameEnd, null);
            consume(frameEnd - s);
            return true;
        }
        int chars = utf8Chars(dataStart, actual);
        if (chars == declared) {
            // the sender counted characters, not bytes (UTF-8 text in -Info fields)
            int crcField = Crc16.parseHex(buf, hit - 4);
            CrcPolicy policy = crcField >= 0 && crcField == Crc16.hj212(buf, dataStart, actual)
                    ? CrcPolicy.STANDARD : otherPolicy(dataStart, actual, crcField);
            String note = "length " + declared + " counts characters; the data segment has " + actual + " bytes";
            if (policy != null) {
                accept(out, s, dataStart, actual, hit - 4, policy, note);
            } else {
                rejectCrc(out, s, dataStart, actual, hit - 4, frameEnd, note);
            }
            return true;
        }
        int crcField = Crc16.parseHex(buf, hit - 4);
        boolean crcOk = crcField >= 0 && crcField == Crc16.hj212(buf, dataStart, actual);
        reject(out, RejectReason.BAD_LENGTH, "declared length " + declared + ", actual data segment " + actual
                + " bytes (" + chars + " characters); CRC " + (crcOk ? "matches the actual bytes"
                : "does not match either (given " + crcText(hit - 4) + ", computed " + Crc16.hex(Crc16.hj212(buf, dataStart, actual)) + ")"),
                s, frameEnd, readPacket(dataStart, actual));
        consume(frameEnd - s);
        return true;
    }

    /** "##" followed by something that is not a 4-digit length: reject up to the next boundary. */
    private boolean badLengthField(Consumer<? super DecodeResult> out) {
        int s = start;
        // from s + 1: in "###0635..." the real frame starts one byte later
        int hit = scanForBoundary(s + 1);
        if (hit == NOT_FOUND) {
            if (end - s >= maxFrameBytes) {
                reject(out, RejectReason.BAD_FRAMING, "'##' not followed by a 4-digit length, and no terminator within "
                        + maxFrameBytes + " bytes", s, s + SAMPLE_BYTES, null);
                consume(2);
                discarding = true;
                return true;
            }
            return false;
        }
        int to = buf[hit] == '#' ? hit : hit + 2;
        int lengthEnd = s + 2;
        while (lengthEnd < to && lengthEnd < s + 6 && buf[lengthEnd] >= '0' && buf[lengthEnd] <= '9') {
            lengthEnd++;
        }
        String field = new String(buf, s + 2, lengthEnd - (s + 2), StandardCharsets.US_ASCII);
        Packet partial = null;
        if (buf[hit] == '\r' && hit - 4 > lengthEnd) {
            partial = readPacket(lengthEnd, hit - 4 - lengthEnd);
        }
        reject(out, RejectReason.BAD_FRAMING, "length field '" + field + "' is not 4 digits", s, to, partial);
        consume(to - s);
        return true;
    }

    /**
     * Finds the first CRLF or "##" at or after {@code from} and within one maximum frame of the start,
     * resuming where the last search for this frame stopped. Returns the index of its first byte, or
     * {@link #NOT_FOUND}.
     */
    private int scanForBoundary(int from) {
        int i = Math.max(from, start + scanned);
        int limit = Math.min(end, start + maxFrameBytes); // a frame never extends further
        for (; i + 1 < limit; i++) {
            byte b = buf[i];
            if ((b == '\r' && buf[i + 1] == '\n') || (b == '#' && buf[i + 1] == '#')) {
                return i;
            }
        }
        scanned = Math.max(scanned, i - start);
        return NOT_FOUND;
    }

    private int indexOfFrameStart(int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (buf[i] == '#' && buf[i + 1] == '#') {
                return i;
            }
        }
        return NOT_FOUND;
    }

    /** Skips bytes up to the next "##" (or a trailing lone '#'), counting them as garbage unless they are line ends. */
    private void skipToFrameStart() {
        int i = start;
        while (i < end) {
            byte b = buf[i];
            if (b == '#' && (i + 1 == end || buf[i + 1] == '#')) {
                break;
            }
            // a run of garbage starts at a byte that is not a line end; once started it takes every byte
            if (garbageOffset < 0 && b != '\r' && b != '\n') {
                garbageOffset = startOffset + (i - start);
            }
            if (garbageOffset >= 0) {
                if (garbageSampleLength < SAMPLE_BYTES) {
                    garbageSample[garbageSampleLength++] = b;
                }
                garbageLength++;
            }
            i++;
        }
        consume(i - start);
    }

    /** Drops bytes until CRLF (consumed) or "##" (kept). Returns true when discarding has ended. */
    private boolean discard() {
        int i = start;
        for (; i < end; i++) {
            if (i + 1 < end && buf[i] == '\r' && buf[i + 1] == '\n') {
                bytesSkipped += i + 2 - start;
                consume(i + 2 - start);
                discarding = false;
                return true;
            }
            if (i + 1 < end && buf[i] == '#' && buf[i + 1] == '#') {
                bytesSkipped += i - start;
                consume(i - start);
                discarding = false;
                return true;
            }
        }
        // keep a last byte that may begin "\r\n" or "##"
        int keep = end > start && (buf[end - 1] == '\r' || buf[end - 1] == '#') ? 1 : 0;
        bytesSkipped += end - keep - start;
        consume(end - keep - start);
        return false;
    }

    private void flushGarbage(Consumer<? super DecodeResult> out) {
        if (garbageOffset < 0) {
            return;
        }
        byte[] sample = Arrays.copyOf(garbageSample, garbageSampleLength);
        String message = garbageLength + " bytes outside any frame skipped"
                + (garbageLength > SAMPLE_BYTES ? " (first " + SAMPLE_BYTES + " kept)" : "");
        rejections.merge(RejectReason.GARBAGE_SKIPPED, 1L, Long::sum);
        bytesSkipped += garbageLength;
        out.accept(new DecodeResult.Rejected(RejectReason.GARBAGE_SKIPPED, message, sample, garbageOffset,
                garbageLength, null));
        garbageOffset = -1;
        garbageLength = 0;
        garbageSampleLength = 0;
    }

    /** A frame whose CRC is accepted: read its packet and report it (or the header problem). */
    private void accept(Consumer<? super DecodeResult> out, int s, int dataStart, int dataLength, int crcAt,
                        CrcPolicy policy, String frameNote) {
        int frameEnd = crcAt + 4;
        String terminatorNote = null;
        if (frameEnd < end) {
            // a terminator not yet received is fine: line ends between frames are skipped silently
            if (buf[frameEnd] == '\r') {
                frameEnd++;
                if (frameEnd < end) {
                    if (buf[frameEnd] == '\n') {
                        frameEnd++;
                    } else {
                        terminatorNote = "frame ends with a lone CR instead of CRLF";
                    }
                }
            } else if (buf[frameEnd] == '\n') {
                frameEnd++;
                terminatorNote = "frame ends with a lone LF instead of CRLF";
            } else {
                terminatorNote = "no CRLF after the CRC";
            }
        }
        PacketParser.Outcome outcome = PacketParser.parse(text(dataStart, dataLength));
        if (!outcome.ok()) {
            reject(out, outcome.error(), outcome.message(), s, frameEnd, outcome.packet());
        } else {
            Packet packet = outcome.packet();
            if (frameNote != null || terminatorNote != null || textNote != null) {
                List<String> warnings = new ArrayList<>(packet.warnings());
                if (frameNote != null) {
                    warnings.add(frameNote);
                }
                if (terminatorNote != null) {
                    warnings.add(terminatorNote);
                }
                if (textNote != null) {
                    warnings.add(textNote);
                }
                packet = new Packet(packet.qn(), packet.st(), packet.cn(), packet.pw(), packet.mn(), packet.flag(),
                        packet.pnum(), packet.pno(), packet.extraHeader(), packet.cp(), warnings);
            }
            framesDecoded++;
            out.accept(new DecodeResult.Decoded(packet, Arrays.copyOfRange(buf, s, frameEnd), startOffset, policy));
        }
        textNote = null;
        consume(frameEnd - s);
    }

    private void rejectCrc(Consumer<? super DecodeResult> out, int s, int dataStart, int dataLength, int crcAt,
                           int frameEnd, String note) {
        Packet partial = readPacket(dataStart, dataLength);
        CrcPolicy policy = partial != null && partial.mn() != null && !options.onlyStandardCrc()
                ? options.crcPolicies().apply(partial.mn()) : CrcPolicy.STANDARD;
        if (policy == null) {
            policy = CrcPolicy.STANDARD;
        }
        String message = "CRC " + crcText(crcAt) + " does not match the data segment (" + policy.name().toLowerCase()
                + " CRC " + Crc16.hex(policy.compute(buf, dataStart, dataLength)) + ")" + (note == null ? "" : "; " + note);
        reject(out, RejectReason.BAD_CRC, message, s, frameEnd, partial);
        consume(frameEnd - s);
    }

    /** The device's non-standard policy, if it has one and it accepts this CRC; null otherwise. */
    private CrcPolicy otherPolicy(int dataStart, int dataLength, int crcField) {
        if (options.onlyStandardCrc()) {
            return null;
        }
        String mn = peekMn(dataStart, dataLength);
        CrcPolicy policy = mn == null ? null : options.crcPolicies().apply(mn);
        if (policy == null || policy == CrcPolicy.STANDARD) {
            return null;
        }
        return policy.accepts(buf, dataStart, dataLength, crcField) ? policy : null;
    }

    /** The MN of a data segment without a full parse (for CRC policy lookup). */
    private String peekMn(int dataStart, int dataLength) {
        int endAt = dataStart + dataLength;
        for (int i = dataStart; i + 3 <= endAt; i++) {
            if ((buf[i] == 'M' || buf[i] == 'm') && (buf[i + 1] == 'N' || buf[i + 1] == 'n') && buf[i + 2] == '='
                    && (i == dataStart || buf[i - 1] == ';' || buf[i - 1] == ',' || buf[i - 1] == ' ')) {
                int j = i + 3;
                while (j < endAt && buf[j] != ';' && buf[j] != ',' && buf[j] != '&') {
                    j++;
                }
                return new String(buf, i + 3, j - i - 3, StandardCharsets.UTF_8).trim();
            }
        }
        return null;
    }

    /** Best-effort read of a rejected frame's packet, to attribute it to an MN; null when unreadable. */
    private Packet readPacket(int dataStart, int dataLength) {
        if (dataLength <= 0) {
            return null;
        }
        try {
            Packet p = PacketParser.parse(text(dataStart, dataLength)).packet();
            textNote = null;
            return p;
        } catch (RuntimeException e) {
            return null; // a rejection must never throw
        }
    }

    /** Set by {@link #text} when the bytes were not UTF-8; reported as a packet warning. */
    private String textNote;

    /** The data segment as text: UTF-8 (ASCII is the common case), GB18030 when not valid UTF-8. */
    private String text(int off, int len) {
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(buf, off, len));
            return s; // a genuine U+FFFD in valid UTF-8
        } catch (CharacterCodingException e) {
            textNote = "data segment is not valid UTF-8; read as GB18030";
            return new String(buf, off, len, GB18030);
        }
    }

    private int utf8Chars(int off, int len) {
        int chars = 0;
        for (int i = off; i < off + len; i++) {
            if ((buf[i] & 0xC0) != 0x80) {
                chars++;
            }
        }
        return chars;
    }

    private String crcText(int at) {
        return new String(buf, at, 4, StandardCharsets.ISO_8859_1);
    }

    private void reject(Consumer<? super DecodeResult> out, RejectReason reason, String message, int from, int to,
                        Packet packet) {
        to = Math.min(to, end);
        rejections.merge(reason, 1L, Long::sum);
        out.accept(new DecodeResult.Rejected(reason, message, Arrays.copyOfRange(buf, from, to),
                startOffset + (from - start), to - from, packet));
    }

    private void consume(int n) {
        start += n;
        startOffset += n;
        scanned = 0;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
    }
}
