package com.powerwatch.mobile.core;

import java.util.HashMap;
import java.util.Map;

/** A {@link KeyValueStore} in memory (tests, and the app before its preferences are open). */
public final class MapStore implements KeyValueStore {

    private final Map<String, String> values = new HashMap<>();

    @Override
    public synchronized String get(String key) {
        return values.get(key);
    }

    @Override
    public synchronized void put(Map<String, String> changes) {
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (e.getValue() == null) {
                values.remove(e.getKey());
            } else {
                values.put(e.getKey(), e.getValue());
            }
        }
    }
}
