package com.powerwatch.platform.web;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 实时报警, the alarm page and 综合分析 in Chromium: handling an alarm through its dialogs changes it in the API; a
 * bad dispatch shows the API's message under the field; an enterprise user answers with a reason and a photo; a
 * district officer's live list holds only their district; a new alarm appears without a reload; the analysis shows
 * the API's numbers. Each test makes its own district (AlarmFixtures), so other tests' alarms do not interfere.
 */
class AlarmBrowserTest extends BrowserTestBase {

    @Autowired
    AlarmRecorder recorder;

    AlarmFixtures fx;
    String admin;

    @BeforeEach
    void setUp() {
        fx = new AlarmFixtures(jdbc, recorder);
        admin = AuthTestSupport.adminToken(jdbc);
    }

    /** As the base's, but an element replaced while the condition looks at it (a list reloading) means "not yet". */
    @Override
    protected <T> T waitUntil(Function<WebDriver, T> condition, String what) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The alarm as the API has it now. */
    Map<?, ?> alarm(long id) {
        ResponseEntity<Map> r = get(admin, "/api/alarms/" + id);
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    /** Waits until the API's view of the alarm satisfies {@code condition}. */
    Map<?, ?> awaitAlarm(long id, String what, Predicate<Map<?, ?>> condition) {
        await("alarm " + id + " " + what, () -> condition.test(alarm(id)));
        return alarm(id);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Map<?, ?> alarm) {
        return (List<Map<String, Object>>) alarm.get("steps");
    }

    static boolean hasStep(Map<?, ?> alarm, String action) {
        return steps(alarm).stream().anyMatch(s -> action.equals(s.get("action")));
    }

    /** Opens an el-select and picks the visible option containing {@code text}. */
    void choose(String selectCss, String text) {
        click(selectCss);
        WebElement option = waitUntil(d -> d.findElements(By.cssSelector(".el-select-dropdown__item")).stream()
                .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null), "option " + text);
        option.click();
    }

    /** Opens the action's dialog and waits for it. */
    void openAction(String action) {
        click("[data-test=act-" + action + "]");
        find("[data-test=action-dialog] [data-test=action-submit]");
    }

    void submitAndWaitClosed() {
        click("[data-test=action-submit]");
        // asked in one script: the closing dialog's elements go away while a Java-side check would walk them
        waitUntil(d -> Boolean.TRUE.equals(js("return [...document.querySelectorAll('[data-test=action-dialog]')]"
                + ".every(e => e.offsetParent === null)")), "the dialog closes");
    }

    @Test
    void confirmingHandlingAndDispatchingAnAlarmChangesItInTheApi() {
        String district = fx.district("处置区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "处置企业");
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(35, ChronoUnit.MINUTES));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        String assignee = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        long assigneeId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, assignee);

        signInAs(officer, GOOD_PASSWORD, "/alarms/" + id);
        waitForText("[data-test=headline]", e.name());
        waitForText("[data-test=headline]", "治污设施停运");
        find("[data-test=evidence-chart]");
        assertTrue(findAll("[data-test=act-review]").isEmpty(), "审核 is not offered before verification");

        openAction("confirm");
        submitAndWaitClosed();
        awaitAlarm(id, "confirmed", a -> "CONFIRMED".equals(a.get("handling")));
        waitForText("[data-test=alarm-handling]", "已确认");
        assertTrue(findAll("[data-test=act-confirm]").isEmpty(), "an alarm is confirmed once");

        openAction("handle");
        type("[data-test=action-text]", "已电话通知企业立即恢复治污设施运行");
        submitAndWaitClosed();
        Map<?, ?> handled = awaitAlarm(id, "handled", a -> "HANDLED".equals(a.get("handling")));
        assertTrue(steps(handled).stream().anyMatch(s -> "HANDLED".equals(s.get("action"))
                && "已电话通知企业立即恢复治污设施运行".equals(s.get("text"))), "the opinion is the step's text");
        waitForText("[data-test=timeline]", "已电话通知企业立即恢复治污设施运行");

