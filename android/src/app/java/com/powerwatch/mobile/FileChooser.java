package com.powerwatch.mobile;

import android.app.Activity;
import android.content.ClipData;
import android.content.Context;
import android.content.Intent;
import android.net.Uri;
import android.provider.MediaStore;
import android.webkit.WebChromeClient;

import com.powerwatch.mobile.core.FileAccept;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page's {@code <input type="file">} on the phone: with {@code capture} (or when the page wants only photos and
 * the person picks the camera) the phone's camera app takes the photo into a file of ours ({@link PhotoProvider});
 * otherwise the phone's picker, with the camera offered beside it. The page compresses and uploads what it gets.
 */
final class FileChooser {

    private final Uri photo;
    private final Intent intent;
    /** The picker to fall back on when no camera app takes the direct capture intent. */
    private final Intent fallback;

    private FileChooser(Uri photo, Intent intent, Intent fallback) {
        this.photo = photo;
        this.intent = intent;
        this.fallback = fallback;
    }

    static FileChooser forPage(Context context, WebChromeClient.FileChooserParams params, String title) throws IOException {
        String[] accept = params.getAcceptTypes();
        boolean images = FileAccept.acceptsImages(accept);
        Uri photo = images ? PhotoProvider.newPhoto(context, "photo") : null;
        Intent camera = null;
        if (images) {
            camera = new Intent(MediaStore.ACTION_IMAGE_CAPTURE).putExtra(MediaStore.EXTRA_OUTPUT, photo)
                    .addFlags(Intent.FLAG_GRANT_WRITE_URI_PERMISSION | Intent.FLAG_GRANT_READ_URI_PERMISSION);
            camera.setClipData(ClipData.newRawUri("", photo));
        }
        Intent pick = new Intent(Intent.ACTION_GET_CONTENT).addCategory(Intent.CATEGORY_OPENABLE).setType(FileAccept.pickerMime(accept));
        if (params.getMode() == WebChromeClient.FileChooserParams.MODE_OPEN_MULTIPLE) {
            pick.putExtra(Intent.EXTRA_ALLOW_MULTIPLE, true);
        }
        Intent chooser = Intent.createChooser(pick, title);
        if (camera != null) {
            // the camera beside the picker (no resolveActivity check: on Android 11+ it would need a <queries>
            // element, which Debian's aapt2 (Android 10) does not know; the chooser leaves out what nothing handles)
            chooser.putExtra(Intent.EXTRA_INITIAL_INTENTS, new Intent[] {camera});
        }
        return camera != null && params.isCaptureEnabled() ? new FileChooser(photo, camera, chooser) : new FileChooser(photo, chooser, null);
    }

    /** What to start first: the camera for {@code capture}, else the picker. */
    Intent intent() {
        return intent;
    }

    /** What to start when {@link #intent()} found no app (no camera app): the picker; null when there is none. */
    Intent fallback() {
        return fallback;
    }

    /** What to hand the page: the picked files, the photo taken, or null (cancelled). */
    Uri[] result(Context context, int resultCode, Intent data) {
        if (resultCode != Activity.RESULT_OK) {
            return null;
        }
        List<Uri> picked = new ArrayList<>();
        if (data != null && data.getClipData() != null) {
            for (int i = 0; i < data.getClipData().getItemCount(); i++) {
                Uri u = data.getClipData().getItemAt(i).getUri();
                if (u != null && !u.equals(photo)) {
                    picked.add(u);
                }
            }
        }
        if (picked.isEmpty() && data != null && data.getData() != null && !data.getData().equals(photo)) {
            picked.add(data.getData());
        }
        if (picked.isEmpty() && photo != null && photoTaken(context)) {
            picked.add(photo);
        }
        return picked.isEmpty() ? null : picked.toArray(new Uri[0]);
    }

    private boolean photoTaken(Context context) {
        try {
            File f = PhotoProvider.file(context, photo);
            return f.length() > 0;
        } catch (FileNotFoundException e) {
            return false;
        }
    }
}
