package com.powerwatch.mobile;

import org.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The APK the build made, as Android's own tools read it (there is no emulator here): {@code aapt dump badging} for
 * package, version, SDK levels, label, launcher activity and the exact permissions; {@code aapt dump xmltree} for
 * what the manifest exports and keeps out of backups; {@code apksigner verify} for the signature; the zip for the
 * code; {@code app.json} (what the platform's download page shows) against the file. Prints the size.
 */
class ApkIT {

    static Path dir;
    static Path apk;
    static String badging;

    @BeforeAll
    static void read() throws Exception {
        dir = Paths.get(System.getProperty("apk.dir", "target/apk"));
        apk = dir.resolve("powerwatch.apk");
        assertTrue(Files.isRegularFile(apk), apk + " was not built");
        badging = run("aapt", "dump", "badging", apk.toString());
        System.out.println("APK size: " + Files.size(apk) + " bytes (" + apk + ")");
    }

    @Test
    void packageVersionSdkLevelsLabelAndLauncher() {
        assertTrue(badging.contains("package: name='" + System.getProperty("apk.applicationId", "com.powerwatch.mobile")
                + "' versionCode='" + System.getProperty("apk.versionCode", "100") + "' versionName='"
                + System.getProperty("apk.versionName", "0.1.0") + "'"), badging);
        assertTrue(badging.contains("sdkVersion:'" + System.getProperty("apk.minSdk", "24") + "'"), badging);
        assertTrue(badging.contains("targetSdkVersion:'" + System.getProperty("apk.targetSdk", "34") + "'"), badging);
        assertTrue(badging.contains("application-label:'用电监控'"), badging);
        assertTrue(badging.contains("launchable-activity: name='com.powerwatch.mobile.MainActivity'"), badging);
    }

    @Test
    void exactlyThePermissionsTheAppNeedsAndNoCamera() {
        List<String> permissions = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^uses-permission: name='([^']+)'").matcher(badging);
        while (m.find()) {
            permissions.add(m.group(1));
        }
        assertEquals(Arrays.asList("android.permission.INTERNET", "android.permission.ACCESS_NETWORK_STATE",
                "android.permission.RECEIVE_BOOT_COMPLETED", "android.permission.POST_NOTIFICATIONS",
                "android.permission.ACCESS_COARSE_LOCATION", "android.permission.ACCESS_FINE_LOCATION"), permissions);
        assertTrue(badging.contains("uses-feature-not-required: name='android.hardware.location'")
                || !badging.contains("uses-feature: name='android.hardware.location'"), "location hardware is optional: " + badging);
    }

    @Test
    void theManifestExportsOnlyTheLauncherAndKeepsTheTokenOutOfBackups() throws Exception {
        String tree = run("aapt", "dump", "xmltree", apk.toString(), "AndroidManifest.xml");
        assertTrue(tree.contains("android:allowBackup(0x01010280)=(type 0x12)0x0"), "allowBackup=false:\n" + tree);
        for (String component : new String[] {".MainActivity", ".ServerActivity", ".UpdateJobService", ".UpdateRearmReceiver", ".PhotoProvider"}) {
            assertTrue(tree.contains("\"" + component + "\""), component + " declared");
        }
        // exported="true" (0xffffffff) only on the launcher activity and the shortcut target of the server settings
        assertEquals(2, count(tree, "android:exported(0x01010010)=(type 0x12)0xffffffff"), tree);
        assertTrue(tree.contains("android:permission(0x01010006)=\"android.permission.BIND_JOB_SERVICE\""), "only the system binds the job");
        assertTrue(tree.contains("android:grantUriPermissions(0x0101001b)=(type 0x12)0xffffffff"));
        assertTrue(tree.contains("A: android:scheme(0x01010027)=\"powerwatch\""), "the deep link");
    }

    @Test
    void signedAndVerifiedWithTheCertificateTheDescriptionNames() throws Exception {
        String verify = run("apksigner", "verify", "--verbose", "--print-certs", apk.toString());
        assertTrue(verify.startsWith("Verifies"), verify);
        assertTrue(verify.contains("Verified using v2 scheme (APK Signature Scheme v2): true"), verify);
        JSONObject info = new JSONObject(new String(Files.readAllBytes(dir.resolve("app.json")), StandardCharsets.UTF_8));
        assertTrue(verify.contains("certificate SHA-256 digest: " + info.getString("certificateSha256")), verify);
        assertEquals(Files.size(apk), info.getLong("sizeBytes"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(apk))), info.getString("sha256"));
        assertTrue(info.getString("signer").equals("debug") || info.getString("signer").equals("release"));
        if (info.getString("signer").equals("debug")) {
            assertTrue(verify.contains("CN=Android Debug"), "the throwaway key says what it is: " + verify);
        }
    }

    @Test
    void theCodeIsThereAlignedAndSmall() throws Exception {
        try (ZipFile zip = new ZipFile(apk.toFile())) {
            assertTrue(zip.getEntry("classes.dex") != null);
            assertTrue(zip.getEntry("resources.arsc") != null);
            assertTrue(zip.getEntry("res/mipmap-anydpi-v26/ic_launcher.xml") != null, "adaptive launcher icon");
        }
        run("zipalign", "-c", "-p", "4", apk.toString());
        String dex = run("aapt", "list", apk.toString());
        assertFalse(dex.contains("org/json"), "org.json is Android's own, not bundled");
        assertTrue(Files.size(apk) < 2_000_000, "the APK stays small: " + Files.size(apk));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Runs a tool; fails the test on a non-zero exit; returns its output (stdout and stderr). */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
