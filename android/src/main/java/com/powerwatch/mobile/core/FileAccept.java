package com.powerwatch.mobile.core;

/**
 * What a page's {@code <input type="file" accept="…" capture>} asks for, read from the accept list the WebView hands
 * the app: whether the camera should be offered, and the MIME type for the phone's file picker.
 */
public final class FileAccept {

    private FileAccept() {
    }

    /** Whether photos are acceptable: no accept list, {@code image/*}, an image type or an image file extension. */
    public static boolean acceptsImages(String[] acceptTypes) {
        if (isEmpty(acceptTypes)) {
            return true;
        }
        for (String t : acceptTypes) {
            String s = t == null ? "" : t.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty() || s.equals("*/*") || s.startsWith("image/") || s.equals(".jpg") || s.equals(".jpeg")
                    || s.equals(".png") || s.equals(".heic") || s.equals(".webp")) {
                return true;
            }
        }
        return false;
    }

    /** The picker's MIME type: the one type asked for, {@code image/*} when all are images, else any file. */
    public static String pickerMime(String[] acceptTypes) {
        if (isEmpty(acceptTypes)) {
            return "*/*";
        }
        String only = null;
        boolean allImages = true;
        for (String t : acceptTypes) {
            String s = t == null ? "" : t.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            boolean image = s.startsWith("image/") || s.matches("\\.(jpe?g|png|heic|webp|gif)");
            allImages &= image;
            only = only == null ? s : "several";
        }
        if (only == null) {
            return "*/*";
        }
        if (!only.equals("several") && only.contains("/")) {
            return only;
        }
        return allImages ? "image/*" : "*/*";
    }

    private static boolean isEmpty(String[] types) {
        if (types == null) {
            return true;
        }
        for (String t : types) {
            if (t != null && !t.trim().isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
