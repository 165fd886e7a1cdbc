package com.powerwatch.mobile;

import android.Manifest;
import android.annotation.SuppressLint;
import android.app.Activity;
import android.content.ActivityNotFoundException;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.graphics.Bitmap;
import android.net.Uri;
import android.net.http.SslError;
import android.os.Build;
import android.os.Bundle;
import android.view.Gravity;
import android.view.View;
import android.view.ViewGroup;
import android.webkit.GeolocationPermissions;
import android.webkit.PermissionRequest;
import android.webkit.SslErrorHandler;
import android.webkit.ValueCallback;
import android.webkit.WebChromeClient;
import android.webkit.WebResourceError;
import android.webkit.WebResourceRequest;
import android.webkit.WebSettings;
import android.webkit.WebView;
import android.webkit.WebViewClient;
import android.widget.Button;
import android.widget.FrameLayout;
import android.widget.LinearLayout;
import android.widget.TextView;

import com.powerwatch.mobile.core.KeyValueStore;
import com.powerwatch.mobile.core.ServerAddress;
import com.powerwatch.mobile.core.SessionHandoff;
import com.powerwatch.mobile.core.SessionStore;
import com.powerwatch.mobile.core.SessionSync;
import com.powerwatch.mobile.core.WebViewCheck;

import java.io.IOException;

/**
 * The app's one screen: the platform's phone pages ({@code <server>/m/}) in a WebView, and around them what a page
 * cannot do — keep the login in the app's private storage and hand it back to the page, start and stop the background
 * check with the login, open the camera or the picker for a file input, ask for the location when a page of the
 * platform wants it, open links of other sites in the browser, go back with the back button, keep the page through
 * a rotation.
 */
public class MainActivity extends Activity {

    /** The platform page to open ({@code /m/alarms/42}), from a notification. */
    static final String EXTRA_PATH = "com.powerwatch.mobile.PATH";
    static final String HOME = "/m/";

    /** Whether the app is in front: the background check does not notify then (the page shows alarms live). */
    static volatile boolean inFront;

    private static final int REQUEST_FILES = 1;
    private static final int REQUEST_LOCATION = 2;
    private static final int REQUEST_NOTIFICATIONS = 3;

    private KeyValueStore store;
    private SessionStore session;
    private ServerAddress server;
    private WebView web;
    private LinearLayout errorPanel;
    private TextView errorText;

    private FileChooser chooser;
    private ValueCallback<Uri[]> filesCallback;
    private GeolocationPermissions.Callback geoCallback;
    private String geoOrigin;
    /** The session was handed to a new page and not yet seen in it (see {@link #syncSession}). */
    private boolean handoffPending;

    @Override
    protected void onCreate(Bundle saved) {
        super.onCreate(saved);
        store = Prefs.open(this);
        session = new SessionStore(store);
        server = session.server();
        Uri link = getIntent().getData();
        if (server == null || link != null) {
            openServerSettings(link);
            return;
        }
        buildViews();
        String problem = WebViewCheck.problem(web.getSettings().getUserAgentString());
        if (problem != null) {
            showError(problem);
            return;
        }
        if (saved == null || web.restoreState(saved) == null) {
            open(pathFrom(getIntent()));
        }
    }

    @SuppressLint("SetJavaScriptEnabled")
    private void buildViews() {
        FrameLayout root = new FrameLayout(this);
        web = new WebView(this);
        WebSettings s = web.getSettings();
        s.setJavaScriptEnabled(true);
        s.setDomStorageEnabled(true);
        s.setGeolocationEnabled(true);
        s.setAllowFileAccess(false);
        s.setAllowContentAccess(false); // uploads reach the page through the file chooser, not content:// URLs
        s.setMixedContentMode(WebSettings.MIXED_CONTENT_NEVER_ALLOW);
        s.setSupportMultipleWindows(false);
        s.setMediaPlaybackRequiresUserGesture(false); // the alarm sound of the live alarm page
        s.setUserAgentString(s.getUserAgentString() + " PowerWatchApp/" + versionName());
        web.setWebViewClient(new PageClient());
        web.setWebChromeClient(new ChromeClient());
        web.setDownloadListener((url, userAgent, contentDisposition, mimeType, length) -> openOutside(Uri.parse(url)));
        root.addView(web, new FrameLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.MATCH_PARENT));

