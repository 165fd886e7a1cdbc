package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 自定义报表: a report built from a dataset, groupings, measures and filters gives the figures counted by hand from the
 * fixture; only whitelisted names are accepted (anything else is a 400 naming the field, and nothing reaches SQL); a
 * template is saved, run, downloaded, private to its owner, and — scheduled daily — archived and sent to its owner.
 */
class CustomReportIntegrationTest extends ReportTestBase {

    @Autowired
    ReportScheduler scheduler;

    record Raised(String district, int daysAgo, AlarmLevel level) {
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> preview(String token, Map<String, Object> spec, LocalDate from, LocalDate to) {
        ResponseEntity<Map> r = post(token, "/api/reports/custom/preview", Map.of("spec", spec, "from", from.toString(), "to", to.toString()));
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return sections((Map<String, Object>) r.getBody()).get(0);
    }

    @Test
    void alarmsGroupedByDistrictAndDayWithALevelFilter() {
        String d1 = fx.district("自定义一区");
        String d2 = fx.district("自定义二区");
        AlarmFixtures.Enterprise a = fx.enterprise(d1, "3360", "自定义甲");
        AlarmFixtures.Enterprise b = fx.enterprise(d2, "3360", "自定义乙");
        List<Raised> raised = List.of(new Raised(d1, 1, AlarmLevel.LEVEL_1), new Raised(d1, 1, AlarmLevel.LEVEL_2),
                new Raised(d1, 2, AlarmLevel.LEVEL_1), new Raised(d1, 2, AlarmLevel.NOTICE), new Raised(d2, 1, AlarmLevel.LEVEL_2),
                new Raised(d2, 1, AlarmLevel.LEVEL_3));
        for (Raised r : raised) {
            fx.raise(r.district().equals(d1) ? a : b, "TREATMENT_STOPPED", r.level(), noon(r.daysAgo()));
        }
        Set<AlarmLevel> chosen = Set.of(AlarmLevel.LEVEL_1, AlarmLevel.LEVEL_2);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dataset", "ALARMS");
        spec.put("groupBy", List.of("DISTRICT", "DAY"));
        spec.put("measures", List.of("alarms", "level1", "enterprises"));
        spec.put("levels", List.of("LEVEL_1", "LEVEL_2"));
        spec.put("district", AlarmFixtures.TEST_CITY);
        Map<String, Object> t = preview(admin, spec, today.minusDays(3), today);
        for (String district : List.of(d1, d2)) {
            String name = district.equals(d1) ? "自定义一区" : "自定义二区";
            for (int day = 1; day <= 2; day++) {
                int dd = day;
                long expected = raised.stream().filter(r -> r.district().equals(district) && r.daysAgo() == dd && chosen.contains(r.level())).count();
                String dayText = today.minusDays(day).toString();
                List<Map<String, Object>> rows = rows(t).stream().filter(r -> name.equals(r.get("l0")) && dayText.equals(r.get("l1"))).toList();
                assertEquals(expected == 0 ? 0 : 1, rows.size(), name + " " + dayText);
                if (expected > 0) {
                    assertEquals(expected, n(rows.get(0).get("alarms")));
                    assertEquals(raised.stream().filter(r -> r.district().equals(district) && r.daysAgo() == dd
                            && r.level() == AlarmLevel.LEVEL_1).count(), n(rows.get(0).get("level1")));
                }
            }
        }
        // the headings: the groupings' names, then the measures'
        List<Object> headings = ((List<Map<String, Object>>) (List<?>) t.get("columns")).stream().map(c -> c.get("title")).toList();
        assertEquals(List.of("区县", "日", "报警数", "一级", "涉及企业"), headings);

        // a district officer's report without a region: their district only
        String officer = loginToken(newOfficer(d2), GOOD_PASSWORD);
        spec.remove("district");
        spec.put("groupBy", List.of("DISTRICT"));
        spec.put("measures", List.of("alarms"));
        Map<String, Object> theirs = preview(officer, spec, today.minusDays(3), today);
        assertEquals(1, rows(theirs).size());
        assertEquals(raised.stream().filter(r -> r.district().equals(d2) && chosen.contains(r.level())).count(), n(rows(theirs).get(0).get("alarms")));
    }

    String newOfficer(String district) {
        String name = unique("自定义员");
        user(name, Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of(district), null);
        return name;
    }

    @Test
    void energyByEnterpriseSumsTheChosenFacilityKinds() {
        String d = fx.district("自定义用电区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "自定义用电");
        String mn = "CUS" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, e.id());
        long prod = jdbc.queryForObject("insert into monitoring_point (facility_id, name, mn, channel, profile) values (?, '生产', ?, '100001', 'elec-a')"
                + " returning id", Long.class, e.productionId(), mn);
        long treat = jdbc.queryForObject("insert into monitoring_point (facility_id, name, mn, channel, profile) values (?, '治污', ?, '100002', 'elec-a')"
                + " returning id", Long.class, e.treatmentId(), mn);
        double[] prodKwh = {120.5, 130.25, 99.0};
        double[] treatKwh = {30.0, 31.5, 29.75};
        for (int i = 0; i < 3; i++) {
            Instant day = today.minusDays(3 - i).atStartOfDay(CHINA).toInstant();
            jdbc.update("insert into point_agg (point_id, grain, bucket, n, energy) values (?, '1d', ?, 1440, ?), (?, '1d', ?, 1440, ?)",
                    prod, Timestamp.from(day), prodKwh[i], treat, Timestamp.from(day), treatKwh[i]);
        }
        Map<String, Object> spec = Map.of("dataset", "ENERGY", "groupBy", List.of("ENTERPRISE"), "district", d,
                "measures", List.of("kwh", "treatmentKwh", "treatmentShare"), "facilityKinds", List.of("PRODUCTION", "TREATMENT"));
        Map<String, Object> t = preview(admin, spec, today.minusDays(3), today.minusDays(2));
        Map<String, Object> row = rowWith(rows(t), "l0", e.name());
        double p = prodKwh[0] + prodKwh[1];
        double c = treatKwh[0] + treatKwh[1];
        assertEquals(p + c, d(row.get("kwh")), 1e-6, "two days of the three");
        assertEquals(c, d(row.get("treatmentKwh")), 1e-6);
        assertEquals(Math.round(c * 1000 / (p + c)) / 10.0, d(row.get("treatmentShare")), 1e-9);
    }

