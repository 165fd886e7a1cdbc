package com.powerwatch.platform.registry;

import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Each user runs one registry import at a time: a second one while the first runs is refused, not queued. */
@Component
public class OneImportPerUser {

    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    /** False when the user already has an import running. */
    public boolean enter(long userId) {
        return running.add(userId);
    }

    public void leave(long userId) {
        running.remove(userId);
    }
}
