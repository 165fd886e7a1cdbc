package com.powerwatch.platform.alarm;

import java.util.Map;

/**
 * A check of a rule's parameters beyond their ranges, by the part of the system whose guarantees depend on them (the
 * alarm engine's data clock, for the silence limits). {@link AlarmRules#put} asks every such bean before it saves.
 */
public interface RuleParameterCheck {

    /** Throws an {@link com.powerwatch.platform.api.ApiException} (400 naming {@code params.<name>}) to refuse. */
    void check(String type, Map<String, Object> params);
}
