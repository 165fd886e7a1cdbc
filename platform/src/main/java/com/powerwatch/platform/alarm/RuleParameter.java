package com.powerwatch.platform.alarm;

/**
 * One parameter of an alarm type's rule: its name in {@code alarm_rule.params}, kind, allowed range, default
 * (from docs/domain-notes.md, the [D] values), unit and what it means.
 */
public record RuleParameter(String name, Kind kind, double min, double max, Object defaultValue, String unit, String description) {

    public enum Kind { NUMBER, INTEGER, BOOLEAN }

    static RuleParameter integer(String name, int min, int max, int defaultValue, String unit, String description) {
        return new RuleParameter(name, Kind.INTEGER, min, max, defaultValue, unit, description);
    }

    static RuleParameter number(String name, double min, double max, double defaultValue, String unit, String description) {
        return new RuleParameter(name, Kind.NUMBER, min, max, defaultValue, unit, description);
    }
}