        openAction("dispatch");
        choose("[data-test=dispatch-user]", assignee);
        type("[data-test=action-text]", "请于明日前现场核查");
        submitAndWaitClosed();
        Map<?, ?> dispatched = awaitAlarm(id, "dispatched", a -> "DISPATCHED".equals(a.get("workflow")));
        assertEquals(assigneeId, ((Number) dispatched.get("assigneeUserId")).longValue());
        Instant deadline = java.time.OffsetDateTime.parse((String) dispatched.get("deadline")).toInstant();
        assertTrue(deadline.isAfter(Instant.now().plus(20, ChronoUnit.HOURS)), "the dialog's default deadline: tomorrow, " + deadline);
        waitForText("[data-test=alarm-handling]", "已派发待反馈");
        waitForText("[data-test=timeline]", "请于明日前现场核查");
    }

    @Test
    void aBadDispatchShowsTheApisMessageNextToTheField() {
        String district = fx.district("派发区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "派发企业");
        long id = fx.raise(e, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_2, Instant.now().minus(20, ChronoUnit.MINUTES));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        String apiMessage = (String) post(admin, "/api/alarms/" + id + "/dispatch",
                Map.of("deadline", Instant.now().plus(1, ChronoUnit.DAYS).toString())).getBody().get("message");

        signInAs(officer, GOOD_PASSWORD, "/alarms/" + id);
        waitForText("[data-test=headline]", e.name());
        openAction("dispatch");
        click("[data-test=action-submit]"); // nobody chosen
        WebElement error = waitForText("[data-test=action-dialog] .el-form-item.is-error .el-form-item__error", apiMessage);
        WebElement item = error.findElement(By.xpath("ancestor::div[contains(@class,'el-form-item')][1]"));
        assertTrue(item.getText().contains("承办人"), "the message sits under the assignee field: " + item.getText());
        Map<?, ?> a = alarm(id);
        assertEquals(null, a.get("workflow"), "nothing was dispatched");
        assertFalse(hasStep(a, "DISPATCHED"));
    }

    @Test
    void anEnterpriseUserAnswersAnAlarmWithAReasonAndAPhoto() throws IOException {
        String district = fx.district("申报区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "申报企业");
        long id = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(40, ChronoUnit.MINUTES));
        String user = newUser(Role.ENTERPRISE_USER, List.of(), e.id());
        Path photo = png();

        signInAs(user, GOOD_PASSWORD, "/alarms/" + id);
        waitForText("[data-test=headline]", e.name());
        assertTrue(findAll("[data-test=act-confirm]").isEmpty() && findAll("[data-test=act-dispatch]").isEmpty(),
                "an enterprise user does not confirm or dispatch");
        openAction("reason");
        choose("[data-test=reason-kind]", "设备检修");
        type("[data-test=action-text]", "风机皮带断裂，14:20 停机更换，15:10 恢复运行");
        browser.findElement(By.cssSelector("[data-test=photo-input]")).sendKeys(photo.toAbsolutePath().toString());
        waitForText("[data-test=action-dialog]", photo.getFileName().toString());
        submitAndWaitClosed();

        Map<?, ?> a = awaitAlarm(id, "has the reason and the photo",
                x -> hasStep(x, "REASON") && !((List<?>) x.get("attachments")).isEmpty());
        Map<String, Object> reason = steps(a).stream().filter(s -> "REASON".equals(s.get("action"))).findFirst().orElseThrow();
        assertEquals("风机皮带断裂，14:20 停机更换，15:10 恢复运行", reason.get("text"));
        assertEquals("MAINTENANCE", reason.get("result"));
        Map<?, ?> attachment = (Map<?, ?>) ((List<?>) a.get("attachments")).get(0);
        assertEquals("image/png", attachment.get("contentType"));
        assertEquals(Files.size(photo), ((Number) attachment.get("sizeBytes")).longValue());
        // the page shows the answer and the photo (fetched with the token)
        waitForText("[data-test=timeline]", "风机皮带断裂");
        waitUntil(d -> d.findElements(By.cssSelector("[data-test=timeline] .el-image img")).stream()
                .anyMatch(img -> img.getAttribute("src").startsWith("blob:")), "the photo's thumbnail");
    }

    @Test
    void aDistrictOfficerSeesOnlyTheirDistrictsAlarmsInTheLiveList() {
        String mine = fx.district("本区");
        String theirs = fx.district("邻区");
        AlarmFixtures.Enterprise own = fx.enterprise(mine, "3360", "本区企业");
        AlarmFixtures.Enterprise foreign = fx.enterprise(theirs, "3360", "邻区企业");
        long ownAlarm = fx.raise(own, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minusSeconds(900));
        long ownNotice = fx.raise(own, "FROZEN_VALUE", AlarmLevel.NOTICE, Instant.now().minusSeconds(600));
        long foreignAlarm = fx.raise(foreign, "TREATMENT_STOPPED", AlarmLevel.LEVEL_1, Instant.now().minusSeconds(300));
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(mine), null);

        signInAs(officer, GOOD_PASSWORD, "/alarms/realtime");
        waitUntil(d -> ids().containsAll(Set.of(ownAlarm, ownNotice)), "the officer's alarms listed");
        assertEquals(Set.of(ownAlarm, ownNotice), ids(), "only the officer's district");
        assertFalse(browser.getPageSource().contains(foreign.name()));
        waitForText("[data-test=total]", "2");
        waitForText("[data-test=count-LEVEL_1]", "0");
        assertTrue(alarm(foreignAlarm).get("status").equals("ACTIVE"), "the other district's alarm is open all the same");

        // a level tab filters the list
        click("[data-test=level-NOTICE]");
        waitUntil(d -> ids().equals(Set.of(ownNotice)), "only the notice");
    }

    /** The ids of the listed alarms, read in one script (the list re-renders when it reloads). */
    Set<Long> ids() {
        List<?> ids = (List<?>) js("return [...document.querySelectorAll('[data-test=alarm-link]')].map(e => e.dataset.id)");
        return ids.stream().map(id -> Long.parseLong((String) id)).collect(Collectors.toSet());
    }

    @Test
    void aNewAlarmAppearsInTheLiveListWithoutAReload() {
        String district = fx.district("实时区");
        AlarmFixtures.Enterprise e = fx.enterprise(district, "3360", "实时企业");
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(district), null);
        signInAs(officer, GOOD_PASSWORD, "/alarms/realtime");
        waitForText("[data-test=alarm-table]", "没有符合条件的报警");
        waitForText("[data-test=live-state]", "实时推送中");
        js("window.__sameDocument = true");

        long id = fx.raise(e, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_1, Instant.now().minusSeconds(60));
        waitUntil(d -> ids().contains(id), "the new alarm in the list");
        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true"), "no reload");
        waitForText(".pw-alarm-notice", e.name());
        assertFalse(findAll("[data-test=alarm-table] tr.pw-fresh").isEmpty(), "the new row is marked");
        waitForText("[data-test=count-LEVEL_1]", "1");
    }

    @Test
    void theAnalysisShowsTheApisNumbersForTheChosenDistrict() {
        String name = "分析区" + UUID.randomUUID().toString().substring(0, 4);
        String district = fx.district(name);
        AlarmFixtures.Enterprise a = fx.enterprise(district, "3360", "分析企业甲");
        AlarmFixtures.Enterprise b = fx.enterprise(district, "2641", "分析企业乙");
        for (int i = 0; i < 3; i++) {
            fx.raise(a, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, Instant.now().minus(i + 1, ChronoUnit.DAYS));
        }
        fx.raise(b, "OVER_CAPACITY", AlarmLevel.LEVEL_1, Instant.now().minus(2, ChronoUnit.HOURS));
        String user = newUser(Role.CITY_ADMIN, List.of(), null);

        signInAs(user, GOOD_PASSWORD, "/analysis");
        find("[data-test=card-trend] canvas");
        choose("[data-test=district]", name);
        waitUntil(d -> find("[data-test=kpi-total] b").getText().equals("4"), "the district's 4 alarms counted");

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        Map<?, ?> ranking = get(admin, "/api/statistics/alarms/ranking?by=enterprise&district=" + district + "&from="
                + today.minusDays(29) + "&to=" + today).getBody();
        List<?> items = (List<?>) ranking.get("items");
        assertEquals(2, items.size());
        click("[data-test=card-enterprise-view] label:nth-child(2)");
        for (Object o : items) {
            Map<?, ?> item = (Map<?, ?>) o;
            WebElement row = waitForText("[data-test=table-enterprise] .el-table__row", (String) item.get("name"));
            assertTrue(row.getText().contains(String.valueOf(item.get("count"))), row.getText() + " vs " + item);
        }
        List<String> names = findAll("[data-test=table-enterprise] .el-table__row").stream().map(WebElement::getText).toList();
        assertTrue(names.get(0).contains(a.name()), "most alarms first: " + names);
        find("[data-test=card-handling] canvas");
        find("[data-test=card-type] canvas");
    }

    /** A small PNG (a red square) in a temporary file. */
    static Path png() throws IOException {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(4, 4, 24, 16);
        g.dispose();
        Path file = Files.createTempFile("现场照片-", ".png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
