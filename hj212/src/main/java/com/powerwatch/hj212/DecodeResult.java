package com.powerwatch.hj212;

import java.nio.charset.StandardCharsets;

/** What the {@link FrameDecoder} made of some bytes: a usable packet, or a rejection saying why. */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Rejected {

    /** Position of the first byte in the stream (0 = first byte fed to the decoder). */
    long offset();

    /** The bytes: the whole frame including {@code ##} and CRLF, or a bounded sample of skipped bytes. */
    byte[] bytes();

    /**
     * A frame that passed framing, CRC and header checks.
     *
     * @param packet    the packet, with any tolerated deviation in its warnings
     * @param bytes     the raw frame from {@code ##} to the terminator
     * @param offset    stream position of the {@code #}
     * @param crcPolicy the policy under which the CRC was accepted
     */
    record Decoded(Packet packet, byte[] bytes, long offset, CrcPolicy crcPolicy) implements DecodeResult {
    }

    /**
     * Bytes that gave no usable packet.
     *
     * @param reason  the kind of problem
     * @param message what exactly is wrong (declared vs actual length, CRC given vs computed, the field...)
     * @param bytes   the frame, or for garbage and oversize a sample of at most {@link FrameDecoder#SAMPLE_BYTES}
     * @param offset  stream position of the first byte
     * @param length  how many bytes were skipped in all (may exceed {@code bytes.length})
     * @param packet  what could be read of the packet (to attribute the problem to an MN), or null
     */
    record Rejected(RejectReason reason, String message, byte[] bytes, long offset, long length, Packet packet)
            implements DecodeResult {

        /** The bytes as text for logs; non-printable bytes shown as {@code \xNN}. */
        public String printableBytes() {
            StringBuilder sb = new StringBuilder(bytes.length + 16);
            String text = new String(bytes, StandardCharsets.UTF_8);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c < 0x20 || c == 0x7F || c == '\uFFFD') {
                    sb.append(String.format("\\x%02X", (int) c & 0xFF));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return reason + " at " + offset + " (" + length + " bytes): " + message;
        }
    }
}
