package com.powerwatch.simulator;

/** Malformed input the simulator can write between valid frames, so the platform's rejection paths run. */
public enum FaultKind {
    /** A copy of the next frame with a wrong CRC. */
    BAD_CRC,
    /** A copy of the next frame whose length field is off by a few bytes. */
    BAD_LENGTH,
    /** Printable bytes that belong to no frame (no '#', ends with CRLF). */
    GARBAGE,
    /** A frame declaring 9999 bytes of filler data with a wrong CRC: over any sane maximum, rejected either way. */
    OVERSIZE
}
