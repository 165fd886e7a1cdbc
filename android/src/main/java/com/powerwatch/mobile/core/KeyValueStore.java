package com.powerwatch.mobile.core;

import java.util.Map;

/**
 * The app's private key-value storage: on the phone the app's own SharedPreferences (MODE_PRIVATE, readable by this
 * app only, excluded from backups); in the unit tests a map.
 */
public interface KeyValueStore {

    /** The value, or null when there is none. */
    String get(String key);

    /** Writes all changes at once and durably before returning; a null value removes the key. */
    void put(Map<String, String> changes);
}
