package com.powerwatch.mobile;

import android.app.Activity;
import android.content.ClipData;
import android.content.ClipboardManager;
import android.content.Context;
import android.content.Intent;
import android.graphics.Bitmap;
import android.graphics.BitmapFactory;
import android.net.Uri;
import android.os.Bundle;
import android.provider.MediaStore;
import android.text.InputType;
import android.view.View;
import android.view.inputmethod.EditorInfo;
import android.widget.Button;
import android.widget.EditText;
import android.widget.LinearLayout;
import android.widget.ScrollView;
import android.widget.TextView;

import com.powerwatch.mobile.core.QrDecoder;
import com.powerwatch.mobile.core.ServerAddress;
import com.powerwatch.mobile.core.SessionStore;
import com.powerwatch.mobile.core.PlatformApi;

import java.io.File;
import java.io.IOException;

/**
 * 服务器地址: set once. Typed, pasted, from a deep link ({@code powerwatch://connect?server=…}) or from a photo of the
 * QR code on the platform's login page / download page (the phone's camera app takes the photo, {@link QrDecoder}
 * reads it; no Google libraries). The address is checked against the platform's health probe before it is kept.
 */
public class ServerActivity extends Activity {

    static final String EXTRA_ADDRESS = "com.powerwatch.mobile.ADDRESS";
    private static final int REQUEST_SCAN = 1;

    private EditText address;
    private TextView status;
    private Button connect;
    private Uri scanPhoto;

    @Override
    protected void onCreate(Bundle saved) {
        super.onCreate(saved);
        int pad = dp(20);
        LinearLayout form = new LinearLayout(this);
        form.setOrientation(LinearLayout.VERTICAL);
        form.setPadding(pad, pad, pad, pad);

        TextView title = new TextView(this);
        title.setText(R.string.server_title);
        title.setTextSize(22);
        form.addView(title);
        TextView explain = new TextView(this);
        explain.setText(R.string.server_explain);
        explain.setPadding(0, dp(8), 0, dp(16));
        form.addView(explain);

        address = new EditText(this);
        address.setHint(R.string.server_hint);
        address.setSingleLine(true);
        address.setInputType(InputType.TYPE_CLASS_TEXT | InputType.TYPE_TEXT_VARIATION_URI);
        address.setImeOptions(EditorInfo.IME_ACTION_GO);
        address.setOnEditorActionListener((v, actionId, event) -> {
            connect();
            return true;
        });
        form.addView(address);

        LinearLayout buttons = new LinearLayout(this);
        buttons.setOrientation(LinearLayout.HORIZONTAL);
        Button scan = new Button(this);
        scan.setText(R.string.server_scan);
        scan.setOnClickListener(v -> scan());
        buttons.addView(scan);
        Button paste = new Button(this);
        paste.setText(R.string.server_paste);
        paste.setOnClickListener(v -> paste());
        buttons.addView(paste);
        connect = new Button(this);
        connect.setText(R.string.server_connect);
        connect.setOnClickListener(v -> connect());
        buttons.addView(connect);
        form.addView(buttons);

        status = new TextView(this);
        status.setPadding(0, dp(16), 0, 0);
        form.addView(status);

        ScrollView scroll = new ScrollView(this);
        scroll.addView(form);
        setContentView(scroll);

        if (saved != null) {
            scanPhoto = saved.getParcelable("scanPhoto");
        }
        String given = getIntent().getStringExtra(EXTRA_ADDRESS);
        ServerAddress current = new SessionStore(Prefs.open(this)).server();
        if (given != null) {
            fill(given);
        } else if (current != null && saved == null) {
            address.setText(current.base());
        }
    }

    @Override
    protected void onSaveInstanceState(Bundle out) {
        super.onSaveInstanceState(out);
        out.putParcelable("scanPhoto", scanPhoto);
    }

    /** Puts a scanned, pasted or linked text into the form as a clean address, or says what is wrong with it. */
    private boolean fill(String text) {
        try {
            address.setText(ServerAddress.parse(text).base());
            status.setText("");
            return true;
        } catch (IllegalArgumentException e) {
            address.setText(text);
            status.setText(e.getMessage());
            return false;
        }
    }

