package com.powerwatch.platform.web;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.emergency.EmergencyFixtures;
import com.powerwatch.platform.message.UserMessages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phone pages (/m/…) in Chromium emulating a phone: a 390x844 viewport at device scale 3, touch, a mobile user
 * agent. An officer handles an alarm with a camera photo (compressed and stamped in the browser: the API holds a JPEG
 * of at most 1600 px with the stamp, as a step of the alarm); an enterprise user files 异常申报 with two photos (after
 * the API's field message for a missing reason); a district officer sees only their district's alarms and enterprises.
 */
class MobileBrowserTest extends BrowserTestBase {

    static final String PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Mobile Safari/537.36";

    @Autowired
    AlarmRecorder recorder;
    @Autowired
    UserMessages messages;

    AlarmFixtures fx;
    String admin;

    @BeforeAll
    static void phone() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "zh-CN"));
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "mobile", true, "touch", true),
                "userAgent", PHONE_UA));
        restartBrowser(options);
    }

    @BeforeEach
    void setUp() {
        fx = new AlarmFixtures(jdbc, recorder);
        admin = AuthTestSupport.adminToken(jdbc);
    }

    /** The page sees a phone: its viewport, touch and user agent. */
    void assertPhone() {
        assertEquals(390L, ((Number) js("return window.innerWidth")).longValue());
        assertEquals(Boolean.TRUE, js("return navigator.maxTouchPoints > 0 && matchMedia('(pointer: coarse)').matches"));
        assertTrue(((String) js("return navigator.userAgent")).contains("Mobile"));
    }

    /** The phone's position as the page's navigator.geolocation reports it (granted, as a person allowing it). */
    void placePhoneAt(double lat, double lng) {
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Browser.grantPermissions", Map.of("permissions", List.of("geolocation"), "origin", url("")));
        chrome.executeCdpCommand("Emulation.setGeolocationOverride", Map.of("latitude", lat, "longitude", lng, "accuracy", 12));
    }

    Map<?, ?> alarm(long id) {
        ResponseEntity<Map> r = get(admin, "/api/alarms/" + id);
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    Map<?, ?> awaitAlarm(long id, String what, Predicate<Map<?, ?>> condition) {
        await("alarm " + id + " " + what, () -> condition.test(alarm(id)));
        return alarm(id);
    }

    static List<Map<String, Object>> steps(Map<?, ?> alarm) {
        return AlarmBrowserTest.steps(alarm);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> attachments(Map<?, ?> alarm) {
        return (List<Map<String, Object>>) alarm.get("attachments");
    }

    /** The stored photo's bytes, as the API serves them. */
    BufferedImage storedPhoto(Map<String, Object> attachment) throws IOException {
        ResponseEntity<byte[]> r = http.exchange((String) attachment.get("url"), HttpMethod.GET, new HttpEntity<>(headers(admin)), byte[].class);
        assertEquals(200, r.getStatusCode().value());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.getBody()));
        assertNotNull(img, "a readable image");
        return img;
    }

    /** Waits for the sheet to go away (the action and all photos went through). */
    void awaitSheetClosed() {
        waitUntil(d -> d.findElements(By.cssSelector("[data-test=m-sheet]")).isEmpty(), "the sheet closes");
    }

    @Test
    void anOfficerHandlesAnAlarmWithAPhotoFromTheCamera() throws IOException {
        String district = fx.district("手机处置区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "手机处置企业");
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(35, ChronoUnit.MINUTES));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        Path photo = cameraPhoto(4000, 3000, "现场-");

        signInAs(officer, GOOD_PASSWORD, "/m/alarms");
        assertPhone();
        click("[data-test=m-alarm][data-id='" + id + "']");
        waitForPath("/m/alarms/" + id);
        waitForText("[data-test=headline]", e.name());
        find("[data-test=evidence-chart]");
        placePhoneAt(34.2261, 108.9423);

        click("[data-test=m-act-handle]");
        type("[data-test=m-text]", "已到现场，治污设施风机已恢复运行");
        present("[data-test=m-photo-input]").sendKeys(photo.toAbsolutePath().toString());
        find("[data-test=m-photo-ready]");
        screenshot("mobile-action-sheet");
        click("[data-test=m-submit]");
        awaitSheetClosed();

        Map<?, ?> a = awaitAlarm(id, "handled with a photo", x -> "HANDLED".equals(x.get("handling")) && !attachments(x).isEmpty());
        assertTrue(steps(a).stream().anyMatch(s -> "HANDLED".equals(s.get("action")) && "已到现场，治污设施风机已恢复运行".equals(s.get("text"))),
                "the opinion is the HANDLED step's text: " + steps(a));
        Map<String, Object> att = attachments(a).get(0);
        assertEquals("image/jpeg", att.get("contentType"), "compressed to JPEG in the browser");
        assertEquals("处理报警", att.get("note"), "the photo says which step it belongs to");
        long attachmentId = ((Number) att.get("id")).longValue();
        assertTrue(steps(a).stream().anyMatch(s -> "ATTACHMENT".equals(s.get("action")) && s.get("detail") instanceof Map<?, ?> d
                        && d.get("attachmentId") instanceof Number n && n.longValue() == attachmentId),
                "the photo is a handling step of the alarm: " + steps(a));
        long sent = ((Number) att.get("sizeBytes")).longValue();
        assertTrue(sent < Files.size(photo) / 4, "compressed before upload: " + sent + " of " + Files.size(photo) + " bytes");
        BufferedImage stored = storedPhoto(att);
        assertEquals(1600, Math.max(stored.getWidth(), stored.getHeight()), "the long side scaled to 1600 px");
        assertEquals(1200, Math.min(stored.getWidth(), stored.getHeight()), "the aspect ratio kept");
        // the photo is bright all over; the stamp (time and place) is a dark box with white text in the bottom-left corner
        assertTrue(brightness(stored.getRGB(4, stored.getHeight() - 4)) < 120, "the stamp's box is drawn into the photo");
        assertTrue(brightness(stored.getRGB(stored.getWidth() - 4, stored.getHeight() - 4)) > 180, "the rest is the photo");

        waitForText("[data-test=alarm-handling]", "已处理");
        waitUntil(d -> d.findElements(By.cssSelector("[data-test=timeline] .el-image img")).stream()
                .anyMatch(img -> img.getAttribute("src").startsWith("blob:")), "the photo in the timeline");
        js("document.querySelector('[data-test=timeline]').scrollIntoView({block: 'end'})");
        screenshot("mobile-alarm-timeline");
    }

    @Test
    void aPhotoUploadRetriesAndSaysWhenItFailed() throws IOException {
        String district = fx.district("手机弱网区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "手机弱网企业");
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(30, ChronoUnit.MINUTES));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        Path photo = cameraPhoto(2000, 1500, "弱网-");

        signInAs(officer, GOOD_PASSWORD, "/m/alarms/" + id);
        waitForText("[data-test=headline]", e.name());
        // the network drops every photo upload (the request never reaches the platform), and later only the next one
        js("window.__fails = 1000; const real = window.fetch; window.fetch = (u, o) => String(u).includes('/attachments')"
                + " && o && o.method === 'POST' && window.__fails > 0 && window.__fails-- ? Promise.reject(new TypeError('network')) : real(u, o);");
        click("[data-test=m-act-handle]");
        type("[data-test=m-text]", "现场信号差");
        present("[data-test=m-photo-input]").sendKeys(photo.toAbsolutePath().toString());
        find("[data-test=m-photo-ready]");
        click("[data-test=m-submit]");
        // four attempts (after 1 s, 3 s, 8 s), then the failure is said and the action is not repeated
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(40))
                .until(d -> !d.findElements(By.cssSelector("[data-test=m-upload-failed]")).isEmpty());
        assertEquals(996L, ((Number) js("return window.__fails")).longValue(), "one try and three retries");
        waitForText("[data-test=m-photo-failed]", "无法连接服务器");
        waitForText("[data-test=m-action-done]", "处理报警已提交");
        waitForText("[data-test=m-submit]", "重试上传");
        Map<?, ?> half = alarm(id);
        assertEquals("HANDLED", half.get("handling"), "the action went through");
        assertTrue(attachments(half).isEmpty(), "no photo arrived");

        js("window.__fails = 1"); // the next attempt fails once more, its retry gets through
        click("[data-test=m-submit]");
        awaitSheetClosed();
        Map<?, ?> a = awaitAlarm(id, "has the photo", x -> attachments(x).size() == 1);
        assertEquals(0L, ((Number) js("return window.__fails")).longValue());
        assertEquals(1, steps(a).stream().filter(s -> "HANDLED".equals(s.get("action"))).count(), "the action was posted once");
    }

    @Test
    void anEnterpriseUserFilesAnAbnormalityReportWithTwoPhotos() throws IOException {
        String district = fx.district("手机申报区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "手机申报企业");
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(50, ChronoUnit.MINUTES));
        String user = newUser(Role.ENTERPRISE_USER, List.of(), e.id());
        Path first = cameraPhoto(3000, 4000, "风机-");
        Path second = cameraPhoto(1200, 900, "皮带-");

        // as from a notification: straight to the alarm
        signInAs(user, GOOD_PASSWORD, "/m/alarms/" + id);
        assertPhone();
        waitForText("[data-test=headline]", e.name());
        assertTrue(findAll("[data-test=m-act-confirm]").isEmpty() && findAll("[data-test=m-act-dispatch]").isEmpty(),
                "an enterprise user neither confirms nor dispatches");
        click("[data-test=m-act-reason]");
        new Select(find("[data-test=m-reason-kind]")).selectByValue("MAINTENANCE");
        present("[data-test=m-photo-input]").sendKeys(first.toAbsolutePath() + "\n" + second.toAbsolutePath());
        waitUntil(d -> d.findElements(By.cssSelector("[data-test=m-photo-ready]")).size() == 2, "two photos compressed");

        // no explanation written: the API's field message under the field, nothing stored
        click("[data-test=m-submit]");
        String message = waitUntil(d -> d.findElements(By.cssSelector("[data-test=m-sheet] em")).stream()
                .map(x -> x.getText()).filter(t -> !t.isBlank()).findFirst().orElse(null), "the API's field message");
        assertEquals("请填写异常原因", message);
        Map<?, ?> before = alarm(id);
        assertTrue(attachments(before).isEmpty() && steps(before).stream().noneMatch(s -> "REASON".equals(s.get("action"))),
                "nothing was stored for a refused report");

        type("[data-test=m-text]", "风机皮带断裂，停机更换后已恢复");
        click("[data-test=m-submit]");
        awaitSheetClosed();

        Map<?, ?> a = awaitAlarm(id, "has the reason and both photos", x -> attachments(x).size() == 2
                && steps(x).stream().anyMatch(s -> "REASON".equals(s.get("action"))));
        Map<String, Object> reason = steps(a).stream().filter(s -> "REASON".equals(s.get("action"))).findFirst().orElseThrow();
        assertEquals("MAINTENANCE", reason.get("result"));
        assertEquals("风机皮带断裂，停机更换后已恢复", reason.get("text"));
        assertEquals(2, steps(a).stream().filter(s -> "ATTACHMENT".equals(s.get("action"))).count(), "each photo a step");
        Set<String> names = attachments(a).stream().map(x -> (String) x.get("fileName")).collect(Collectors.toSet());
        assertTrue(names.stream().allMatch(n -> n.endsWith(".jpg")), "JPEGs: " + names);
        for (Map<String, Object> att : attachments(a)) {
            assertEquals("异常申报", att.get("note"));
            BufferedImage img = storedPhoto(att);
            assertTrue(Math.max(img.getWidth(), img.getHeight()) <= 1600, img.getWidth() + "x" + img.getHeight());
        }
        // the smaller photo is not enlarged
        assertTrue(attachments(a).stream().anyMatch(att -> {
            try {
                BufferedImage img = storedPhoto(att);
                return img.getWidth() == 1200 && img.getHeight() == 900;
            } catch (IOException x) {
                return false;
            }
        }), "a photo smaller than 1600 px keeps its size");
        waitForText("[data-test=timeline]", "风机皮带断裂");
    }

    @Test
    void aDistrictOfficerSeesOnlyTheirDistrict() {
        String mine = fx.district("手机本区");
        String theirs = fx.district("手机邻区");
        AlarmFixtures.Enterprise own = fx.enterprise(mine, "3360", "手机本区企业");
        AlarmFixtures.Enterprise foreign = fx.enterprise(theirs, "3360", "手机邻区企业");
        long ownAlarm = fx.raise(own, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minusSeconds(900));
        long ownNotice = fx.raise(own, "FROZEN_VALUE", AlarmLevel.NOTICE, Instant.now().minusSeconds(600));
        long foreignAlarm = fx.raise(foreign, "TREATMENT_STOPPED", AlarmLevel.LEVEL_1, Instant.now().minusSeconds(300));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(mine), null);

        signInAs(officer, GOOD_PASSWORD, "/m/alarms");
        assertPhone();
        waitUntil(d -> ids("m-alarm").containsAll(Set.of(ownAlarm, ownNotice)), "the officer's alarms listed");
        assertEquals(Set.of(ownAlarm, ownNotice), ids("m-alarm"), "only the officer's district");
        recordFirstLoad();
        assertFalse(browser.getPageSource().contains(foreign.name()));
        waitForText("[data-test=m-total]", "报警中 2 条");
        click("[data-test=m-level-NOTICE]");
        waitUntil(d -> ids("m-alarm").equals(Set.of(ownNotice)), "the level filter");

        click("[data-test=tab-enterprises]");
        waitForPath("/m/enterprises");
        waitUntil(d -> ids("m-ent").contains(own.id()), "the own enterprise listed");
        assertEquals(Set.of(own.id()), ids("m-ent"), "only the district's enterprises");
        type("[data-test=m-ent-search]", "手机邻区企业");
        waitForText("[data-test=m-ent-total]", "共 0 家");
        assertTrue(ids("m-ent").isEmpty());

        // a link to the other district's alarm or enterprise (a forwarded message) shows nothing of it
        open("/m/alarms/" + foreignAlarm);
        find("[data-test=m-alarm-error]");
        assertFalse(browser.getPageSource().contains(foreign.name()));
        open("/m/enterprises/" + foreign.id());
        find("[data-test=m-ent-error]");
        assertFalse(browser.getPageSource().contains(foreign.name()));
        assertEquals("ACTIVE", alarm(foreignAlarm).get("status"), "the other district's alarm exists all the same");
    }

    /** Every phone page once, for docs/screenshots and for looking at them; also: the cached list shows while offline. */
    @Test
    void thePhonePagesForTheRecord() {
        EmergencyFixtures.districts(jdbc);
        String district = "610113";
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "秦川涂装");
        AlarmFixtures.Enterprise other = fx.enterprise(district, "3011", "渭北建材");
        jdbc.update("update enterprise set longitude = 108.9480, latitude = 34.2190, address = '雁塔区科技路 88 号',"
                + " contacts = '[{\"name\":\"王工\",\"role\":\"环保负责人\",\"phone\":\"13800000000\"}]'::jsonb where id = ?", e.id());
        jdbc.update("update enterprise set longitude = 108.9100, latitude = 34.2420 where id = ?", other.id());
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.HOURS);
        EmergencyFixtures.samples(jdbc, EmergencyFixtures.point(jdbc, e.productionId()), start, 300, i -> 40 + 8 * Math.sin(i / 20.0));
        EmergencyFixtures.samples(jdbc, EmergencyFixtures.point(jdbc, e.treatmentId()), start, 300, i -> i < 250 ? 11 : 0);
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, start.plus(250, ChronoUnit.MINUTES));
        fx.raise(other, "OVER_CAPACITY", AlarmLevel.LEVEL_1, Instant.now().minus(20, ChronoUnit.MINUTES));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        long officerId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, officer);
        messages.store(officerId, id, "DISPATCHED", "任务派发：" + e.name() + " 治污设施停运", "请于今日 18:00 前到现场核查并反馈。", "LEVEL_2");
        messages.store(officerId, id, "HANDLED", "处理意见：" + e.name(), "已电话通知企业恢复治污设施运行。", "LEVEL_2");

        // signing in on a phone lands on the phone pages
        open("/login");
        find("[data-test=username]");
        screenshot("mobile-login");
        signInThroughForm(officer, GOOD_PASSWORD);
        waitForPath("/m/alarms");
        find("[data-test=m-tabs]");
        click("[data-test=tab-messages]");
        placePhoneAt(34.2230, 108.9400);
        waitForText("[data-test=inbox]", "任务派发");
        find("[data-test=tab-badge]");
        screenshot("mobile-inbox");
        click("[data-test=tab-alarms]");
        waitUntil(d -> ids("m-alarm").contains(id), "the alarm listed");
        screenshot("mobile-alarms");

        // offline: the cached list shows at once, with a clear message
        ((ChromeDriver) browser).executeCdpCommand("Network.enable", Map.of());
        ((ChromeDriver) browser).executeCdpCommand("Network.emulateNetworkConditions",
                Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            click("[data-test=tab-enterprises]");
            click("[data-test=tab-alarms]");
            waitUntil(d -> ids("m-alarm").contains(id), "the cached alarm shown offline");
            waitForText("[data-test=m-error]", "上次缓存");
        } finally {
            ((ChromeDriver) browser).executeCdpCommand("Network.emulateNetworkConditions",
                    Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        }

        click("[data-test=m-alarm][data-id='" + id + "']");
        find("[data-test=evidence-chart] canvas");
        screenshot("mobile-alarm-evidence");
        open("/m/enterprises/" + e.id());
        waitForText("[data-test=m-ent-name]", e.name());
        find("[data-test=load-chart] canvas");
        click("[data-test=load-range] label:nth-child(2)"); // the test's data are of the last hours, maybe yesterday in Beijing
        waitUntil(d -> find("[data-test=load-chart]").getAttribute("data-drawn").matches(".*:[1-9].*"), "the curve drawn");
        screenshot("mobile-enterprise");
        js("document.querySelector('[data-test=m-flow]').scrollIntoView()");
        screenshot("mobile-enterprise-flow");
        open("/m/nearby");
        waitUntil(d -> ids("m-near").containsAll(Set.of(e.id(), other.id())), "both enterprises nearby");
        waitForText("[data-test=m-where]", "我的位置");
        List<Long> order = nearOrder();
        assertTrue(order.indexOf(e.id()) < order.indexOf(other.id()), "nearest first: " + order);
        screenshot("mobile-nearby");

        int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
        post(admin, "/api/emergency/plans", Map.of("year", year, "level", "ORANGE", "enterpriseId", e.id(), "measure", "LIMIT", "limitPercent", 30));
        OffsetDateTime from = OffsetDateTime.ofInstant(Instant.now().minus(1, ChronoUnit.HOURS), ZoneOffset.ofHours(8));
        ResponseEntity<Map> started = post(admin, "/api/emergency/warnings", Map.of("level", "ORANGE", "planYear", year,
                "startsAt", from.toString(), "endsAt", from.plusDays(1).toString(), "districtCodes", List.of(district)));
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long warning = ((Number) started.getBody().get("id")).longValue();
        try {
            open("/m/emergency");
            find("[data-test=tab-emergency]");
            waitForText("[data-test=m-board]", e.name());
            screenshot("mobile-emergency");
        } finally {
            post(admin, "/api/emergency/warnings/" + warning + "/lift", Map.of("reason", "测试结束"));
        }
    }

    /**
     * What opening /m/alarms cost the phone (gzip as served, from the Resource Timing API): the code and styles, and the
     * API's answers; kept in target/mobile-first-load.txt for docs/benchmarks.md.
     */
    void recordFirstLoad() {
        List<?> rows = (List<?>) js("return performance.getEntriesByType('resource').filter(e => /\\/assets\\/|\\/api\\//.test(e.name))"
                + ".map(e => [new URL(e.name).pathname + new URL(e.name).search, e.encodedBodySize, e.decodedBodySize])");
        StringBuilder out = new StringBuilder("path\tgzip bytes\tbytes\n");
        long code = 0;
        long api = 0;
        for (Object o : rows) {
            List<?> r = (List<?>) o;
            long gz = ((Number) r.get(1)).longValue();
            if (((String) r.get(0)).startsWith("/assets/")) {
                code += gz;
            } else {
                api += gz;
            }
            out.append(r.get(0)).append('\t').append(gz).append('\t').append(r.get(2)).append('\n');
        }
        out.append("code and styles: ").append(code).append(" bytes; API answers: ").append(api).append(" bytes\n");
        try {
            Files.writeString(Path.of("target", "mobile-first-load.txt"), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(code > 0, "the resource timings were read");
    }

    Set<Long> ids(String testId) {
        List<?> ids = (List<?>) js("return [...document.querySelectorAll('[data-test=" + testId + "]')].map(e => e.dataset.id)");
        return ids.stream().map(x -> Long.parseLong((String) x)).collect(Collectors.toSet());
    }

    List<Long> nearOrder() {
        List<?> ids = (List<?>) js("return [...document.querySelectorAll('[data-test=m-near]')].map(e => e.dataset.id)");
        return ids.stream().map(x -> Long.parseLong((String) x)).toList();
    }

    static int brightness(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }

    /** A bright, detailed "camera photo" as a PNG (large, like a phone camera's: several MB). */
    static Path cameraPhoto(int w, int h, String prefix) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(250, 240, 200), w, h, new Color(200, 230, 250)));
        g.fillRect(0, 0, w, h);
        java.util.Random r = new java.util.Random(w * 31L + h);
        for (int i = 0; i < 4000; i++) { // texture, so the PNG is as big as a camera's photo
            g.setColor(new Color(190 + r.nextInt(60), 190 + r.nextInt(60), 190 + r.nextInt(60)));
            g.fillRect(r.nextInt(w), r.nextInt(h), 4 + r.nextInt(40), 4 + r.nextInt(40));
        }
        g.dispose();
        Path file = Files.createTempFile(prefix, ".png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
