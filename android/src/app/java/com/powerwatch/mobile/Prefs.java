package com.powerwatch.mobile;

import android.content.Context;
import android.content.SharedPreferences;

import com.powerwatch.mobile.core.KeyValueStore;

import java.util.Map;

/**
 * The app's private storage: SharedPreferences in MODE_PRIVATE (a file in the app's own data directory that no other
 * app can read; android:allowBackup="false" keeps it out of backups). Holds the server address, the session token and
 * where the background check stands.
 */
final class Prefs implements KeyValueStore {

    private final SharedPreferences prefs;

    private Prefs(SharedPreferences prefs) {
        this.prefs = prefs;
    }

    static Prefs open(Context context) {
        return new Prefs(context.getApplicationContext().getSharedPreferences("powerwatch", Context.MODE_PRIVATE));
    }

    @Override
    public String get(String key) {
        return prefs.getString(key, null);
    }

    @Override
    public void put(Map<String, String> changes) {
        SharedPreferences.Editor e = prefs.edit();
        for (Map.Entry<String, String> c : changes.entrySet()) {
            if (c.getValue() == null) {
                e.remove(c.getKey());
            } else {
                e.putString(c.getKey(), c.getValue());
            }
        }
        e.commit(); // durable before returning: the check runs on a worker thread anyway
    }
}
