package com.powerwatch.platform.web;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.dashboard.DashboardFixtures;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 情况总览 in Chromium: the name search, the abnormality filter, the four status icons as the API states them, the link
 * to the enterprise page, and a district officer's list holding only the district. Enterprises in 高陵区 and 鄠邑区.
 */
class OverviewBrowserTest extends BrowserTestBase {

    @Autowired
    TcpGateway gateway;
    @Autowired
    TelemetryRegistry registry;

    String tag;
    long running;
    long alarmed;
    long ordered;

    @BeforeEach
    void fixtures() throws Exception {
        DashboardFixtures fx = new DashboardFixtures(jdbc, gateway.port());
        tag = UUID.randomUUID().toString().substring(0, 6);
        running = fx.enterprise("总览运行" + tag, HomeMapBrowserTest.GAOLING, 109.05, 34.49);
        alarmed = fx.enterprise("总览报警" + tag, HomeMapBrowserTest.GAOLING, 109.06, 34.50);
        ordered = fx.enterprise("总览限产" + tag, HomeMapBrowserTest.HUYI, 108.61, 34.11);
        DashboardFixtures.Meter run = fx.meter(running, "PRODUCTION");
        fx.meter(alarmed, "PRODUCTION");
        fx.meter(ordered, "PRODUCTION");
        fx.alarm(alarmed, "TREATMENT_STOPPED", "LEVEL_2");
        fx.stopOrder(ordered);
        registry.refresh();
        fx.send(run, 50);
    }

    /** The names the table shows (read in one script: the table re-renders while a query answers). */
    @SuppressWarnings("unchecked")
    private List<String> names() {
        return (List<String>) js("return [...document.querySelectorAll('[data-test=ov-table] .el-table__body [data-test=ov-name]')]"
                + ".map(e => e.textContent.trim())");
    }

    private void search(String text) {
        type("[data-test=ov-q]", text);
        click("[data-test=ov-search]");
    }

    @Test
    void searchFilterAndStatusIconsFollowTheApi() {
        String admin = newUser(Role.CITY_ADMIN, List.of(), null);
        String token = loginToken(admin, GOOD_PASSWORD);
        await("running", () -> "RUNNING".equals(row(token, running).get("emission")));
        signInAs(admin, GOOD_PASSWORD, "/overview");
        search(tag);
        waitUntil(d -> names().size() == 3, "three enterprises of this test");
        waitForText("[data-test=ov-total]", "共 3 家");
        assertEquals("总览报警" + tag, names().get(0), "most open alarms first");

        // each row's four icons say what the API says
        for (WebElement tr : findAll("[data-test=ov-table] .el-table__body tr")) {
            String name = tr.findElement(By.cssSelector("[data-test=ov-name]")).getText();
            long id = name.startsWith("总览运行") ? running : name.startsWith("总览报警") ? alarmed : ordered;
            Map<?, ?> api = row(token, id);
            for (String[] icon : new String[][]{{"ov-emission", "emission"}, {"ov-treatment", "treatment"},
                    {"ov-order", "order"}, {"ov-comm", "comm"}}) {
                assertEquals(api.get(icon[1]), tr.findElement(By.cssSelector("[data-test=" + icon[0] + "]")).getAttribute("data-state"),
                        name + " " + icon[1]);
            }
            assertEquals(String.valueOf(api.get("openAlarms")), tr.findElement(By.cssSelector("[data-test=ov-alarms]")).getText()
                    .replaceAll("\\D.*", ""), name);
        }
        assertEquals("RUNNING", row(token, running).get("emission"));
        assertEquals("KEPT", row(token, ordered).get("order"));

        // 异常类型: 有未关闭报警
        click("[data-test=ov-abnormality]");
        waitForText(".el-select-dropdown__item", "有未关闭报警").click();
        waitUntil(d -> names().equals(List.of("总览报警" + tag)), "only the alarmed enterprise");
        assertEquals(1, ((Number) get(token, "/api/overview/enterprises?abnormality=ALARM&q=" + tag).getBody().get("total")).intValue());

        // the name leads to the enterprise page
        waitForText("[data-test=ov-name]", "总览报警" + tag).click();
        waitForPath("/enterprises/" + alarmed);
    }

    @Test
    void aDistrictOfficerListsOnlyTheDistrict() {
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(HomeMapBrowserTest.HUYI), null);
        signInAs(officer, GOOD_PASSWORD, "/overview");
        search(tag);
        waitUntil(d -> names().equals(List.of("总览限产" + tag)), "only the enterprise in 鄠邑区");
        search("");
        long inDistrict = jdbc.queryForObject("select count(*) from enterprise where district_code = ? and status <> 'CLOSED'",
                Long.class, HomeMapBrowserTest.HUYI);
        waitForText("[data-test=ov-total]", "共 " + inDistrict + " 家");
        assertTrue(findAll("[data-test=ov-table] .el-table__body tr").size() <= inDistrict);
    }

    private Map<?, ?> row(String token, long id) {
        for (Object o : (List<?>) get(token, "/api/overview/enterprises?size=500&q=" + tag).getBody().get("items")) {
            if (((Number) ((Map<?, ?>) o).get("id")).longValue() == id) {
                return (Map<?, ?>) o;
            }
        }
        throw new AssertionError("no row " + id);
    }
}
