package com.powerwatch.ingest.store;

import java.util.Map;

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

    /** A JSON object of strings, pre-rendered; {@link #row} escapes it for COPY like any text. */
    static String json(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(fields.size() * 16);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            jsonString(sb, e.getKey());
            sb.append(':');
            jsonString(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
