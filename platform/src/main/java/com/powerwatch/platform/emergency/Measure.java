package com.powerwatch.platform.emergency;

import java.util.Arrays;

/** What an enterprise does during a warning: 停产, 限产 (a required reduction), or 自主减排 (A / 引领性, no order). */
public enum Measure {
    STOP("停产"), LIMIT("限产"), SELF("自主减排");

    private final String label;

    Measure(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the measure becomes a production order the engine judges (STOP, LIMIT). */
    public boolean ordered() {
        return this != SELF;
    }

    public static Measure parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        return Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(t) || m.label.equals(t)).findFirst().orElse(null);
    }
}
