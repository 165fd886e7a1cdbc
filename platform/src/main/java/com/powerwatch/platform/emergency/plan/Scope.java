package com.powerwatch.platform.emergency.plan;

import java.util.Arrays;

/** 限停方式: the whole enterprise, listed production lines, or listed production facilities. */
public enum Scope {
    ENTERPRISE("整厂"), LINE("生产线"), FACILITY("设施");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Scope parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        return Arrays.stream(values())
                .filter(s -> s.name().equalsIgnoreCase(t) || s.label.equals(t) || (s.label + "限停").equals(t)
                        || ("按" + s.label).equals(t) || (s == ENTERPRISE && ("全厂".equals(t) || "企业".equals(t))))
                .findFirst().orElse(null);
    }
}
