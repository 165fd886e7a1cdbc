package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Browser tests of the web platform: the real application (embedded PostgreSQL, the bundle built from web/ into
 * the jar's static resources) driven in Debian's headless Chromium through its chromedriver. One browser per test
 * class; each test starts signed out. A failing test leaves a screenshot and the page's HTML in
 * {@code platform/target/browser-failures/}; {@link #screenshot} keeps pictures for docs in
 * {@code platform/target/browser-screenshots/}.
 *
 * <p>With {@code -Dweb.skip} the bundle is not built and these tests are skipped; otherwise a missing bundle fails.
 */
public abstract class BrowserTestBase extends AuthIntegrationTestBase {

    static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    static final Path FAILURES = Path.of("target", "browser-failures");
    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    protected static WebDriver browser;

    @Value("${local.server.port}")
    protected int port;

    @RegisterExtension
    final TestWatcher keepEvidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser == null) {
                return;
            }
            String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
            try {
                Files.createDirectories(FAILURES);
                File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Files.copy(png.toPath(), FAILURES.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(FAILURES.resolve(name + ".html"), browser.getPageSource());
            } catch (IOException | RuntimeException e) {
                System.err.println("could not keep the failure's screenshot: " + e);
            }
        }
    };

    @BeforeAll
    static void startBrowser() {
        boolean skipped = Boolean.parseBoolean(System.getProperty("web.skip", "false"));
        boolean bundled = new ClassPathResource("static/index.html").exists();
        Assumptions.assumeFalse(skipped && !bundled, "web bundle not built (-Dweb.skip)");
        if (!bundled) {
            fail("the web bundle is missing from the classpath (static/index.html): run the build without -Dweb.skip");
        }
        if (browser == null) {
            browser = newBrowser(desktopOptions());
        }
    }

    /** The desktop browser's options: a 1600x1000 window, Chinese. */
    static ChromeOptions desktopOptions() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1600,1000", "--lang=zh-CN", "--force-device-scale-factor=1");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "zh-CN"));
        return options;
    }

    static WebDriver newBrowser(ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver b = new ChromeDriver(service, options);
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return b;
    }

    /** Replaces this class's browser by one started with {@code options} (a test class that needs another device). */
    protected static void restartBrowser(ChromeOptions options) {
        if (browser != null) {
            browser.quit();
        }
        browser = newBrowser(options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @BeforeEach
    void signedOut(TestInfo info) {
        if (browser == null) {
            return;
        }
        browser.get(url("/login"));
        js("sessionStorage.clear(); localStorage.clear();");
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Opens a page of the app. */
    protected void open(String path) {
        browser.get(url(path));
    }

    /** Signs in through the login form and waits for the landing page. */
    protected void signInThroughForm(String username, String password) {
        open("/login");
        type("[data-test=username]", username);
        type("[data-test=password]", password);
        click("[data-test=login-submit]");
    }

    /**
     * Signs in without the form (a session token put where the app keeps it), then opens {@code path}: for tests
     * about a page, not about logging in.
     */
    protected void signInAs(String username, String password, String path) {
        Map<?, ?> r = login(username, password).getBody();
        if (r == null || r.get("token") == null) {
            fail("login of " + username + " failed: " + r);
        }
        browser.get(url("/login"));
        js("sessionStorage.setItem('powerwatch.session', JSON.stringify({token: arguments[0], expiresAt: arguments[1], user: arguments[2]}));",
                r.get("token"), r.get("expiresAt"), r.get("user"));
        open(path);
    }

    /** A user with a known password and no forced change; returns the username. */
    protected String newUser(Role role, List<String> regions, Long enterpriseId) {
        String name = unique(role.name().toLowerCase());
        user(name, role, GOOD_PASSWORD, regions, enterpriseId);
        return name;
    }

    protected WebElement find(String css) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)), "visible " + css);
    }

    /** An element that exists, visible or not (a file input styled away behind its label). */
    protected WebElement present(String css) {
        return waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)), "present " + css);
    }

    protected List<WebElement> findAll(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    protected void click(String css) {
        waitUntil(ExpectedConditions.elementToBeClickable(By.cssSelector(css)), "clickable " + css).click();
    }

    protected void type(String css, String text) {
        WebElement e = find(css);
        // clear() does not fire the input event Vue's v-model listens to: select and delete like a user
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        e.sendKeys(text);
    }

    /** Waits until an element matching {@code css} shows {@code text}. */
    protected WebElement waitForText(String css, String text) {
        waitUntil(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.isDisplayed() && e.getText().contains(text)),
                css + " showing '" + text + "'");
        return browser.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().contains(text)).findFirst().orElseThrow();
    }

    protected void waitForPath(String path) {
        waitUntil(d -> path.equals(((JavascriptExecutor) d).executeScript("return location.pathname")), "location " + path);
    }

    protected <T> T waitUntil(Function<WebDriver, T> condition, String what) {
        // a live page re-renders while a condition reads it: a stale element means "look again", not a failure
        return new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    protected Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    protected String path() {
        return (String) js("return location.pathname");
    }

    /** Keeps a screenshot of the current page (for docs and for looking at what was built). */
    protected Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(name + ".png");
            File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
