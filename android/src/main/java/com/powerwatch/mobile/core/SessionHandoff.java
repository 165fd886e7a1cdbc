package com.powerwatch.mobile.core;

import org.json.JSONArray;
import org.json.JSONException;

/**
 * Moves the login session between the page and the app without changing the web app: the web app keeps its session
 * in {@code sessionStorage[STORAGE_KEY]} (web/src/stores/auth.ts), which lives only as long as the WebView.
 *
 * <ul>
 *   <li>page → app: after every navigation the app evaluates {@link #READ_SCRIPT} and stores the result
 *       ({@link SessionStore#takeFromPage});</li>
 *   <li>app → page: a new WebView first loads {@link #bootstrapHtml} with the server's origin as its base URL, which
 *       puts the stored session back into that origin's {@code sessionStorage} and then replaces itself with the page
 *       wanted, so the web app starts signed in.</li>
 * </ul>
 * No JavaScript interface is added to the WebView: a page cannot call into the app.
 */
public final class SessionHandoff {

    /** The key web/src/stores/auth.ts keeps the session under. */
    public static final String STORAGE_KEY = "powerwatch.session";

    /** Evaluated in the page: the session JSON, or null. */
    public static final String READ_SCRIPT = "(function(){try{return sessionStorage.getItem(" + js(STORAGE_KEY)
            + ")}catch(e){return null}})()";

    private SessionHandoff() {
    }

    /**
     * What {@code WebView.evaluateJavascript} hands back for {@link #READ_SCRIPT}: the JSON encoding of the result,
     * i.e. {@code null} or a quoted string. Returns the string, or null.
     */
    public static String decodeScriptResult(String raw) {
        if (raw == null || raw.trim().isEmpty() || raw.trim().equals("null")) {
            return null;
        }
        try {
            JSONArray a = new JSONArray("[" + raw + "]");
            return a.isNull(0) ? null : a.optString(0, null);
        } catch (JSONException e) {
            return null;
        }
    }

    /**
     * A page that stores {@code sessionJson} (may be null: nothing stored) in {@code sessionStorage} and then goes to
     * {@code targetUrl}. Load it with {@code loadDataWithBaseURL(server origin, html, "text/html", "UTF-8", null)} so
     * the storage it writes is the platform's.
     */
    public static String bootstrapHtml(String sessionJson, String targetUrl) {
        StringBuilder s = new StringBuilder("<!doctype html><meta charset=\"utf-8\"><script>");
        if (sessionJson != null) {
            s.append("try{sessionStorage.setItem(").append(js(STORAGE_KEY)).append(',').append(js(sessionJson))
                    .append(")}catch(e){}");
        }
        s.append("location.replace(").append(js(targetUrl)).append(")</script>");
        return s.toString();
    }

    /** Evaluated in a page that lost the session handed to it: puts it back and reloads (once). */
    public static String restoreScript(String sessionJson) {
        return "try{sessionStorage.setItem(" + js(STORAGE_KEY) + "," + js(sessionJson) + ");location.reload()}catch(e){}";
    }

    /**
     * A JavaScript string literal for any text: letters, digits and a few harmless characters stay, everything else
     * becomes a {@code \\uXXXX} escape, so no quote, backslash, {@code </script>}, line separator or markup can end
     * the literal or the script.
     */
    static String js(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '.'
                    || c == ',' || c == ':' || c == '-' || c == '_' || c == '/' || c == '{' || c == '}' || c == '['
                    || c == ']') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('"').toString();
    }
}
