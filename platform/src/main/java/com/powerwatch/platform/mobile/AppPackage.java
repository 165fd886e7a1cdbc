package com.powerwatch.platform.mobile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Android app the platform hands out: {@code powerwatch.apk} with its description {@code app.json} (version,
 * size, SHA-256, signer and certificate fingerprint, written by android/build-apk.sh). Built into the jar under
 * {@code powerwatch-app/} (the android module's jar is a dependency of the platform), or from
 * {@code powerwatch.mobile.apk-dir} when the bureau signs its own release elsewhere. Read on each request, so an
 * operator can replace the files in that directory without a restart.
 */
@Component
public class AppPackage {

    /** What app.json says; missing fields are null. */
    public record Info(String versionName, Long versionCode, Long sizeBytes, String sha256, String signer, String certificateSha256,
                       Integer minSdk) {
    }

    private final String apkDir;
    private final ObjectMapper json;

    AppPackage(MobileProperties properties, ObjectMapper json) {
        this.apkDir = properties.apkDir();
        this.json = json;
    }

    private Resource file(String name) {
        return apkDir.isBlank() ? new ClassPathResource("powerwatch-app/" + name) : new FileSystemResource(Path.of(apkDir, name));
    }

    /** The APK, if this build or the configured directory has one. */
    public Optional<Resource> apk() {
        Resource r = file("powerwatch.apk");
        return r.exists() && r.isReadable() ? Optional.of(r) : Optional.empty();
    }

    /** Its description; empty when there is no APK or no readable app.json beside it. */
    public Optional<Info> info() {
        Resource r = file("app.json");
        if (apk().isEmpty() || !r.exists()) {
            return Optional.empty();
        }
        try (InputStream in = r.getInputStream()) {
            JsonNode n = json.readTree(in);
            return Optional.of(new Info(text(n, "versionName"), number(n, "versionCode"), number(n, "sizeBytes"), text(n, "sha256"),
                    text(n, "signer"), text(n, "certificateSha256"), n.hasNonNull("minSdk") ? n.get("minSdk").asInt() : null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Long number(JsonNode n, String field) {
        return n.hasNonNull(field) && n.get(field).canConvertToLong() ? n.get(field).asLong() : null;
    }
}
