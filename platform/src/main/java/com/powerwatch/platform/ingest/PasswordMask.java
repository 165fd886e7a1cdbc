package com.powerwatch.platform.ingest;

import java.util.regex.Pattern;

/**
 * HJ 212 frames carry the device's access password in clear ({@code PW=…}, and {@code NewPW=…} in a 1072 password
 * change). The journal and the raw_frame table keep frames as received; what the API shows has them masked.
 */
final class PasswordMask {

    private static final Pattern PW = Pattern.compile("([;&])((?:New)?PW)=[^;&\\r\\n]*");

    private PasswordMask() {
    }

    static String apply(String frameText) {
        return frameText == null ? null : PW.matcher(frameText).replaceAll("$1$2=******");
    }
}
