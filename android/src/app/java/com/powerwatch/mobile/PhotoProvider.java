package com.powerwatch.mobile;

import android.content.ContentProvider;
import android.content.ContentValues;
import android.content.Context;
import android.database.Cursor;
import android.database.MatrixCursor;
import android.net.Uri;
import android.os.ParcelFileDescriptor;
import android.provider.OpenableColumns;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Hands the phone's camera app a file of ours to write a photo into, and the WebView the same file to upload: a
 * {@code content://} address, because Android forbids passing {@code file://} paths to other apps. (AndroidX's
 * FileProvider does this in Gradle builds; this is the little of it the app needs.) The files live in the app's
 * cache directory; those older than a day are deleted when a new one is made. Not exported: the camera app gets a
 * one-time grant for the one file.
 */
public class PhotoProvider extends ContentProvider {

    static final String AUTHORITY = "com.powerwatch.mobile.photos";
    private static final long KEEP_MS = 24 * 3600 * 1000L;

    /** A new, empty photo file and its address. */
    static Uri newPhoto(Context context, String prefix) throws IOException {
        File dir = dir(context);
        long now = System.currentTimeMillis();
        File[] old = dir.listFiles();
        for (int i = 0; old != null && i < old.length; i++) {
            if (now - old[i].lastModified() > KEEP_MS) {
                old[i].delete();
            }
        }
        File f = new File(dir, prefix + "-" + now + ".jpg");
        if (!f.createNewFile()) {
            throw new IOException("cannot create " + f);
        }
        return new Uri.Builder().scheme("content").authority(AUTHORITY).appendPath(f.getName()).build();
    }

    /** The file behind one of our addresses; only plain names in our directory (no "../"). */
    static File file(Context context, Uri uri) throws FileNotFoundException {
        String name = uri.getLastPathSegment();
        if (!AUTHORITY.equals(uri.getAuthority()) || name == null || !name.matches("[a-z]+-\\d+\\.jpg")) {
            throw new FileNotFoundException(String.valueOf(uri));
        }
        return new File(dir(context), name);
    }

    private static File dir(Context context) {
        File d = new File(context.getCacheDir(), "photos");
        d.mkdirs();
        return d;
    }

    @Override
    public boolean onCreate() {
        return true;
    }

    @Override
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        return ParcelFileDescriptor.open(file(getContext(), uri), ParcelFileDescriptor.parseMode(mode));
    }

    @Override
    public String getType(Uri uri) {
        return "image/jpeg";
    }

    /** Name and size: the WebView names the uploaded file after it. */
    @Override
    public Cursor query(Uri uri, String[] projection, String selection, String[] selectionArgs, String sortOrder) {
        File f;
        try {
            f = file(getContext(), uri);
        } catch (FileNotFoundException e) {
            return null;
        }
        MatrixCursor c = new MatrixCursor(new String[] {OpenableColumns.DISPLAY_NAME, OpenableColumns.SIZE});
        c.addRow(new Object[] {f.getName(), f.length()});
        return c;
    }

    @Override
    public Uri insert(Uri uri, ContentValues values) {
        throw new UnsupportedOperationException("read and write only");
    }

    @Override
    public int delete(Uri uri, String selection, String[] selectionArgs) {
        return 0;
    }

    @Override
    public int update(Uri uri, ContentValues values, String selection, String[] selectionArgs) {
        return 0;
    }
}
