package com.powerwatch.platform.mobile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code powerwatch.mobile.*}: the Android app the platform hands out at {@code /app/} and the app's background check
 * (docs/mobile.md).
 *
 * @param apkDir        a directory holding {@code powerwatch.apk} and {@code app.json} to serve instead of the APK built
 *                      into the jar (an APK signed elsewhere with the bureau's release key); empty = the built-in one
 * @param publicUrl     the platform's address as phones reach it ({@code https://gov.example.cn/powerwatch}), put in the
 *                      QR code; empty = the address the browser used (behind a proxy that rewrites it, set this)
 * @param updatesLimit  the most alarms and the most messages one {@code /api/mobile/updates} answer lists (1–50);
 *                      the rest are only counted
 */
@ConfigurationProperties(prefix = "powerwatch.mobile")
public record MobileProperties(@DefaultValue("") String apkDir,
                               @DefaultValue("") String publicUrl,
                               @DefaultValue("20") int updatesLimit) {

    public MobileProperties {
        if (updatesLimit < 1 || updatesLimit > 50) {
            throw new IllegalArgumentException("powerwatch.mobile.updates-limit must be 1-50, was " + updatesLimit);
        }
        if (!publicUrl.isBlank() && !publicUrl.matches("(?i)https?://[^\\s\"'<>]+")) {
            throw new IllegalArgumentException("powerwatch.mobile.public-url must be an http(s) address, was " + publicUrl);
        }
    }
}
