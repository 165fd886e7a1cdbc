package com.powerwatch.platform.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Text a person can type holds no control characters other than tab, line feed and carriage return. NUL in
 * particular cannot be stored by PostgreSQL (neither in text nor in jsonb), so it is refused at the door rather
 * than failing half-way through a change.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    public static boolean forbidden(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }

    /** The first forbidden character of {@code text}, or -1. */
    public static int first(CharSequence text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (forbidden(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return -1;
    }

    /** How an officer reads it: "NUL（U+0000）". */
    public static String name(int c) {
        return (c == 0 ? "NUL" : "控制字符") + "（U+" + String.format("%04X", c) + "）";
    }

    /** "{field} 含有不允许的控制字符 …": the one message for a field, a parameter or a spreadsheet cell. */
    public static String message(String field, int c) {
        return field + " 含有不允许的" + name(c) + "，请删除后重试";
    }

    /**
     * The path ({@code contacts[0].name}) of the first text in a JSON document — a value or a key — holding a
     * forbidden character, or null.
     */
    public static Found find(JsonNode node) {
        return find(node, "");
    }

    /** A text refused for holding a forbidden character (an {@link IllegalArgumentException}: a bad request). */
    public static final class Refused extends IllegalArgumentException {
        private final int character;

        public Refused(int character) {
            super("control character U+" + String.format("%04X", character));
            this.character = character;
        }

        public int character() {
            return character;
        }
    }

    /** Where a forbidden character was found, and which. */
    public record Found(String path, int character) {
    }

    private static Found find(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            int c = first(node.textValue());
            return c < 0 ? null : new Found(path.isEmpty() ? "body" : path, c);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Found f = find(node.get(i), path + "[" + i + "]");
                if (f != null) {
                    return f;
                }
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                int c = first(f.getKey());
                if (c >= 0) {
                    return new Found(path.isEmpty() ? "body" : path, c);
                }
                Found inner = find(f.getValue(), child);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