    private void paste() {
        ClipboardManager cm = (ClipboardManager) getSystemService(Context.CLIPBOARD_SERVICE);
        ClipData clip = cm == null ? null : cm.getPrimaryClip();
        CharSequence text = clip == null || clip.getItemCount() == 0 ? null : clip.getItemAt(0).coerceToText(this);
        if (text == null || text.toString().trim().isEmpty()) {
            status.setText(R.string.server_clipboard_empty);
        } else {
            fill(text.toString());
        }
    }

    private void scan() {
        try {
            scanPhoto = PhotoProvider.newPhoto(this, "qr");
            Intent camera = new Intent(MediaStore.ACTION_IMAGE_CAPTURE).putExtra(MediaStore.EXTRA_OUTPUT, scanPhoto)
                    .addFlags(Intent.FLAG_GRANT_WRITE_URI_PERMISSION | Intent.FLAG_GRANT_READ_URI_PERMISSION);
            camera.setClipData(ClipData.newRawUri("", scanPhoto));
            startActivityForResult(camera, REQUEST_SCAN);
        } catch (IOException | android.content.ActivityNotFoundException e) {
            status.setText(R.string.no_camera_app);
        }
    }

    @Override
    protected void onActivityResult(int requestCode, int resultCode, Intent data) {
        super.onActivityResult(requestCode, resultCode, data);
        if (requestCode != REQUEST_SCAN || resultCode != RESULT_OK || scanPhoto == null) {
            return;
        }
        final Uri photo = scanPhoto;
        status.setText(R.string.server_checking);
        new Thread(() -> {
            String text = readQr(photo);
            runOnUiThread(() -> {
                if (text == null) {
                    status.setText(R.string.server_scan_failed);
                } else if (fill(text)) {
                    connect();
                }
            });
        }, "powerwatch-qr").start();
    }

    /** Decodes the photo at most {@link QrDecoder#MAX_SIDE} pixels wide, then reads the code in it. */
    private String readQr(Uri photo) {
        try {
            File f = PhotoProvider.file(this, photo);
            BitmapFactory.Options bounds = new BitmapFactory.Options();
            bounds.inJustDecodeBounds = true;
            BitmapFactory.decodeFile(f.getPath(), bounds);
            BitmapFactory.Options opts = new BitmapFactory.Options();
            opts.inSampleSize = QrDecoder.sampleSize(bounds.outWidth, bounds.outHeight);
            Bitmap bmp = BitmapFactory.decodeFile(f.getPath(), opts);
            f.delete();
            if (bmp == null) {
                return null;
            }
            int[] pixels = new int[bmp.getWidth() * bmp.getHeight()];
            bmp.getPixels(pixels, 0, bmp.getWidth(), 0, 0, bmp.getWidth(), bmp.getHeight());
            return QrDecoder.decode(pixels, bmp.getWidth(), bmp.getHeight());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Checks the address (the platform's health probe, off the UI thread), keeps it and opens the platform. */
    private void connect() {
        final ServerAddress server;
        try {
            server = ServerAddress.parse(address.getText().toString());
        } catch (IllegalArgumentException e) {
            status.setText(e.getMessage());
            return;
        }
        address.setText(server.base());
        status.setText(R.string.server_checking);
        connect.setEnabled(false);
        new Thread(() -> {
            String problem = PlatformApi.probe(server);
            runOnUiThread(() -> {
                connect.setEnabled(true);
                if (problem != null) {
                    status.setText(getString(problem.startsWith("HTTP") ? R.string.server_not_powerwatch : R.string.server_unreachable, problem));
                    return;
                }
                SessionStore session = new SessionStore(Prefs.open(this));
                boolean changed = !server.equals(session.server());
                session.setServer(server);
                if (changed) {
                    UpdateScheduler.stop(this); // a new platform: its login starts the checks again
                }
                startActivity(new Intent(this, MainActivity.class).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK | Intent.FLAG_ACTIVITY_CLEAR_TASK));
                finish();
            });
        }, "powerwatch-probe").start();
    }

    private int dp(int v) {
        return Math.round(v * getResources().getDisplayMetrics().density);
    }
}
