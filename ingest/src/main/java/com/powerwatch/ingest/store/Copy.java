package com.powerwatch.ingest.store;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
final class Copy {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Copy() {
    }

    /** A bytea value, pre-rendered so {@link #row} does not escape it again. */
    record Bytea(String hex) {
    }

    static Bytea bytea(byte[] bytes) {
        StringBuilder sb = new StringBuilder(3 + bytes.length * 2);
        sb.append("\\\\x");
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return new Bytea(sb.toString());
    }

    static void row(StringBuilder out, Object... columns) {
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object c = columns[i];
            if (c == null) {
                out.append("\\N");
            } else if (c instanceof Bytea b) {
                out.append(b.hex());
            } else if (c instanceof Number) {
                out.append(c);
            } else {
                escape(out, c.toString());
            }
        }
        out.append('\n');
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\': out.append("\\\\"); break;
                case '\t': out.append("\\t"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\0': break; // PostgreSQL text cannot hold NUL; the raw bytes keep it
                default: out.append(ch);
            }
        }
    }

    /** The value as a finite number, or null when it is not one (flags, text, hex words). */
    static Double number(String s) {
        int n = s.length();
        if (n == 0 || n > 32) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
