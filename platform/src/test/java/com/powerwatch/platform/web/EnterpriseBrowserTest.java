package com.powerwatch.platform.web;

import com.powerwatch.hj212.Cp;
import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.enterprise.EnterpriseFixture;
import com.powerwatch.platform.telemetry.RealtimeState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 企业详情 / 一企一档 and 企业端 in Chromium: the load curve holds the API's series, the flow diagram draws a box per
 * facility in its live state's colour and an arrow per association, a new reading changes a box's colour, and an
 * enterprise user sees its own enterprise but not another's (the page says so and the API refuses).
 */
class EnterpriseBrowserTest extends BrowserTestBase {

    /** The colours of utils/status.ts for the states the fixture produces. */
    static final Map<String, String> COLOURS = Map.of("RUNNING", "#2f9e44", "STOPPED", "#5b7083", "ABNORMAL", "#e5484d",
            "OFFLINE", "#8b95a1");

    @Autowired
    ApplicationContext app;
    @Autowired
    RealtimeState realtime;
    @Autowired
    AlarmRecorder alarmRecorder;

    static EnterpriseFixture fx;
    static long other;

    @BeforeEach
    void fixture() throws IOException {
        if (fx == null) {
            other = enterprises()[1]; // 未央区
            fx = new EnterpriseFixture(app, PlatformIntegrationTest::await);
        }
    }

    @AfterAll
    static void closeFixture() throws IOException {
        if (fx != null) {
            fx.close();
            fx = null;
        }
    }

    private String adminToken() {
        return loginToken(newUser(Role.CITY_ADMIN, List.of(), null), GOOD_PASSWORD);
    }

