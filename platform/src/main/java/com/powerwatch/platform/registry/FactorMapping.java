package com.powerwatch.platform.registry;

/**
 * One row of a factor profile: in a frame, the item {@code <code>-<field>}, where code is {@code codeTemplate}
 * with {@code {ch}} replaced by the point's channel, carries {@code quantity} times {@code scale}.
 */
public record FactorMapping(String profile, String codeTemplate, String field, CanonicalQuantity quantity, double scale) {

    /** The raw item key this mapping reads for a channel, e.g. {@code 100000-Ia} or {@code ea300107-Rtd}. */
    public String key(String channel) {
        return codeTemplate.replace("{ch}", channel == null ? "" : channel) + '-' + field;
    }
}
