package com.powerwatch.hj212;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/** DataTime / QN / SystemTime stamps: {@code yyyyMMddHHmmss} or {@code yyyyMMddHHmmssSSS}, local China time. */
public final class DataTimes {

    private DataTimes() {
    }

    /** Whether the text is 14 or 17 digits naming a real calendar instant. */
    public static boolean isValid(String text) {
        return parse(text) != null;
    }

    /** Parses 14 or 17 digits, or returns null when the text is not a real instant in that form. */
    public static LocalDateTime parse(String text) {
        int n = text.length();
        if (n != 14 && n != 17) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return LocalDateTime.of(num(text, 0, 4), num(text, 4, 2), num(text, 6, 2), num(text, 8, 2),
                    num(text, 10, 2), num(text, 12, 2), n == 17 ? num(text, 14, 3) * 1_000_000 : 0);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int num(String s, int off, int len) {
        int v = 0;
        for (int i = off; i < off + len; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    public static String format14(LocalDateTime t) {
        return String.format("%04d%02d%02d%02d%02d%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }

    public static String format17(LocalDateTime t) {
        return format14(t) + String.format("%03d", t.getNano() / 1_000_000);
    }
}
