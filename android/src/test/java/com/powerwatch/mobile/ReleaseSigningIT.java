package com.powerwatch.mobile;

import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Release signing: with an operator's keystore (here one made with keytool, as a bureau would) the same build script
 * signs with that key and says so; the password comes only from the environment, and without it the build stops
 * with a message instead of falling back to the debug key.
 */
class ReleaseSigningIT {

    @Test
    void anOperatorsKeySignsTheApkAndAMissingPasswordStopsTheBuild(@TempDir Path dir) throws Exception {
        Path module = Paths.get("").toAbsolutePath();
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("tools"), module.resolve("target/tools"));
        Files.createSymbolicLink(target.resolve("classes"), module.resolve("target/classes"));
        Path keystore = dir.resolve("bureau.p12");
        run(Map.of(), "keytool", "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "Rel-Pass-2026",
                "-alias", "bureau", "-keyalg", "RSA", "-keysize", "2048", "-validity", "9000", "-dname", "CN=Bureau Release, O=PowerWatch, C=CN");
        String[] build = {"bash", module.resolve("build-apk.sh").toString(), "target=" + target, "app_id=com.powerwatch.mobile",
                "version_name=0.1.0", "version_code=100", "min_sdk=24", "target_sdk=34", "keystore=" + keystore, "key_alias=bureau"};

        Result noPassword = run(Map.of(), build);
        assertNotEquals(0, noPassword.exit);
        assertTrue(noPassword.output.contains("POWERWATCH_ANDROID_KEYSTORE_PASS"), noPassword.output);

        Result signed = run(Map.of("POWERWATCH_ANDROID_KEYSTORE_PASS", "Rel-Pass-2026"), build);
        assertEquals(0, signed.exit, signed.output);
        assertTrue(signed.output.contains("release-signed") && !signed.output.contains("DEBUG key"), signed.output);
        Path apk = target.resolve("apk/powerwatch.apk");
        Result certs = run(Map.of(), "apksigner", "verify", "--print-certs", apk.toString());
        assertEquals(0, certs.exit, certs.output);
        assertTrue(certs.output.contains("CN=Bureau Release, O=PowerWatch, C=CN"), certs.output);
        JSONObject info = new JSONObject(new String(Files.readAllBytes(target.resolve("apk/app.json")), StandardCharsets.UTF_8));
        assertEquals("release", info.getString("signer"));
        assertTrue(certs.output.contains(info.getString("certificateSha256")));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("POWERWATCH_ANDROID_KEYSTORE");
        pb.environment().remove("POWERWATCH_ANDROID_KEYSTORE_PASS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command));
        return new Result(p.exitValue(), out);
    }
}
