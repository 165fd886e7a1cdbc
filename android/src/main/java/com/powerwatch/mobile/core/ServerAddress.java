package com.powerwatch.mobile.core;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The platform's address as the app keeps it: {@code http(s)://host[:port][/context]}, nothing after it.
 *
 * <p>People give it in many shapes, and all of them are accepted: a bare {@code 10.1.2.3:8080}, the browser's address
 * of any platform page ({@code …/login}, {@code …/m/alarms/42}), the download link the login page's QR code holds
 * ({@code …/app/powerwatch.apk}), or the app's own deep link {@code powerwatch://connect?server=<encoded address>}.
 * The first path segment that is one of the platform's own ({@link #APP_SEGMENTS}) ends the address, so a platform
 * behind a reverse proxy under {@code /powerwatch} keeps that prefix. Anything that is not plainly an http(s) server
 * (another scheme, a user name or password in the address) is refused with a message the person can act on.
 */
public final class ServerAddress {

    /** The deep link scheme the app registers (AndroidManifest.xml). */
    public static final String DEEP_LINK_SCHEME = "powerwatch";

    /** First path segments that belong to the platform itself, not to a proxy's prefix. */
    static final Set<String> APP_SEGMENTS = new HashSet<>(Arrays.asList("app", "m", "api", "login", "index.html", "home",
            "alarms", "enterprises", "overview", "my", "assets", "actuator", "change-password", "swagger-ui.html"));

    private final String scheme;
    private final String host;
    private final int port;
    private final String path;

    private ServerAddress(String scheme, String host, int port, String path) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** Parses what a person typed, pasted, scanned or tapped; throws with a Chinese message when it is no server. */
    public static ServerAddress parse(String input) {
        String s = input == null ? "" : input.trim();
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("请输入服务器地址");
        }
        if (s.regionMatches(true, 0, DEEP_LINK_SCHEME + ":", 0, DEEP_LINK_SCHEME.length() + 1)) {
            return parse(deepLinkServer(s), false);
        }
        return parse(s, true);
    }

    private static ServerAddress parse(String s, boolean schemeOptional) {
        if (!s.contains("://")) {
            if (!schemeOptional || s.contains(":/") || s.matches("(?i)^[a-z][a-z0-9+.-]*:[^0-9].*")) {
                throw new IllegalArgumentException("只支持 http:// 或 https:// 开头的服务器地址");
            }
            s = "http://" + s; // a bare host: bureau intranets mostly serve plain http (shown to the person before use)
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("地址格式不对：" + s);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("只支持 http:// 或 https:// 开头的服务器地址");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("服务器地址中不能带用户名或密码");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("地址不完整，缺少服务器名或 IP：" + s);
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("端口须在 1 到 65535 之间");
        }
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        return new ServerAddress(scheme, host.toLowerCase(Locale.ROOT), port, contextPath(uri.getRawPath()));
    }

    /** {@code powerwatch://connect?server=<encoded>} → the encoded address. */
    private static String deepLinkServer(String link) {
        int q = link.indexOf('?');
        if (q >= 0) {
            for (String pair : link.substring(q + 1).split("&")) {
                if (pair.startsWith("server=")) {
                    String value = decode(pair.substring("server=".length())).trim();
                    if (value.regionMatches(true, 0, DEEP_LINK_SCHEME + ":", 0, DEEP_LINK_SCHEME.length() + 1)) {
                        break;
                    }
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("这个链接里没有服务器地址");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("这个链接里的服务器地址无法识别");
        }
    }

    /** The path up to the first segment of the platform's own, without a trailing slash. */
    private static String contextPath(String rawPath) {
        if (rawPath == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (APP_SEGMENTS.contains(segment.toLowerCase(Locale.ROOT))) {
                break;
            }
            kept.append('/').append(segment);
        }
        return kept.toString();
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** {@code http://10.1.2.3:8080} or {@code https://pw.example.gov.cn/powerwatch} — no trailing slash. */
    public String base() {
        return origin() + path;
    }

    /** Scheme, host and port: what the browser's same-origin rules compare. */
    public String origin() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme + "://" + h + (port < 0 ? "" : ":" + port);
    }

    /** The absolute URL of a path of the platform ({@code /m/alarms/42}). */
    public String url(String pathAndQuery) {
        return base() + (pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery);
    }

    /** Whether {@code url} is a page or resource of this platform (same origin, under its context path). */
    public boolean owns(String url) {
        if (url == null) {
            return false;
        }
        ServerAddress other;
        URI uri;
        try {
            uri = new URI(url);
            other = parse(url, false);
        } catch (IllegalArgumentException | URISyntaxException e) {
            return false;
        }
        String p = uri.getRawPath() == null ? "" : uri.getRawPath();
        return other.origin().equals(origin()) && (path.isEmpty() || p.equals(path) || p.startsWith(path + "/"));
    }

    /** Whether {@code url} (or a bare origin such as the WebView's geolocation prompt gives) has this server's origin. */
    public boolean sameOrigin(String url) {
        try {
            return url != null && parse(url, false).origin().equals(origin());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean isHttps() {
        return scheme.equals("https");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerAddress && ((ServerAddress) o).base().equals(base());
    }

    @Override
    public int hashCode() {
        return base().hashCode();
    }

    @Override
    public String toString() {
        return base();
    }
}
