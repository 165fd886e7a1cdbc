package com.powerwatch.mobile.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file input's accept list, and the WebView version the pages need. */
class SmallRulesTest {

    @Test
    void aFileInputForPhotosOffersTheCamera() {
        assertTrue(FileAccept.acceptsImages(null));
        assertTrue(FileAccept.acceptsImages(new String[] {""}));
        assertTrue(FileAccept.acceptsImages(new String[] {"image/*"}));
        assertTrue(FileAccept.acceptsImages(new String[] {"image/jpeg", "image/png"}));
        assertTrue(FileAccept.acceptsImages(new String[] {".JPG"}));
        assertFalse(FileAccept.acceptsImages(new String[] {"application/pdf"}));
        assertFalse(FileAccept.acceptsImages(new String[] {".xlsx"}));

        assertEquals("*/*", FileAccept.pickerMime(null));
        assertEquals("image/*", FileAccept.pickerMime(new String[] {"image/*"}));
        assertEquals("image/jpeg", FileAccept.pickerMime(new String[] {"image/jpeg"}));
        assertEquals("image/*", FileAccept.pickerMime(new String[] {"image/jpeg", ".png"}));
        assertEquals("*/*", FileAccept.pickerMime(new String[] {"image/jpeg", "application/pdf"}));
        assertEquals("*/*", FileAccept.pickerMime(new String[] {".xlsx"}));
    }

    @Test
    void anOldWebViewIsNamedWithWhatToDo() {
        String current = "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Version/4.0 Chrome/124.0.6367.179 Mobile Safari/537.36";
        String old = "Mozilla/5.0 (Linux; Android 7.0; MI 5 Build/NRD90M; wv) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Version/4.0 Chrome/51.0.2704.81 Mobile Safari/537.36";
        assertEquals(124, WebViewCheck.chromeMajor(current));
        assertNull(WebViewCheck.problem(current));
        assertEquals(51, WebViewCheck.chromeMajor(old));
        assertTrue(WebViewCheck.problem(old).contains("Android System WebView"));
        assertNull(WebViewCheck.problem("SomeOtherEngine/1.0"), "an agent that does not say: try");
    }
}
