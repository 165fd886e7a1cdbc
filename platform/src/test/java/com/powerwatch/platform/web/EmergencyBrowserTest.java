package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.emergency.EmergencyFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.http.ResponseEntity;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 应急管理 in Chromium: a plan typed in the form (the API's message under the field first), an import with a bad row
 * that imports nothing; a warning started, upgraded and lifted through its dialogs; the live board showing the verdicts
 * the API computes, and an evaluation report generated and downloaded. Each test checks what the API / database says.
 */
class EmergencyBrowserTest extends AdminBrowserTestBase {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    String admin;
    int year;

    @BeforeEach
    void setUp() {
        EmergencyFixtures.districts(jdbc);
        admin = newUser(com.powerwatch.platform.auth.Role.CITY_ADMIN, List.of(), null);
        year = LocalDate.now(CHINA).getYear();
    }

    @Test
    void aPlanIsTypedInTheFormAndAnImportWithABadRowImportsNothing() throws Exception {
        EmergencyFixtures.Ent e = EmergencyFixtures.enterprise(jdbc, "610113", "B", Map.of("1#线", Map.of("窑", 100.0)));
        signInAs(admin, GOOD_PASSWORD, "/emergency/plans");
        click("[data-test=plan-new]");
        find("[data-test=plan-form]");
        search("[data-test=plan-enterprise]", e.name(), e.name());
        click("[data-test=plan-measure-LIMIT]");
        click("[data-test=plan-save]");
        waitForText(".el-form-item__error", "限产比例");
        type("[data-test=plan-percent] input", "40");
        click("[data-test=plan-save]");
        waitUntil(d -> jdbc.queryForObject("select count(*) from emergency_plan where enterprise_id = ?", Integer.class, e.id()) == 1,
                "the plan stored");
        Map<String, Object> plan = jdbc.queryForMap("select year, level, measure, limit_percent from emergency_plan where enterprise_id = ?", e.id());
        assertEquals(year, ((Number) plan.get("year")).intValue());
        assertEquals("ORANGE", plan.get("level"));
        assertEquals("LIMIT", plan.get("measure"));
        assertEquals(0, new BigDecimal("40").compareTo((BigDecimal) plan.get("limit_percent")));
        waitForText("[data-test=plans-table]", e.name());
        screenshot("emergency-plans");

        // an import whose second row names a line the enterprise does not have: nothing imported, the cell named
        List<String> headers = List.of("年度*", "预警级别*", "企业名称", "减排措施", "限停方式", "限停对象", "限产比例(%)");
        List<Map<String, Object>> rows = List.of(
                row("年度*", year, "预警级别*", "红色", "企业名称", e.name(), "减排措施", "停产"),
                row("年度*", year, "预警级别*", "黄色", "企业名称", e.name(), "减排措施", "停产", "限停方式", "生产线", "限停对象", "9#线"));
        Path file = Files.createTempFile("plans", ".xlsx");
        Files.write(file, EmergencyFixtures.workbook("应急预案", headers, rows));
        click("[data-test=plans-import]");
        present("[data-test=plan-import-file]").sendKeys(file.toAbsolutePath().toString());
        click("[data-test=plan-import-run]");
        waitForText("[data-test=plan-import-failed]", "未导入任何预案");
        waitForText("[data-test=plan-import-errors]", "第 3 行");
        waitForText("[data-test=plan-import-errors]", "9#线");
        assertEquals(1, jdbc.queryForObject("select count(*) from emergency_plan where enterprise_id = ?", Integer.class, e.id()),
                "the good row was not imported either");
        screenshot("emergency-plan-import");
    }

    @Test
    void aWarningIsStartedUpgradedAndLiftedThroughItsDialogs() {
        EmergencyFixtures.Ent e = EmergencyFixtures.enterprise(jdbc, "610112", "C", Map.of("", Map.of("炉", 80.0)));
        String api = AuthTestSupport.adminToken(jdbc);
        post(api, "/api/emergency/plans", Map.of("year", year, "level", "ORANGE", "enterpriseId", e.id(), "measure", "LIMIT", "limitPercent", 30));
        post(api, "/api/emergency/plans", Map.of("year", year, "level", "RED", "enterpriseId", e.id(), "measure", "STOP"));
        signInAs(admin, GOOD_PASSWORD, "/emergency/warnings");
        click("[data-test=warning-start]");
        find("[data-test=warning-start-form]");
        click("[data-test=warning-level-ORANGE]");
        pickRegion("[data-test=warning-districts]", "陕西省", "西安市", "未央区");
        type("[data-test=warning-document]", "浏览器测试〔" + year + "〕1号");
        click("[data-test=warning-start-save]");
        Long id = waitUntil(d -> jdbc.queryForList("""
                select w.id from emergency_warning w join emergency_warning_district d on d.warning_id = w.id
                where d.district_code = '610112' and w.status = 'ACTIVE' and w.document like '浏览器测试%'""", Long.class)
                .stream().findFirst().orElse(null), "the warning started");
        assertEquals(1, jdbc.queryForObject("""
                select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = ? and m.enterprise_id = ? and o.kind = 'LIMIT'""", Integer.class, id, e.id()), "the orange limit order");
        waitForText("[data-test=warnings-table]", "浏览器测试");

        click("[data-test=warning-level-" + id + "]");
        click("[data-test=warning-new-level-RED]");
        click("[data-test=warning-level-save]");
        waitUntil(d -> "RED".equals(jdbc.queryForObject("select level from emergency_warning where id = ?", String.class, id)), "upgraded");
        assertEquals(1, jdbc.queryForObject("""
                select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id
                where m.warning_id = ? and m.enterprise_id = ? and o.kind = 'STOP' and o.status = 'ACTIVE'""", Integer.class, id, e.id()),
                "the red stop order");
        waitForText("[data-test=warning-changes]", "升级");
        screenshot("emergency-warnings");

        click("[data-test=warning-lift-" + id + "]");
        type("[data-test=warning-lift-reason]", "空气质量好转");
        click("[data-test=warning-lift-save]");
        waitUntil(d -> "ENDED".equals(jdbc.queryForObject("select status from emergency_warning where id = ?", String.class, id)), "lifted");
        assertEquals(List.of("START", "UPGRADE", "LIFT"), jdbc.queryForList(
                "select kind from emergency_warning_change where warning_id = ? order by id", String.class, id));
    }

    @Test
    void theBoardShowsTheVerdictsOfTheApiAndAReportIsDownloaded() {
        String api = AuthTestSupport.adminToken(jdbc);
        EmergencyFixtures.Ent running = EmergencyFixtures.enterprise(jdbc, "610103", "D", Map.of("", Map.of("窑", 100.0)));
        EmergencyFixtures.Ent stopped = EmergencyFixtures.enterprise(jdbc, "610103", "D", Map.of("", Map.of("窑", 100.0)));
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        int minutes = (int) java.time.Duration.between(start, Instant.now()).toMinutes() + 1; // data up to now: no gap
        EmergencyFixtures.samples(jdbc, EmergencyFixtures.point(jdbc, running.facilities().get("窑")), start, minutes, i -> 70.0);
        EmergencyFixtures.samples(jdbc, EmergencyFixtures.point(jdbc, stopped.facilities().get("窑")), start, minutes, i -> 0.0);
        for (EmergencyFixtures.Ent e : List.of(running, stopped)) {
            post(api, "/api/emergency/plans", Map.of("year", year, "level", "ORANGE", "enterpriseId", e.id(), "measure", "STOP"));
        }
        ResponseEntity<Map> started = post(api, "/api/emergency/warnings", Map.of("level", "ORANGE", "planYear", year,
                "startsAt", OffsetDateTime.ofInstant(start, ZoneOffset.ofHours(8)).toString(),
                "endsAt", OffsetDateTime.ofInstant(start, ZoneOffset.ofHours(8)).plusDays(1).toString(), "districtCodes", List.of("610103")));
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long id = ((Number) started.getBody().get("id")).longValue();

        signInAs(admin, GOOD_PASSWORD, "/emergency/board?warning=" + id);
        waitForText("[data-test=verdict-" + running.id() + "]", "未达标");
        waitForText("[data-test=verdict-" + stopped.id() + "]", "达标");
        Map<?, ?> summary = (Map<?, ?>) get(api, "/api/emergency/warnings/" + id + "/board").getBody().get("summary");
        assertEquals(String.valueOf(summary.get("nonCompliant")), find("[data-test=board-noncompliant]").getText());
        assertEquals(String.valueOf(summary.get("compliant")), find("[data-test=board-compliant]").getText());
        screenshot("emergency-board");

        // a report written on demand, then downloaded: the file the browser saves is the API's PDF
        js("""
                window.__downloads = [];
                const click = HTMLAnchorElement.prototype.click;
                HTMLAnchorElement.prototype.click = function () {
                  const a = this;
                  fetch(a.href).then(r => r.arrayBuffer()).then(b => window.__downloads.push({name: a.download, size: b.byteLength,
                      head: String.fromCharCode(...new Uint8Array(b.slice(0, 4)))}));
                };""");
        click("[data-test=report-generate]");
        Long report = waitUntil(d -> jdbc.queryForList("select id from emergency_report where warning_id = ?", Long.class, id).stream()
                .findFirst().orElse(null), "the report written");
        click("[data-test=report-pdf-" + report + "]");
        Map<?, ?> download = waitUntil(d -> (Map<?, ?>) js("return window.__downloads.length ? window.__downloads[0] : null"), "the download");
        assertEquals("应急评估报告-预警" + id + "-" + report + ".pdf", download.get("name"));
        assertEquals("%PDF", download.get("head"));
        int size = jdbc.queryForObject("select length(pdf) from emergency_report where id = ?", Integer.class, report);
        assertEquals(size, ((Number) download.get("size")).intValue());
        assertTrue(browser.findElements(By.cssSelector("[data-test=report-list] .el-table__row")).size() >= 1);
        post(api, "/api/emergency/warnings/" + id + "/lift", Map.of());
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
