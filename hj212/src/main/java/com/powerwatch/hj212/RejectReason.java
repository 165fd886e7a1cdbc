package com.powerwatch.hj212;

/** Why the decoder did not produce a packet from some bytes. Every rejection carries the bytes and their position. */
public enum RejectReason {
    /** Bytes before a {@code ##} that belong to no frame (port scanners, line noise). */
    GARBAGE_SKIPPED,
    /** A {@code ##} not followed by a 4-digit length, or a frame with no CRLF terminator before the next {@code ##}. */
    BAD_FRAMING,
    /** The declared length matches neither the byte count nor the character count of the data segment. */
    BAD_LENGTH,
    /** The CRC does not match the data segment under the device's CRC policy. */
    BAD_CRC,
    /** The declared length exceeds the configured maximum, or no terminator arrived within the maximum frame size. */
    OVERSIZE,
    /** The header could not be read: no {@code CP=&&}, a Flag/PNUM/PNO that is not a number. */
    BAD_HEADER,
    /** No MN (or an empty one). */
    MISSING_MN,
    /** No CN (or an empty one). */
    MISSING_CN,
    /** A DataTime that is not 14 or 17 digits of a real calendar instant. */
    BAD_DATATIME,
    /** The stream ended inside a frame. */
    TRUNCATED
}
