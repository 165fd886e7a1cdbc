package com.powerwatch.mobile.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the background check stands for the signed-in user: the newest alarm and message already seen (null before
 * the first check) and the keys of the items notified lately, so that nothing is announced twice — not after a
 * restart, not when the server's cursor steps back (a restored database), not when a message and its alarm arrive
 * in different checks.
 */
public final class WatchState {

    /** How many notified keys are remembered. */
    static final int REMEMBERED = 200;

    static final String ALARM_CURSOR = "watch.alarmCursor";
    static final String MESSAGE_CURSOR = "watch.messageCursor";
    static final String NOTIFIED = "watch.notified";

    public final Long alarmCursor;
    public final Long messageCursor;
    private final List<String> notified;

    public WatchState(Long alarmCursor, Long messageCursor, List<String> notified) {
        this.alarmCursor = alarmCursor;
        this.messageCursor = messageCursor;
        List<String> n = new ArrayList<>(new LinkedHashSet<>(notified));
        this.notified = Collections.unmodifiableList(n.size() > REMEMBERED ? n.subList(n.size() - REMEMBERED, n.size()) : n);
    }

    /** Before the first check: no cursors, nothing notified. */
    public static WatchState fresh() {
        return new WatchState(null, null, Collections.<String>emptyList());
    }

    public boolean hasBaseline() {
        return alarmCursor != null && messageCursor != null;
    }

    public boolean wasNotified(String key) {
        return notified.contains(key);
    }

    /** The keys notified lately, oldest first. */
    public List<String> notified() {
        return notified;
    }

    /** This state with new cursors and {@code newlyNotified} remembered (the oldest forgotten beyond the limit). */
    public WatchState advance(long alarmCursor, long messageCursor, Set<String> newlyNotified) {
        List<String> n = new ArrayList<>(notified);
        n.removeAll(newlyNotified);
        n.addAll(newlyNotified);
        return new WatchState(alarmCursor, messageCursor, n);
    }

    public static WatchState load(KeyValueStore store) {
        String n = store.get(NOTIFIED);
        return new WatchState(longOrNull(store.get(ALARM_CURSOR)), longOrNull(store.get(MESSAGE_CURSOR)),
                n == null || n.isEmpty() ? Collections.<String>emptyList() : Arrays.asList(n.split(",")));
    }

    public void save(KeyValueStore store) {
        Map<String, String> m = new HashMap<>();
        m.put(ALARM_CURSOR, alarmCursor == null ? null : alarmCursor.toString());
        m.put(MESSAGE_CURSOR, messageCursor == null ? null : messageCursor.toString());
        StringBuilder b = new StringBuilder();
        for (String k : notified) {
            b.append(b.length() == 0 ? "" : ",").append(k);
        }
        m.put(NOTIFIED, b.toString());
        store.put(m);
    }

    private static Long longOrNull(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
