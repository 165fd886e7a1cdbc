package com.powerwatch.mobile.core;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a QR code from a photo (the phone's camera app takes it; the app hands the pixels here). ZXing's core is
 * plain Java, dexed into the APK; no Google Play services. Both binarizers are tried: the hybrid one copes with
 * uneven light, the global one with small codes.
 */
public final class QrDecoder {

    private QrDecoder() {
    }

    /** The text of the QR code in the picture ({@code argb}: one int per pixel, row by row), or null if none is found. */
    public static String decode(int[] argb, int width, int height) {
        LuminanceSource source = new RGBLuminanceSource(width, height, argb);
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.CHARACTER_SET, "UTF-8");
        for (int attempt = 0; attempt < 2; attempt++) {
            BinaryBitmap bitmap = new BinaryBitmap(attempt == 0 ? new HybridBinarizer(source) : new GlobalHistogramBinarizer(source));
            try {
                return new QRCodeReader().decode(bitmap, hints).getText();
            } catch (NotFoundException e) {
                // try the other binarizer
            } catch (ReaderException e) {
                // a code was seen but could not be read (checksum, format): try the other binarizer
            }
        }
        return null;
    }

    /** The largest side a photo is scaled down to before decoding (memory: 4 bytes a pixel). */
    public static final int MAX_SIDE = 1600;

    /** The power-of-two down-sampling that brings a {@code width}×{@code height} photo to at most {@link #MAX_SIDE}. */
    public static int sampleSize(int width, int height) {
        int s = 1;
        while (Math.max(width, height) / s > MAX_SIDE) {
            s *= 2;
        }
        return s;
    }
}
