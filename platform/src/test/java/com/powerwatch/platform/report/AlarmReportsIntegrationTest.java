package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 企业报警情况汇总 and 报警处理情况统计 against a hand-made fixture: alarms of known types, levels, days and handling in
 * a district of the test's own; every expected figure is counted from the fixture list, and the same figures are
 * read back from the JSON, the Excel sheet and the PDF's text. Scope: a district officer of another district sees none.
 */
class AlarmReportsIntegrationTest extends ReportTestBase {

    enum Act { NONE, CONFIRM, HANDLE, CANCEL, RECOVER }

    record Spec(AlarmFixtures.Enterprise e, String type, String category, AlarmLevel level, int daysAgo, Act act) {
    }

    static final Set<String> TREATMENT = Set.of("TREATMENT_STOPPED", "TREATMENT_NOT_STARTED", "TREATMENT_ABNORMAL");

    List<Spec> raise(List<Spec> specs) {
        for (Spec s : specs) {
            long id = fx.raise(s.e(), s.type(), s.level(), noon(s.daysAgo()));
            switch (s.act()) {
                case CONFIRM -> assertEquals(200, post(admin, "/api/alarms/" + id + "/confirm", Map.of()).getStatusCode().value());
                case HANDLE -> assertEquals(200, post(admin, "/api/alarms/" + id + "/handle", Map.of("text", "已督促企业整改")).getStatusCode().value());
                case CANCEL -> assertEquals(200, post(admin, "/api/alarms/" + id + "/cancel", Map.of("text", "设备检修误报")).getStatusCode().value());
                case RECOVER -> recorder.clear(s.type(), jdbc.queryForObject("select subject_key from alarm where id = ?", String.class, id),
                        noon(s.daysAgo()).plusSeconds(600), Map.of());
                default -> {
                }
            }
        }
        return specs;
    }

    static String category(String type) {
        return TREATMENT.contains(type) ? "treatment" : type.equals("LOGGER_OFFLINE") ? "data" : "production";
    }

