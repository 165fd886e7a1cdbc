package com.powerwatch.mobile.core;

import org.json.JSONException;
import org.json.JSONObject;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The server address and the login session, kept in the app's private storage.
 *
 * <p>The session is the one the platform's web app keeps in the page's {@code sessionStorage}
 * ({@link SessionHandoff#STORAGE_KEY}: {@code {token, expiresAt, user{id, username, …}}}): the app copies it out of
 * the page whenever the page changes it and hands it back to a new page, so a login survives the app being closed,
 * and the background check for new alarms can use the token. Logging out in the page clears it here too.
 */
public final class SessionStore {

    static final String SERVER = "server";
    static final String SESSION = "session";
    static final String TOKEN = "token";
    static final String EXPIRES_AT = "expiresAt";
    static final String USER_ID = "userId";

    private final KeyValueStore store;

    public SessionStore(KeyValueStore store) {
        this.store = store;
    }

    /** The configured platform, or null before the person has set one. */
    public ServerAddress server() {
        String s = store.get(SERVER);
        try {
            return s == null ? null : ServerAddress.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sets the platform. A different platform ends the session (its token means nothing there). */
    public void setServer(ServerAddress server) {
        Map<String, String> changes = new HashMap<>();
        if (!server.equals(server())) {
            changes.putAll(cleared());
        }
        changes.put(SERVER, server.base());
        store.put(changes);
    }

    /** The session JSON as the page keeps it, or null when signed out. */
    public String sessionJson() {
        return store.get(SESSION);
    }

    public String token() {
        return store.get(TOKEN);
    }

    /** The signed-in user's id, or -1. */
    public long userId() {
        String s = store.get(USER_ID);
        return s == null ? -1 : Long.parseLong(s);
    }

    /** When the platform ends the session (ISO-8601 with offset), or null. */
    public String expiresAt() {
        return store.get(EXPIRES_AT);
    }

    /**
     * Takes the page's session as it is now ({@code null}: the page has none, i.e. signed out or expired).
     *
     * @return what changed, so the caller can start or stop the background check
     */
    public Change takeFromPage(String pageSession) {
        String before = token();
        long userBefore = userId();
        if (pageSession == null || pageSession.trim().isEmpty()) {
            if (before == null) {
                return Change.NONE;
            }
            store.put(cleared());
            return Change.SIGNED_OUT;
        }
        String token;
        String expiresAt;
        long user;
        try {
            JSONObject s = new JSONObject(pageSession);
            token = s.isNull(TOKEN) ? "" : s.optString(TOKEN, "");
            expiresAt = s.isNull(EXPIRES_AT) ? null : s.optString(EXPIRES_AT, null);
            JSONObject u = s.optJSONObject("user");
            user = u == null ? -1 : u.optLong("id", -1);
        } catch (JSONException e) {
            return Change.NONE; // not the page's session shape: leave what we have
        }
        if (token.isEmpty() || user < 0) {
            return takeFromPage(null);
        }
        if (token.equals(before)) {
            return Change.NONE;
        }
        Map<String, String> changes = new HashMap<>();
        changes.put(SESSION, pageSession);
        changes.put(TOKEN, token);
        changes.put(EXPIRES_AT, expiresAt == null || expiresAt.isEmpty() ? null : expiresAt);
        changes.put(USER_ID, Long.toString(user));
        store.put(changes);
        return user == userBefore ? Change.NEW_TOKEN : Change.SIGNED_IN;
    }

    /** Forgets the session (the platform said the token is no longer valid). */
    public void clearSession() {
        store.put(cleared());
    }

    private static Map<String, String> cleared() {
        Map<String, String> m = new HashMap<>();
        m.put(SESSION, null);
        m.put(TOKEN, null);
        m.put(EXPIRES_AT, null);
        m.put(USER_ID, null);
        return Collections.unmodifiableMap(m);
    }

    /** What {@link #takeFromPage} did. */
    public enum Change {
        /** Nothing new. */
        NONE,
        /** A user signed in (the first time, or another user than before): start watching afresh. */
        SIGNED_IN,
        /** The same user with a new token (signed in again): keep watching where we were. */
        NEW_TOKEN,
        /** The page has no session any more: stop watching. */
        SIGNED_OUT
    }
}
