package com.powerwatch.platform.emergency;

import java.util.Arrays;

/** Heavy-pollution-weather warning levels, from the mildest up (domain notes §2). */
public enum EmergencyLevel {
    YELLOW("黄色", "Ⅲ级"), ORANGE("橙色", "Ⅱ级"), RED("红色", "Ⅰ级");

    private final String label;
    private final String response;

    EmergencyLevel(String label, String response) {
        this.label = label;
        this.response = response;
    }

    /** 黄色 / 橙色 / 红色. */
    public String label() {
        return label;
    }

    /** The emergency response it triggers: Ⅲ级 / Ⅱ级 / Ⅰ级. */
    public String response() {
        return response;
    }

    /** A level from its code (YELLOW) or Chinese name (黄色, 黄, 黄色预警); null when it is none of them. */
    public static EmergencyLevel parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        return Arrays.stream(values())
                .filter(l -> l.name().equalsIgnoreCase(t) || t.startsWith(l.label.substring(0, 1)))
                .findFirst().orElse(null);
    }
}
