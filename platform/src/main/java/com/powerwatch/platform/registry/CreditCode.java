package com.powerwatch.platform.registry;

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from {@code 0-9A-HJ-NPQRTUWXY} (no I, O, Z, S, V); the last is
 * a check character: {@code 31 - (Σ value(c_i) × w_i mod 31)}, 31 mapped to 0.
 */
public final class CreditCode {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private CreditCode() {
    }

    /** The code upper-cased and trimmed, or null when it is not a valid code. */
    public static String normalize(String code) {
        if (code == null) {
            return null;
        }
        String c = code.trim().toUpperCase(java.util.Locale.ROOT);
        return problem(c) == null ? c : null;
    }

    /** Why the (already upper-cased) code is invalid, or null when it is valid. */
    public static String problem(String code) {
        if (code == null || code.length() != 18) {
            return "统一社会信用代码须为18位";
        }
        int sum = 0;
        for (int i = 0; i < 18; i++) {
            int v = ALPHABET.indexOf(code.charAt(i));
            if (v < 0) {
                return "第 " + (i + 1) + " 位的字符“" + code.charAt(i) + "”不允许（只能是数字 0–9 或 I、O、S、V、Z 以外的大写字母 A–Y）";
            }
            if (i < 17) {
                sum += v * WEIGHTS[i];
            }
        }
        char expected = checkCharacter(code.substring(0, 17));
        if (code.charAt(17) != expected) {
            return "校验位应为“" + expected + "”，而不是“" + code.charAt(17) + "”";
        }
        return null;
    }

    /** The check character for the first 17 characters. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(first17.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a credit-code character: " + first17.charAt(i));
            }
            sum += v * WEIGHTS[i];
        }
        int check = (31 - sum % 31) % 31;
        return ALPHABET.charAt(check);
    }
}
