package com.powerwatch.hj212;

import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of a {@link FrameDecoder}.
 *
 * @param maxDataLength largest data segment accepted, in bytes (the standard says 1024; real devices send more)
 * @param crcPolicies   the CRC policy of each device by MN; asked only when the standard CRC does not match,
 *                      so the common path costs nothing
 */
public record DecoderOptions(int maxDataLength, Function<String, CrcPolicy> crcPolicies) {

    public static final int DEFAULT_MAX_DATA_LENGTH = 9999;

    private static final Function<String, CrcPolicy> ALL_STANDARD = mn -> CrcPolicy.STANDARD;

    public DecoderOptions {
        if (maxDataLength < 16 || maxDataLength > 9999) {
            throw new IllegalArgumentException("maxDataLength must be 16..9999 (the length field has 4 digits): " + maxDataLength);
        }
        Objects.requireNonNull(crcPolicies, "crcPolicies");
    }

    public static DecoderOptions defaults() {
        return new DecoderOptions(DEFAULT_MAX_DATA_LENGTH, ALL_STANDARD);
    }

    public DecoderOptions withMaxDataLength(int max) {
        return new DecoderOptions(max, crcPolicies);
    }

    public DecoderOptions withCrcPolicies(Function<String, CrcPolicy> policies) {
        return new DecoderOptions(maxDataLength, policies);
    }

    /** One policy for every device on this stream (e.g. NONE for a trusted link). */
    public DecoderOptions withCrcPolicy(CrcPolicy policy) {
        return new DecoderOptions(maxDataLength, mn -> policy);
    }

    boolean onlyStandardCrc() {
        return crcPolicies == ALL_STANDARD;
    }

    /** The largest number of bytes one frame can occupy: {@code ##} + length + data + CRC + CRLF. */
    public int maxFrameBytes() {
        return 2 + 4 + maxDataLength + 4 + 2;
    }
}