        errorPanel = new LinearLayout(this);
        errorPanel.setOrientation(LinearLayout.VERTICAL);
        errorPanel.setGravity(Gravity.CENTER);
        errorPanel.setBackgroundColor(0xFFFFFFFF);
        int pad = dp(24);
        errorPanel.setPadding(pad, pad, pad, pad);
        errorText = new TextView(this);
        errorText.setTextSize(16);
        errorText.setGravity(Gravity.CENTER);
        errorPanel.addView(errorText);
        Button reload = new Button(this);
        reload.setText(R.string.menu_reload);
        reload.setOnClickListener(v -> {
            errorPanel.setVisibility(View.GONE);
            open(HOME);
        });
        errorPanel.addView(reload);
        Button change = new Button(this);
        change.setText(R.string.menu_server);
        change.setOnClickListener(v -> openServerSettings(null));
        errorPanel.addView(change);
        errorPanel.setVisibility(View.GONE);
        root.addView(errorPanel, new FrameLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.MATCH_PARENT));
        setContentView(root);
    }

    /** Opens a platform page with the stored session handed to it first (SessionHandoff). */
    private void open(String path) {
        handoffPending = session.sessionJson() != null;
        String html = SessionHandoff.bootstrapHtml(session.sessionJson(), server.url(path));
        web.loadDataWithBaseURL(server.origin() + "/", html, "text/html", "UTF-8", null);
    }

    private static String pathFrom(Intent intent) {
        String p = intent == null ? null : intent.getStringExtra(EXTRA_PATH);
        return p != null && p.startsWith("/m/") ? p : HOME;
    }

    @Override
    protected void onNewIntent(Intent intent) {
        super.onNewIntent(intent);
        setIntent(intent);
        if (intent.getData() != null) {
            openServerSettings(intent.getData());
        } else if (web != null && intent.getStringExtra(EXTRA_PATH) != null) {
            errorPanel.setVisibility(View.GONE);
            open(pathFrom(intent));
        }
    }

    /** The server settings; a deep link only fills the form — the person confirms before the app talks to it. */
    private void openServerSettings(Uri link) {
        Intent i = new Intent(this, ServerActivity.class);
        if (link != null) {
            i.putExtra(ServerActivity.EXTRA_ADDRESS, link.toString());
        }
        startActivity(i);
        finish();
    }

    /**
     * Copies the page's session into the app (and starts or stops the background check accordingly). Not from the
     * hand-off page itself (loaded at the bare origin): what counts is what the platform's page then holds.
     */
    private void syncSession(String url) {
        if (web == null || url == null || !server.owns(url) || url.equals(server.origin() + "/")) {
            return;
        }
        web.evaluateJavascript(SessionHandoff.READ_SCRIPT, raw -> {
            String pageSession = SessionHandoff.decodeScriptResult(raw);
            if (pageSession == null && handoffPending && session.sessionJson() != null) {
                // the first look after a hand-off found nothing: put it in once more and reload, rather than sign out
                handoffPending = false;
                web.evaluateJavascript(SessionHandoff.restoreScript(session.sessionJson()), null);
                return;
            }
            handoffPending = false;
            SessionSync.Action action = SessionSync.pageSession(store, pageSession);
            if (action == SessionSync.Action.START) {
                UpdateScheduler.start(this);
                askForNotifications();
            } else if (action == SessionSync.Action.STOP) {
                UpdateScheduler.stop(this);
            }
        });
    }

    private void askForNotifications() {
        if (Build.VERSION.SDK_INT >= 33 && checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED) {
            requestPermissions(new String[] {Manifest.permission.POST_NOTIFICATIONS}, REQUEST_NOTIFICATIONS);
        }
    }

    private void showError(String message) {
        errorText.setText(message);
        errorPanel.setVisibility(View.VISIBLE);
    }

    private void openOutside(Uri uri) {
        try {
            startActivity(new Intent(Intent.ACTION_VIEW, uri).addCategory(Intent.CATEGORY_BROWSABLE));
        } catch (ActivityNotFoundException e) {
            // nothing on the phone opens it: stay
        }
    }

    private String versionName() {
        try {
            return getPackageManager().getPackageInfo(getPackageName(), 0).versionName;
        } catch (PackageManager.NameNotFoundException e) {
            return "?";
        }
    }

    private int dp(int v) {
        return Math.round(v * getResources().getDisplayMetrics().density);
    }

    /** Pages of the platform stay in the app; other sites open in the browser; other schemes (tel:, mailto:) in their app. */
    private final class PageClient extends WebViewClient {

        @Override
        public boolean shouldOverrideUrlLoading(WebView view, WebResourceRequest request) {
            Uri uri = request.getUrl();
            if (server.owns(uri.toString())) {
                return false;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (scheme.equals("http") || scheme.equals("https") || scheme.equals("tel") || scheme.equals("mailto")
                    || scheme.equals("geo")) {
                openOutside(uri);
            }
            return true;
        }

        @Override
        public void onPageStarted(WebView view, String url, Bitmap favicon) {
            errorPanel.setVisibility(View.GONE);
        }

        @Override
        public void onPageFinished(WebView view, String url) {
            syncSession(url);
        }

        /** Also called for the web app's own route changes (history.pushState): the login page → the app. */
        @Override
        public void doUpdateVisitedHistory(WebView view, String url, boolean isReload) {
            syncSession(url);
        }

        @Override
        public void onReceivedError(WebView view, WebResourceRequest request, WebResourceError error) {
            if (request.isForMainFrame()) {
                showError(getString(R.string.page_error, String.valueOf(error.getDescription())));
            }
        }

        /** A certificate the phone does not trust: stop (never proceed), and say why. */
        @Override
        public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
            handler.cancel();
            showError(getString(R.string.page_ssl_error));
        }
    }

    private final class ChromeClient extends WebChromeClient {

        @Override
        public boolean onShowFileChooser(WebView view, ValueCallback<Uri[]> callback, FileChooserParams params) {
            if (filesCallback != null) {
                filesCallback.onReceiveValue(null); // a chooser left open: the page gets nothing for it
            }
            try {
                chooser = FileChooser.forPage(MainActivity.this, params, getString(R.string.choose_photo));
            } catch (IOException e) {
                return false; // the WebView answers the page with nothing
            }
            filesCallback = callback;
            try {
                startActivityForResult(chooser.intent(), REQUEST_FILES);
            } catch (ActivityNotFoundException noCamera) {
                try {
                    if (chooser.fallback() == null) {
                        throw noCamera;
                    }
                    startActivityForResult(chooser.fallback(), REQUEST_FILES);
                } catch (ActivityNotFoundException nothing) {
                    filesCallback = null;
                    showToast(getString(R.string.no_camera_app));
                    return false;
                }
            }
            return true;
        }

        /** Location for the platform's own pages only (nearby enterprises, the place stamped on a photo). */
        @Override
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            if (!server.sameOrigin(origin)) {
                callback.invoke(origin, false, false);
                return;
            }
            if (checkSelfPermission(Manifest.permission.ACCESS_FINE_LOCATION) == PackageManager.PERMISSION_GRANTED
                    || checkSelfPermission(Manifest.permission.ACCESS_COARSE_LOCATION) == PackageManager.PERMISSION_GRANTED) {
                callback.invoke(origin, true, false);
                return;
            }
            geoCallback = callback;
            geoOrigin = origin;
            requestPermissions(new String[] {Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION},
                    REQUEST_LOCATION);
        }

        /** Camera and microphone streams are not used by the pages (photos come through the file input). */
        @Override
        public void onPermissionRequest(PermissionRequest request) {
            request.deny();
        }
    }

    private void showToast(String text) {
        android.widget.Toast.makeText(this, text, android.widget.Toast.LENGTH_LONG).show();
    }

    @Override
    protected void onActivityResult(int requestCode, int resultCode, Intent data) {
        super.onActivityResult(requestCode, resultCode, data);
        if (requestCode == REQUEST_FILES && filesCallback != null) {
            filesCallback.onReceiveValue(chooser == null ? null : chooser.result(this, resultCode, data));
            filesCallback = null;
            chooser = null;
        }
    }

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] results) {
        if (requestCode == REQUEST_LOCATION && geoCallback != null) {
            boolean granted = false;
            for (int r : results) {
                granted |= r == PackageManager.PERMISSION_GRANTED;
            }
            geoCallback.invoke(geoOrigin, granted, false);
            geoCallback = null;
        }
    }

    /** Back goes back in the pages first; on the first page Android's usual back (leave the app). */
    @Override
    @SuppressWarnings("deprecation")
    public void onBackPressed() {
        if (web != null && errorPanel.getVisibility() != View.VISIBLE && web.canGoBack()) {
            web.goBack();
        } else {
            super.onBackPressed();
        }
    }

    /** Rotation does not recreate the activity (android:configChanges); this keeps the pages if Android ends the process. */
    @Override
    protected void onSaveInstanceState(Bundle out) {
        super.onSaveInstanceState(out);
        if (web != null) {
            web.saveState(out);
        }
    }

    @Override
    protected void onResume() {
        super.onResume();
        inFront = true;
        if (web != null) {
            web.onResume();
        }
    }

    @Override
    protected void onPause() {
        inFront = false;
        if (web != null) {
            syncSession(web.getUrl());
            web.onPause();
        }
        super.onPause();
    }

    @Override
    protected void onDestroy() {
        if (web != null) {
            web.destroy();
        }
        super.onDestroy();
    }
}
