package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 手机App: the login page links to the download page with the app's QR code; and the app's session hand-off
 * (android: SessionHandoff) works with the real web app in Chromium — the engine of Android's WebView.
 */
class AppDownloadBrowserTest extends BrowserTestBase {

    @Test
    void theLoginPageLeadsToTheDownloadPageWithTheQrCode() {
        open("/login");
        find("[data-test=login-app]");
        waitUntil(d -> ((Number) js("return document.querySelector('[data-test=login-app] img').naturalWidth")).intValue() > 0,
                "the QR code image on the login page");
        screenshot("login-app-link");
        click("[data-test=login-app]");
        waitForPath("/app/");
        assertTrue(find("[data-test=app-version]").getText().startsWith("版本 "));
        assertEquals(url("/app/powerwatch.apk"), find("[data-test=app-download]").getAttribute("href"));
        assertEquals(url(""), find("[data-test=app-server]").getText());
        assertTrue(((Number) js("return document.querySelector('[data-test=app-qr]').naturalWidth")).intValue() > 0);
        screenshot("app-download");
        Dimension desktop = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(390, 844)); // a phone that opened the link
            screenshot("app-download-phone");
        } finally {
            browser.manage().window().setSize(desktop);
        }
    }

    /**
     * What the app does when it opens a new WebView: a page in the platform's origin (there: loadDataWithBaseURL; here:
     * document.write into a page of that origin) puts the stored session back into sessionStorage and goes on. The web
     * app must start signed in. The bootstrap page is the app's own code, loaded from the android module's classes.
     */
    @Test
    void aSessionHandedBackByTheAppSignsTheWebAppIn() throws Exception {
        String name = newUser(Role.DISTRICT_OFFICER, List.of(), null);
        signInThroughForm(name, GOOD_PASSWORD);
        waitUntil(d -> !path().equals("/login"), "signed in");
        String landing = path();
        // the app reads the session out of the page after each navigation
        String session = (String) js("return sessionStorage.getItem('powerwatch.session')");
        assertTrue(session.contains("\"token\""), session);

        // the app is closed: the WebView's sessionStorage is gone
        open("/app/");
        js("sessionStorage.clear()");
        String html = bootstrapHtml(session, url(landing));
        js("document.open(); document.write(arguments[0]); document.close();", html);
        waitForPath(landing);
        find("[data-test=user-menu]");
        assertEquals(session, js("return sessionStorage.getItem('powerwatch.session')"), "the web app kept what it was handed");
    }

    /** android/src/main/java/…/SessionHandoff.bootstrapHtml, from the android module's compiled classes. */
    private static String bootstrapHtml(String session, String target) throws Exception {
        Path classes = Path.of("..", "android", "target", "classes");
        assertTrue(Files.isDirectory(classes), "the android module is built before the platform in the reactor: " + classes.toAbsolutePath());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, AppDownloadBrowserTest.class.getClassLoader())) {
            return (String) loader.loadClass("com.powerwatch.mobile.core.SessionHandoff")
                    .getMethod("bootstrapHtml", String.class, String.class).invoke(null, session, target);
        }
    }
}
