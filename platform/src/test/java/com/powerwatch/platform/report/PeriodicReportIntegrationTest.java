package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 日报 on schedule: a district officer subscribes; one scheduler pass generates yesterday's city-wide report and one for
 * the officer's scope, both kept in the archive with their PDF and Excel; the officer gets a message in the inbox, lists
 * and downloads only their own report; a second pass generates nothing; before generate-after nothing is made.
 */
class PeriodicReportIntegrationTest extends ReportTestBase {

    @Autowired
    ReportScheduler scheduler;

    @Test
    void aSubscribedOfficerReceivesTheDailyReportOfTheirDistrict() throws Exception {
        String d = fx.district("日报区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "日报企业");
        List<AlarmLevel> yesterday = List.of(AlarmLevel.LEVEL_1, AlarmLevel.LEVEL_2, AlarmLevel.LEVEL_2);
        for (AlarmLevel l : yesterday) {
            fx.raise(e, "TREATMENT_STOPPED", l, noon(1));
        }
        fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_1, noon(3)); // another day
        String name = unique("日报员");
        long officerId = user(name, Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of(d), null);
        String officer = loginToken(name, GOOD_PASSWORD);
        ResponseEntity<Map> sub = call(officer, HttpMethod.PUT, "/api/reports/subscriptions", Map.of("kinds", List.of("DAILY")));
        assertEquals(200, sub.getStatusCode().value(), String.valueOf(sub.getBody()));
        assertEquals(List.of("DAILY"), sub.getBody().get("kinds"));
        assertEquals("kind", call(officer, HttpMethod.PUT, "/api/reports/subscriptions", Map.of("kinds", List.of("HOURLY")))
                .getBody().get("field"));

        Instant early = today.atTime(LocalTime.of(0, 30)).atZone(CHINA).toInstant();
        assertTrue(scheduler.run(early).isEmpty(), "nothing before generate-after (01:00)");
        Instant now = today.atTime(LocalTime.of(2, 0)).atZone(CHINA).toInstant();
        List<Long> made = scheduler.run(now);
        LocalDate day = today.minusDays(1);
        Long mine = jdbc.queryForObject("select id from report_archive where kind = 'DAILY' and period_from = ? and scope_key = ?",
                Long.class, java.sql.Date.valueOf(day), "R:" + d);
        assertTrue(made.contains(mine), "the officer's scope got its own report");
        assertTrue(jdbc.queryForObject("select count(*) from report_archive where kind = 'DAILY' and period_from = ? and scope_key = 'ALL'",
                Long.class, java.sql.Date.valueOf(day)) == 1, "and the city-wide one exists");
        assertTrue(scheduler.run(now).isEmpty(), "a second pass makes nothing again");

        // the inbox: one REPORT message naming the report (delivered by the notifier's thread)
        await("the report message", () -> jdbc.queryForObject("select count(*) from user_message where user_id = ? and event = 'REPORT'",
                Long.class, officerId) == 1);
        String text = jdbc.queryForObject("select text from user_message where user_id = ? and event = 'REPORT'", String.class, officerId);
        assertTrue(text.contains("日报（" + day + "）") && text.contains("编号 " + mine), text);
        assertTrue(text.contains("报警总数 " + yesterday.size()), "the figures of the officer's district: " + text);

        // the officer lists only reports of their scope, and cannot open the city-wide one
        List<Map> listed = getList(officer, "/api/reports/archive?kind=DAILY").getBody();
        assertFalse(listed.isEmpty());
        assertTrue(listed.stream().allMatch(m -> ((Number) m.get("id")).longValue() == mine
                || m.get("scopeLabel").equals("日报区")), String.valueOf(listed));
        Map<?, ?> entry = listed.stream().filter(m -> ((Number) m.get("id")).longValue() == mine).findFirst().orElseThrow();
        assertEquals(String.valueOf(yesterday.size()), String.valueOf(((Map<?, ?>) entry.get("summary")).get("报警总数")));
        Long city = jdbc.queryForObject("select id from report_archive where kind = 'DAILY' and period_from = ? and scope_key = 'ALL'",
                Long.class, java.sql.Date.valueOf(day));
        assertEquals(404, get(officer, "/api/reports/archive/" + city + "/pdf").getStatusCode().value());

        byte[] pdf = file(officer, "/api/reports/archive/" + mine + "/pdf", "application/pdf");
        String pdfText = pdfText(pdf);
        assertTrue(pdfText.contains("日报") && pdfText.contains(e.name()), "the top list names the enterprise");
        byte[] xlsx = file(officer, "/api/reports/archive/" + mine + "/excel", ReportController.XLSX.toString());
        assertTrue(sheets(xlsx) >= 8, "one sheet per section");
        List<List<Object>> overview = sheet(xlsx, 0);
        assertEquals(String.valueOf(yesterday.size()), sheetRow(overview, 0, "报警总数").get(1));
        assertEquals(String.valueOf(yesterday.stream().filter(l -> l == AlarmLevel.LEVEL_1).count()), sheetRow(overview, 0, "一级报警").get(1));

        // generated on demand: a 周报 of the officer's scope, listed at once
        ResponseEntity<Map> gen = post(officer, "/api/reports/archive/generate", Map.of("kind", "WEEKLY", "day", day.toString()));
        assertEquals(200, gen.getStatusCode().value(), String.valueOf(gen.getBody()));
        assertEquals("WEEKLY", gen.getBody().get("kind"));
        assertEquals(PeriodicKind.WEEKLY.periodStart(day).toString(), gen.getBody().get("from"));
        assertEquals("kind", post(officer, "/api/reports/archive/generate", Map.of("kind", "YEARLY")).getBody().get("field"));
        assertEquals(1L, jdbc.queryForObject("select count(*) from audit_log where action = 'REPORT_GENERATED' and target = ?", Long.class,
                "report:" + mine));
    }
}
