package com.powerwatch.platform.mobile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform hands out the Android app at {@code /app/} without a login (the login page links there): the page,
 * the APK the android module built (resumable), its QR code — read back with ZXing, as the app reads it — and its
 * description. Needs the android module packaged (a reactor {@code verify}/{@code package} build puts its jar on the
 * classpath).
 */
class AppDownloadIntegrationTest extends AuthIntegrationTestBase {

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper json;

    private JsonNode builtInfo() throws Exception {
        return json.readTree(new ClassPathResource("powerwatch-app/app.json").getInputStream());
    }

    private String base() {
        return "http://localhost:" + port;
    }

    @Test
    void theDownloadPageShowsVersionSizeQrCodeStepsAndChecksumsToAnyone() throws Exception {
        JsonNode info = builtInfo();
        for (String path : new String[] {"/app/", "/app"}) {
            ResponseEntity<String> r = http.getForEntity(path, String.class);
            assertEquals(200, r.getStatusCode().value(), path);
            assertTrue(r.getHeaders().getContentType().toString().startsWith("text/html"), path);
            String page = r.getBody();
            assertTrue(page.contains("版本 " + info.get("versionName").asText() + "（" + info.get("versionCode").asLong() + "）"), page);
            assertTrue(page.contains((info.get("sizeBytes").asLong() + 1023) / 1024 + " KB"), page);
            assertTrue(page.contains("src=\"qr.svg\"") && page.contains("href=\"powerwatch.apk\""), page);
            assertTrue(page.contains("<b data-test=\"app-server\">" + base() + "</b>"), "the address to type into the app");
            assertTrue(page.contains(info.get("sha256").asText()) && page.contains(info.get("certificateSha256").asText()));
            assertTrue(page.contains("href=\"powerwatch://connect?server=http%3A%2F%2Flocalhost%3A" + port + "\""), "deep link");
            assertEquals(info.get("signer").asText().equals("debug"), page.contains("调试密钥"), "a debug-signed APK says so");
        }
    }

    @Test
    void theApkIsServedWholeOrInRangesAndIsTheOneDescribed() throws Exception {
        JsonNode info = builtInfo();
        ResponseEntity<byte[]> r = http.getForEntity("/app/powerwatch.apk", byte[].class);
        assertEquals(200, r.getStatusCode().value());
        assertEquals(AppDownloadController.APK_TYPE, r.getHeaders().getContentType().toString());
        assertEquals("attachment; filename=\"powerwatch-" + info.get("versionName").asText() + ".apk\"",
                r.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION));
        byte[] apk = r.getBody();
        assertEquals(info.get("sizeBytes").asLong(), apk.length);
        assertEquals(info.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apk)));
        assertEquals('P', apk[0]);
        assertEquals('K', apk[1]);

        HttpHeaders range = new HttpHeaders();
        range.set(HttpHeaders.RANGE, "bytes=100-199");
        ResponseEntity<byte[]> part = http.exchange("/app/powerwatch.apk", HttpMethod.GET, new HttpEntity<>(range), byte[].class);
        assertEquals(206, part.getStatusCode().value(), "a download broken off on a weak network resumes");
        assertArrayEquals(java.util.Arrays.copyOfRange(apk, 100, 200), part.getBody());

        ResponseEntity<String> description = http.getForEntity("/app/app.json", String.class);
        JsonNode d = json.readTree(description.getBody());
        assertEquals(info.get("sha256").asText(), d.get("info").get("sha256").asText());
        assertEquals(base() + "/app/powerwatch.apk", d.get("downloadUrl").asText());
        assertEquals(404, http.getForEntity("/app/other.apk", String.class).getStatusCode().value());
    }

    @Test
    void theQrCodeHoldsTheDownloadLinkThatTheAppTurnsIntoTheServerAddress() throws Exception {
        ResponseEntity<String> r = http.getForEntity("/app/qr.svg", String.class);
        assertEquals(200, r.getStatusCode().value());
        assertEquals("image/svg+xml", r.getHeaders().getContentType().toString());
        assertEquals(base() + "/app/powerwatch.apk", readQr(r.getBody()));
        assertFalse(r.getBody().contains("<script"));
    }

    /** Draws the SVG's unit squares into pixels (8 a module) and reads the code with ZXing. */
    static String readQr(String svg) throws Exception {
        Matcher size = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertTrue(size.find(), svg);
        int modules = Integer.parseInt(size.group(1));
        int scale = 8;
        int w = modules * scale;
        int[] px = new int[w * w];
        java.util.Arrays.fill(px, 0xFFFFFFFF);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(svg);
        while (run.find()) {
            int x0 = Integer.parseInt(run.group(1));
            int y0 = Integer.parseInt(run.group(2));
            int len = Integer.parseInt(run.group(3));
            for (int y = y0 * scale; y < (y0 + 1) * scale; y++) {
                for (int x = x0 * scale; x < (x0 + len) * scale; x++) {
                    px[y * w + x] = 0xFF000000;
                }
            }
        }
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, w, px)))).getText();
    }
}