    /** "series:points,…" → series → points, from the chart's data-drawn attribute (what ECharts holds). */
    private static Map<String, Integer> drawn(String attribute) {
        Map<String, Integer> out = new HashMap<>();
        for (String part : attribute.split(",")) {
            int colon = part.lastIndexOf(':');
            out.put(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1)));
        }
        return out;
    }

    private WebElement box(long facility) {
        return find("[data-test=flow-box][data-facility='" + facility + "']");
    }

    @Test
    void theEnterprisePageDrawsTheLoadCurveAndTheFlowDiagramInLiveColours() throws Exception {
        String officer = newUser(Role.DISTRICT_OFFICER, List.of("610113"), null);
        signInAs(officer, GOOD_PASSWORD, "/enterprises/" + fx.enterprise);
        waitForText("[data-test=enterprise-name]", fx.name);
        assertEquals("ABNORMAL", find("[data-test=enterprise-state]").getAttribute("data-state"));

        // 生产负荷曲线: ECharts holds the API's series for today, each with data, and the total meter's thresholds
        WebElement chart = find("[data-test=load-chart]");
        String attribute = waitUntil(d -> {
            String a = chart.getAttribute("data-drawn");
            return a != null && !a.isEmpty() ? a : null;
        }, "the chart drawn");
        Map<String, Integer> inChart = drawn(attribute);
        Map<?, ?> load = get(adminToken(), "/api/enterprises/" + fx.enterprise + "/load?from=" + fx.today + "&to="
                + Instant.now().plusSeconds(60)).getBody();
        List<?> series = (List<?>) load.get("series");
        assertEquals(3, series.size());
        assertEquals(3, inChart.size(), "total, production and treatment: " + attribute);
        for (Object o : series) {
            int points = ((List<?>) ((Map<?, ?>) o).get("points")).size();
            assertTrue(points > 0, "the API has today's data: " + o);
        }
        Map<String, String> names = Map.of("TOTAL", "总用电", "PRODUCTION", "生产用电", "TREATMENT", "治污用电");
        for (Object o : series) {
            Map<?, ?> s = (Map<?, ?>) o;
            assertEquals(((List<?>) s.get("points")).size(), inChart.get(names.get((String) s.get("key"))),
                    "the chart holds the API's points of " + s.get("key") + ": " + attribute);
        }
        // one facility chosen: its series with its stop and run thresholds
        click("[data-test=load-facilities]");
        waitUntil(d -> findAll(".el-select-dropdown__item").stream().filter(o -> o.getText().equals("喷涂线A"))
                .findFirst().map(o -> { o.click(); return true; }).orElse(false), "the option 喷涂线A");
        waitUntil(d -> String.valueOf(chart.getAttribute("data-drawn")).startsWith("喷涂线A:"), "the chart of 喷涂线A");
        assertEquals("2", chart.getAttribute("data-thresholds"), "stop and run thresholds drawn");
        assertEquals("喷涂线A：停机 5.0 · 运行 10.0 kW", find("[data-test=threshold-notes]").getText());

        // 工艺流程图: a box per facility in its live state's colour, an arrow per association
        Map<?, ?> profile = get(adminToken(), "/api/enterprises/" + fx.enterprise + "/profile").getBody();
        List<WebElement> boxes = findAll("[data-test=flow-box]");
        assertEquals(((List<?>) profile.get("facilities")).size(), boxes.size());
        for (Object o : (List<?>) profile.get("facilities")) {
            Map<?, ?> f = (Map<?, ?>) o;
            WebElement b = box(((Number) f.get("id")).longValue());
            assertEquals(f.get("state"), b.getAttribute("data-state"), "state of " + f.get("name"));
            String colour = COLOURS.get((String) f.get("state"));
            assertEquals(colour, b.getAttribute("data-color"));
            assertEquals(colour, b.findElement(By.cssSelector(".box-rect")).getAttribute("stroke"), "the drawn colour of " + f.get("name"));
            assertTrue(b.getText().contains((String) f.get("name")) || b.getText().contains("…"), "named: " + b.getText());
        }
        assertEquals("RUNNING", box(fx.prodA).getAttribute("data-state"));
        assertEquals("STOPPED", box(fx.treat2).getAttribute("data-state"));
        List<String> arrows = findAll("[data-test=flow-arrow]").stream()
                .map(a -> a.getAttribute("data-from") + ">" + a.getAttribute("data-to") + ":" + a.getAttribute("data-violated")).sorted().toList();
        assertEquals(List.of(fx.prodA + ">" + fx.treat1 + ":false", fx.prodA + ">" + fx.treat2 + ":true",
                fx.prodB + ">" + fx.treat2 + ":false").stream().sorted().toList(), arrows);
        screenshot("enterprise-detail");

        // a new reading: T2 starts; the refreshed page shows it running and the association kept
        fx.send(LocalDateTime.now(EnterpriseFixture.CHINA).truncatedTo(ChronoUnit.MINUTES),
                EnterpriseFixture.meter(Cp.builder(), "100004", 20, null));
        await("T2 running", () -> realtime.facility(fx.treat2, false).get("state") == RealtimeState.Status.RUNNING);
        click("[data-test=refresh]");
        waitUntil(d -> "RUNNING".equals(box(fx.treat2).getAttribute("data-state")), "T2's box running");
        assertEquals(COLOURS.get("RUNNING"), box(fx.treat2).findElement(By.cssSelector(".box-rect")).getAttribute("stroke"));
        waitUntil(d -> findAll("[data-test=flow-arrow][data-violated=true]").isEmpty(), "no association violated");
    }

    @Test
    void anEnterpriseUserSeesItsOwnEnterpriseWithAlarmsToExplainButNoOther() {
        alarmRecorder.raise(new AlarmSignal("TREATMENT_STOPPED", "facility:" + fx.treat1, fx.enterprise, fx.treat1, null, null,
                null, Instant.now().minusSeconds(300), Map.of("test", true)));
        long alarm = jdbc.queryForObject("select id from alarm where subject_key = ? and status = 'ACTIVE'", Long.class,
                "facility:" + fx.treat1);

        String user = newUser(Role.ENTERPRISE_USER, List.of(), fx.enterprise);
        signInAs(user, GOOD_PASSWORD, "/my");
        waitForText("[data-test=enterprise-name]", fx.name);
        assertEquals(String.valueOf(fx.enterprise), find("[data-test=enterprise-page]").getAttribute("data-enterprise"));
        find("[data-test=flow-box][data-facility='" + fx.prodA + "']");
        WebElement awaiting = waitForText("[data-test=awaiting-list]", "治污设施停运");
        assertFalse(awaiting.findElements(By.cssSelector("[data-alarm='" + alarm + "']")).isEmpty());
        screenshot("enterprise-my");
        click("[data-test=explain-" + alarm + "]");
        waitForPath("/alarms/" + alarm);

        // another enterprise: the page says so, and the API refuses
        open("/enterprises/" + other);
        find("[data-test=no-access]");
        assertTrue(findAll("[data-test=enterprise-header]").isEmpty());
        String token = loginToken(user, GOOD_PASSWORD);
        assertEquals(403, get(token, "/api/enterprises/" + other + "/profile").getStatusCode().value());
        assertEquals(403, get(token, "/api/enterprises/" + other + "/load?from=" + fx.today + "&to=" + fx.today.plusDays(1))
                .getStatusCode().value());

        // a district officer of another district likewise
        String weiyang = newUser(Role.DISTRICT_OFFICER, List.of("610112"), null);
        signInAs(weiyang, GOOD_PASSWORD, "/enterprises/" + fx.enterprise);
        find("[data-test=no-access]");
        assertTrue(browser.getPageSource().indexOf(fx.name) < 0, "nothing of the enterprise on the page");
    }
}