    @Test
    void alarmSummaryCountsEachEnterpriseByLevelCategoryAndHandling() throws Exception {
        String d = fx.district("汇总区");
        String other = fx.district("汇总邻区");
        AlarmFixtures.Enterprise a = fx.enterprise(d, "3360", "汇总甲");
        AlarmFixtures.Enterprise b = fx.enterprise(d, "2641", "汇总乙");
        AlarmFixtures.Enterprise c = fx.enterprise(other, "2641", "邻区丙");
        List<Spec> inPeriod = raise(List.of(
                new Spec(a, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_2, 1, Act.CONFIRM),
                new Spec(a, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_1, 2, Act.HANDLE),
                new Spec(a, "TREATMENT_NOT_STARTED", "treatment", AlarmLevel.LEVEL_1, 3, Act.NONE),
                new Spec(a, "LOGGER_OFFLINE", "data", AlarmLevel.LEVEL_3, 3, Act.RECOVER),
                new Spec(a, "PRODUCTION_DURING_STOP", "production", AlarmLevel.LEVEL_1, 4, Act.CANCEL),
                new Spec(b, "TREATMENT_ABNORMAL", "treatment", AlarmLevel.LEVEL_3, 2, Act.NONE),
                new Spec(b, "LOGGER_OFFLINE", "data", AlarmLevel.NOTICE, 5, Act.HANDLE)));
        raise(List.of(new Spec(a, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_2, 20, Act.NONE),   // before the period
                new Spec(c, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_2, 1, Act.NONE)));         // another district
        String q = "from=" + today.minusDays(6) + "&to=" + today + "&district=" + d;

        Map<String, Object> doc = report(admin, "ALARM_SUMMARY", q);
        assertEquals("企业报警情况汇总", doc.get("title"));
        assertEquals("汇总区", doc.get("regionLabel"));
        Map<String, Object> section = sections(doc).get(0);
        List<Map<String, Object>> rows = rows(section);
        assertEquals(2, rows.size(), "enterprises of the district with alarms in the period");
        assertEquals(a.name(), rows.get(0).get("enterprise"), "most alarms first");
        for (AlarmFixtures.Enterprise e : List.of(a, b)) {
            List<Spec> mine = inPeriod.stream().filter(s -> s.e() == e).toList();
            Map<String, Object> row = rowWith(rows, "enterprise", e.name());
            assertEquals(mine.size(), n(row.get("total")));
            for (AlarmLevel l : AlarmLevel.values()) {
                assertEquals(mine.stream().filter(s -> s.level() == l).count(), n(row.get(l.name().toLowerCase())), l.name());
            }
            for (String cat : List.of("treatment", "production", "data")) {
                assertEquals(mine.stream().filter(s -> category(s.type()).equals(cat)).count(), n(row.get(cat)), cat);
            }
            long disposed = mine.stream().filter(s -> s.act() == Act.CONFIRM || s.act() == Act.HANDLE || s.act() == Act.CANCEL).count();
            assertEquals(disposed, n(row.get("disposed")));
            assertEquals(Math.round(disposed * 1000.0 / mine.size()) / 10.0, d(row.get("disposedRate")), 1e-9);
            assertEquals(mine.stream().filter(s -> s.act() == Act.RECOVER).count(), n(row.get("recovered")));
            assertEquals(mine.stream().filter(s -> s.act() != Act.RECOVER && s.act() != Act.CANCEL).count(), n(row.get("open")));
            assertEquals("汇总区", row.get("district"));
        }
        assertEquals(inPeriod.size(), n(total(section).get("total")));

        // Excel: the same numbers in the sheet, with Chinese headings
        byte[] xlsx = file(admin, "/api/reports/named/ALARM_SUMMARY/excel?" + q, ReportController.XLSX.toString());
        List<List<Object>> sheet = sheet(xlsx, 0);
        assertTrue(sheet.stream().anyMatch(r -> r.contains("报警总数") && r.contains("处置率")), "heading row");
        List<Object> rowA = sheetRow(sheet, 1, a.name());
        assertEquals((double) inPeriod.stream().filter(s -> s.e() == a).count(), rowA.get(3));
        assertEquals((double) inPeriod.size(), sheetRow(sheet, 0, "合计").get(3));

        // PDF: the text carries the title, the enterprises and the total
        byte[] pdf = file(admin, "/api/reports/named/ALARM_SUMMARY/pdf?" + q, "application/pdf");
        String text = pdfText(pdf);
        assertTrue(text.contains("企业报警情况汇总"), text);
        assertTrue(text.contains(a.name()) && text.contains(b.name()), text);

        // a district officer of the other district sees none of these
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(other), null);
        Map<String, Object> theirs = report(officer, "ALARM_SUMMARY", "from=" + today.minusDays(6) + "&to=" + today);
        List<Object> names = rows(sections(theirs).get(0)).stream().map(r -> r.get("enterprise")).toList();
        assertEquals(List.of(c.name()), names);
    }

    @Test
    void alarmHandlingCountsStatesPerDistrictAndTheResponseTime() {
        String d1 = fx.district("处置一区");
        String d2 = fx.district("处置二区");
        AlarmFixtures.Enterprise a = fx.enterprise(d1, "3360", "处置甲");
        AlarmFixtures.Enterprise b = fx.enterprise(d2, "3360", "处置乙");
        List<Spec> specs = raise(List.of(
                new Spec(a, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_2, 1, Act.CONFIRM),
                new Spec(a, "TREATMENT_STOPPED", "treatment", AlarmLevel.LEVEL_2, 2, Act.HANDLE),
                new Spec(a, "TREATMENT_ABNORMAL", "treatment", AlarmLevel.LEVEL_3, 2, Act.NONE),
                new Spec(b, "TREATMENT_ABNORMAL", "treatment", AlarmLevel.LEVEL_3, 2, Act.CANCEL),
                new Spec(b, "LOGGER_OFFLINE", "data", AlarmLevel.LEVEL_3, 3, Act.NONE)));
        // set the raise and step times so the response time is known: each handled alarm answered 30 + 10·i minutes later
        List<Long> ids = jdbc.queryForList("select a.id from alarm a join enterprise e on e.id = a.enterprise_id"
                + " where e.district_code in (?, ?) order by a.id", Long.class, d1, d2);
        List<Double> responses = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            jdbc.update("update alarm set created_at = started_at where id = ?", id);
            int minutes = 30 + 10 * i;
            int n = jdbc.update("update alarm_step set at = (select started_at from alarm where id = ?) + make_interval(mins => ?)"
                    + " where alarm_id = ? and action in ('CONFIRMED', 'HANDLED', 'CANCELLED')", id, minutes, id);
            if (n > 0) {
                responses.add((double) minutes);
            }
        }
        String q = "from=" + today.minusDays(6) + "&to=" + today + "&district=" + AlarmFixtures.TEST_CITY + "&by=district";
        Map<String, Object> section = sections(report(admin, "ALARM_HANDLING", q)).get(0);
        for (String district : List.of(d1, d2)) {
            AlarmFixtures.Enterprise e = district.equals(d1) ? a : b;
            List<Spec> mine = specs.stream().filter(s -> s.e() == e).toList();
            Map<String, Object> row = rowWith(rows(section), "key", district);
            assertEquals(mine.size(), n(row.get("total")));
            assertEquals(mine.stream().filter(s -> s.act() == Act.NONE).count(), n(row.get("unconfirmed")));
            assertEquals(mine.stream().filter(s -> s.act() == Act.CONFIRM).count(), n(row.get("confirmed")));
            assertEquals(mine.stream().filter(s -> s.act() == Act.HANDLE).count(), n(row.get("handled")));
            assertEquals(mine.stream().filter(s -> s.act() == Act.CANCEL).count(), n(row.get("cancelled")));
        }
        // d1: the 1st and 2nd alarms were answered after 30 and 40 minutes
        assertEquals((responses.get(0) + responses.get(1)) / 2, d(rowWith(rows(section), "key", d1).get("response_minutes")), 1e-6);
        // the total row of one district: the mean over its answered alarms (other tests' districts are in the test city)
        Map<String, Object> one = sections(report(admin, "ALARM_HANDLING", q.replace(AlarmFixtures.TEST_CITY, d2))).get(0);
        assertEquals(responses.get(2), d(total(one).get("response_minutes")), 1e-6);
        assertEquals(specs.stream().filter(s -> s.e() == b).count(), n(total(one).get("total")));
        assertNull(rowWith(rows(section), "key", d2).get("dispatched") instanceof Number n && n.longValue() > 0 ? "dispatched" : null);

        // by type: one row per alarm type with alarms
        Map<String, Object> byType = sections(report(admin, "ALARM_HANDLING", q.replace("by=district", "by=type")
                .replace(AlarmFixtures.TEST_CITY, d1))).get(0);
        assertEquals(specs.stream().filter(s -> s.e() == a && s.type().equals("TREATMENT_ABNORMAL")).count(),
                n(rowWith(rows(byType), "key", "TREATMENT_ABNORMAL").get("total")));
        assertEquals("治污设施运行异常", rowWith(rows(byType), "key", "TREATMENT_ABNORMAL").get("name"));

        // a bad grouping and a bad period are 400s naming the field
        assertEquals(400, get(admin, "/api/reports/named/ALARM_HANDLING?by=month").getStatusCode().value());
        assertEquals("by", get(admin, "/api/reports/named/ALARM_HANDLING?by=month").getBody().get("field"));
        assertEquals("from", get(admin, "/api/reports/named/ALARM_HANDLING?from=2026-13-01").getBody().get("field"));
        assertEquals("to", get(admin, "/api/reports/named/ALARM_HANDLING?from=2020-01-01&to=2026-01-01").getBody().get("field"));
        assertEquals(404, get(admin, "/api/reports/named/NO_SUCH").getStatusCode().value());
    }
}
