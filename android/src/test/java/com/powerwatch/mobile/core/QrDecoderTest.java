package com.powerwatch.mobile.core;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The QR code of the login page, photographed: read back, then turned into the server address. */
class QrDecoderTest {

    static final String DOWNLOAD_LINK = "http://10.1.2.3:8080/app/powerwatch.apk";

    /**
     * A "photo": the code, {@code module} pixels a module, placed off-centre on a grey, noisy, unevenly lit background
     * of {@code width}×{@code height}.
     */
    static int[] photo(String text, int width, int height, int module, long seed) throws Exception {
        BitMatrix code = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                Collections.singletonMap(EncodeHintType.MARGIN, 4));
        int[] px = new int[width * height];
        Random noise = new Random(seed);
        int left = width / 3;
        int top = height / 4;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int light = 150 + 60 * x / width; // light falls from one side
                int mx = (x - left) / module;
                int my = (y - top) / module;
                boolean inCode = x >= left && y >= top && mx < code.getWidth() && my < code.getHeight();
                int v = inCode ? (code.get(mx, my) ? 35 : light + 20) : light - 30;
                v = Math.max(0, Math.min(255, v + noise.nextInt(31) - 15));
                px[y * width + x] = 0xFF000000 | v << 16 | v << 8 | v;
            }
        }
        return px;
    }

    @Test
    void theLoginPagesCodeInAPhotoGivesTheServer() throws Exception {
        String text = QrDecoder.decode(photo(DOWNLOAD_LINK, 1200, 900, 9, 1), 1200, 900);
        assertEquals(DOWNLOAD_LINK, text);
        assertEquals("http://10.1.2.3:8080", ServerAddress.parse(text).base());
    }

    @Test
    void aSmallCodeAndADeepLinkAreReadToo() throws Exception {
        String link = "powerwatch://connect?server=https%3A%2F%2Fgov.example.cn%2Fpowerwatch";
        assertEquals(link, QrDecoder.decode(photo(link, 640, 480, 4, 2), 640, 480));
    }

    @Test
    void aPhotoWithoutACodeGivesNothing() {
        int w = 800;
        int h = 600;
        int[] px = new int[w * h];
        Random r = new Random(3);
        for (int i = 0; i < px.length; i++) {
            int v = 100 + r.nextInt(60);
            px[i] = 0xFF000000 | v << 16 | v << 8 | v;
        }
        assertNull(QrDecoder.decode(px, w, h));
    }

    @Test
    void largePhotosAreScaledDownBeforeDecoding() {
        assertEquals(1, QrDecoder.sampleSize(1600, 1200));
        assertEquals(2, QrDecoder.sampleSize(3000, 2000));
        assertEquals(4, QrDecoder.sampleSize(4000, 3000));
        assertEquals(4, QrDecoder.sampleSize(3000, 4000));
    }
}
