package com.powerwatch.mobile.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's pages are built for current browsers (Vite's default target), so the phone's WebView (Android System
 * WebView, Chrome inside) must not be older than {@link #MIN_CHROME}. Phones without Google Play often keep the
 * WebView they shipped with; the app tells the person instead of showing a blank page.
 */
public final class WebViewCheck {

    /** The oldest Chrome the web build supports (Vite's 'baseline-widely-available' target: Chrome 111). */
    public static final int MIN_CHROME = 111;

    private static final Pattern CHROME = Pattern.compile("Chrome/(\\d+)\\.");

    private WebViewCheck() {
    }

    /** The WebView's Chrome major version from its user agent, or -1 when the agent does not say. */
    public static int chromeMajor(String userAgent) {
        Matcher m = userAgent == null ? null : CHROME.matcher(userAgent);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** A message for the person when the WebView is too old, or null when it will do. */
    public static String problem(String userAgent) {
        int v = chromeMajor(userAgent);
        if (v < 0 || v >= MIN_CHROME) {
            return null;
        }
        return "手机的系统网页组件（Android System WebView）版本过低（" + v + "），平台页面需要 " + MIN_CHROME
                + " 或更高版本。请在手机的应用商店中更新“Android System WebView”或“系统浏览器组件”后再打开。";
    }
}