    @Test
    void onlyWhitelistedNamesAreAccepted() {
        Map<String, Object> good = Map.of("dataset", "ALARMS", "groupBy", List.of("DISTRICT"), "measures", List.of("alarms"));
        assertEquals("dataset", bad(with(good, "dataset", "alarm; drop table alarm")));
        assertEquals("groupBy", bad(with(good, "groupBy", List.of("e.name) from app_user --"))));
        assertEquals("groupBy", bad(with(good, "groupBy", List.of("DAY", "MONTH"))));
        assertEquals("groupBy", bad(with(good, "groupBy", List.of())));
        assertEquals("measures", bad(with(good, "measures", List.of("count(*); delete from alarm"))));
        assertEquals("measures", bad(with(good, "measures", List.of("kwh"))), "a measure of another dataset");
        assertEquals("facilityKinds", bad(with(good, "facilityKinds", List.of("TOTAL"))), "a filter the dataset has not");
        assertEquals("types", bad(with(good, "types", List.of("NO_SUCH_TYPE"))));
        assertEquals("district", bad(with(good, "district", "61'; --")));
        assertEquals("industry", bad(with(good, "industry", "3' or '1'='1")));
        assertTrue(jdbc.queryForObject("select count(*) from alarm_type", Long.class) > 0, "nothing was executed");
    }

    static Map<String, Object> with(Map<String, Object> spec, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(spec);
        m.put(key, value);
        return m;
    }

    String bad(Map<String, Object> spec) {
        ResponseEntity<Map> r = post(admin, "/api/reports/custom/preview", Map.of("spec", spec));
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return (String) r.getBody().get("field");
    }

    @Test
    void aTemplateIsSavedRunDownloadedPrivateAndScheduled() throws Exception {
        String d = fx.district("模板区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "模板企业");
        List<AlarmLevel> yesterday = List.of(AlarmLevel.LEVEL_1, AlarmLevel.LEVEL_3, AlarmLevel.LEVEL_3);
        for (AlarmLevel l : yesterday) {
            fx.raise(e, "TREATMENT_ABNORMAL", l, noon(1));
        }
        String ownerName = newOfficer(d);
        String owner = loginToken(ownerName, GOOD_PASSWORD);
        long ownerId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, ownerName);
        Map<String, Object> spec = Map.of("dataset", "ALARMS", "groupBy", List.of("ENTERPRISE"), "measures", List.of("alarms", "level3"));
        ResponseEntity<Map> saved = post(owner, "/api/reports/templates", Map.of("name", "本区企业报警", "spec", spec, "schedule", "DAILY"));
        assertEquals(200, saved.getStatusCode().value(), String.valueOf(saved.getBody()));
        long id = ((Number) saved.getBody().get("id")).longValue();
        assertEquals("name", post(owner, "/api/reports/templates", Map.of("name", "本区企业报警", "spec", spec)).getBody().get("field"),
                "a second template of the same name");
        assertEquals("schedule", post(owner, "/api/reports/templates", Map.of("name", "另一个", "spec", spec, "schedule", "HOURLY"))
                .getBody().get("field"));

        String period = "from=" + today.minusDays(1) + "&to=" + today.minusDays(1);
        Map<String, Object> doc = get(owner, "/api/reports/templates/" + id + "/view?" + period).getBody();
        Map<String, Object> row = rowWith(rows(sections(doc).get(0)), "l0", e.name());
        assertEquals((long) yesterday.size(), n(row.get("alarms")));
        assertEquals(yesterday.stream().filter(l -> l == AlarmLevel.LEVEL_3).count(), n(row.get("level3")));
        String text = pdfText(file(owner, "/api/reports/templates/" + id + "/pdf?" + period, "application/pdf"));
        assertTrue(text.contains("本区企业报警") && text.contains(e.name()), text);
        assertEquals(404, get(admin, "/api/reports/templates/" + id + "/view?" + period).getStatusCode().value(), "another user's template");
        assertEquals(404, call(admin, HttpMethod.DELETE, "/api/reports/templates/" + id, null).getStatusCode().value());

        List<Long> made = scheduler.run(today.atTime(LocalTime.of(3, 0)).atZone(CHINA).toInstant());
        Long archived = jdbc.queryForObject("select id from report_archive where kind = 'TEMPLATE' and template_id = ?", Long.class, id);
        assertTrue(made.contains(archived));
        await("the template's report message", () -> jdbc.queryForObject(
                "select count(*) from user_message where user_id = ? and event = 'REPORT' and text like ?", Long.class, ownerId,
                "%本区企业报警%") == 1);
        List<Map> listed = getList(owner, "/api/reports/archive?kind=TEMPLATE").getBody();
        assertTrue(listed.stream().anyMatch(m -> ((Number) m.get("id")).longValue() == archived));
        assertEquals(200, call(owner, HttpMethod.DELETE, "/api/reports/templates/" + id, null).getStatusCode().value());
        assertEquals(0L, jdbc.queryForObject("select count(*) from report_archive where template_id = ?", Long.class, id));
    }
}
