package com.powerwatch.platform.statistics;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 综合分析's API with real alarm rows: each test raises alarms through the recorder in districts of its own and reads
 * them back per day and level, ranked, broken down and as enterprise shares — within the period, within the region,
 * and within the caller's scope; bad parameters are 400s naming the field.
 */
class AlarmStatisticsIntegrationTest extends AuthIntegrationTestBase {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Autowired
    AlarmRecorder recorder;

    AlarmFixtures fx;
    String admin;
    LocalDate today;

    @BeforeEach
    void setUp() {
        fx = new AlarmFixtures(jdbc, recorder);
        admin = AuthTestSupport.adminToken(jdbc);
        today = LocalDate.now(CHINA);
    }

    /** Noon (China time) of the day {@code daysAgo} before today. */
    Instant noon(int daysAgo) {
        return today.minusDays(daysAgo).atTime(LocalTime.NOON).atZone(CHINA).toInstant();
    }

    Map<String, Object> ok(String token, String url) {
        ResponseEntity<Map> r = get(token, url);
        assertEquals(200, r.getStatusCode().value(), url + ": " + r.getBody());
        return r.getBody();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    static long n(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    void theTrendCountsAlarmsPerChinaDayAndLevelWithinThePeriodAndDistrict() {
        String d = fx.district("趋势区");
        String other = fx.district("邻区");
        AlarmFixtures.Enterprise a = fx.enterprise(d, "3360", "趋势企业");
        AlarmFixtures.Enterprise b = fx.enterprise(other, "3360", "邻区企业");
        fx.raise(a, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(2));
        fx.raise(a, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(2).plusSeconds(600));
        fx.raise(a, "FROZEN_VALUE", AlarmLevel.NOTICE, noon(2));
        fx.raise(a, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_1, noon(1));
        // 23:30 China time is still that China day (15:30 UTC)
        fx.raise(a, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3, today.minusDays(1).atTime(23, 30).atZone(CHINA).toInstant());
        fx.raise(a, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(10)); // before the period
        fx.raise(b, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(2));  // another district

        Map<String, Object> t = ok(admin, "/api/statistics/alarms/trend?from=" + today.minusDays(3) + "&to=" + today + "&district=" + d);
        List<Map<String, Object>> days = list(t, "days");
        assertEquals(4, days.size(), "every day of the period, empty ones too");
        assertEquals(today.minusDays(3).toString(), days.get(0).get("day"));
        assertEquals(Map.of("LEVEL_1", 0L, "LEVEL_2", 2L, "LEVEL_3", 0L, "NOTICE", 1L, "total", 3L), levels(days.get(1)));
        assertEquals(Map.of("LEVEL_1", 1L, "LEVEL_2", 0L, "LEVEL_3", 1L, "NOTICE", 0L, "total", 2L), levels(days.get(2)));
        assertEquals(0L, n(days.get(3).get("total")));
        assertEquals(5L, n(t.get("total")));
        assertEquals(4, list(t, "levels").size());

        // the whole test city: both districts
        Map<String, Object> city = ok(admin, "/api/statistics/alarms/trend?from=" + today.minusDays(3) + "&to=" + today
                + "&district=" + AlarmFixtures.TEST_CITY);
        assertTrue(n(city.get("total")) >= 6, "the city covers its districts: " + city.get("total"));
    }

    static Map<String, Long> levels(Map<String, Object> day) {
        return day.entrySet().stream().filter(e -> !e.getKey().equals("day"))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> n(e.getValue())));
    }

    @Test
    void rankingsOrderEnterprisesDistrictsAndIndustriesByTheirAlarms() {
        String d1 = fx.district("排名一区");
        String d2 = fx.district("排名二区");
        AlarmFixtures.Enterprise busy = fx.enterprise(d1, "3360", "多报警企业");
        AlarmFixtures.Enterprise quiet = fx.enterprise(d1, "2641", "少报警企业");
        AlarmFixtures.Enterprise far = fx.enterprise(d2, "2641", "二区企业");
        for (int i = 0; i < 3; i++) {
            fx.raise(busy, "TREATMENT_STOPPED", i == 0 ? AlarmLevel.LEVEL_1 : AlarmLevel.LEVEL_2, noon(1 + i));
        }
        fx.raise(quiet, "FROZEN_VALUE", AlarmLevel.NOTICE, noon(1));
        fx.raise(far, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3, noon(1));
        fx.raise(far, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3, noon(2));
        String period = "&from=" + today.minusDays(6) + "&to=" + today;
        String city = "&district=" + AlarmFixtures.TEST_CITY;

        Map<String, Object> byEnterprise = ok(admin, "/api/statistics/alarms/ranking?by=enterprise&limit=100" + period + "&district=" + d1);
        List<Map<String, Object>> items = list(byEnterprise, "items");
        assertEquals(List.of(busy.name(), quiet.name()), items.stream().map(m -> m.get("name")).toList());
        assertEquals(3L, n(items.get(0).get("count")));
        assertEquals(1L, n(items.get(0).get("LEVEL_1")));
        assertEquals(2L, n(items.get(0).get("LEVEL_2")));
        assertEquals(3L, n(items.get(0).get("open")), "not recovered");
        assertEquals("排名一区", items.get(0).get("districtName"));
        assertEquals(1L, n(items.get(0).get("rank")));
        assertEquals(4L, n(byEnterprise.get("total")));

        Map<String, Object> limited = ok(admin, "/api/statistics/alarms/ranking?by=enterprise&limit=1" + period + "&district=" + d1);
        assertEquals(1, list(limited, "items").size());

        List<Map<String, Object>> byDistrict = list(ok(admin, "/api/statistics/alarms/ranking?by=district" + period + city), "items");
        Map<String, Long> districts = byDistrict.stream().collect(Collectors.toMap(m -> (String) m.get("key"), m -> n(m.get("count"))));
        assertEquals(4L, districts.get(d1));
        assertEquals(2L, districts.get(d2));
        Map<String, Object> first = byDistrict.stream().filter(m -> m.get("key").equals(d1)).findFirst().orElseThrow();
        assertEquals(2L, n(first.get("enterprises")), "enterprises with alarms in the district");

        List<Map<String, Object>> byIndustry = list(ok(admin, "/api/statistics/alarms/ranking?by=industry" + period + "&district=" + d1), "items");
        assertEquals(List.of("33", "26"), byIndustry.stream().map(m -> m.get("key")).toList(), "by 大类, most first");
        assertEquals(3L, n(byIndustry.get(0).get("count")));
        assertEquals("金属制品业", byIndustry.get(0).get("name"));
    }

    @Test
    void breakdownsListEveryValueWithItsCount() {
        String d = fx.district("统计区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "统计企业");
        long confirmed = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(1));
        long handled = fx.raise(e, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(2));
        fx.raise(e, "LOGGER_OFFLINE", AlarmLevel.LEVEL_3, noon(2));
        assertEquals(200, post(admin, "/api/alarms/" + confirmed + "/confirm", Map.of()).getStatusCode().value());
        assertEquals(200, post(admin, "/api/alarms/" + handled + "/handle", Map.of("text", "已通知企业立即开启治污设施")).getStatusCode().value());
        String q = "&from=" + today.minusDays(6) + "&to=" + today + "&district=" + d;

        Map<String, Object> byType = ok(admin, "/api/statistics/alarms/breakdown?by=type" + q);
        Map<String, Long> types = counts(byType);
        assertEquals(16, types.size(), "every type of the catalogue, zeros too");
        assertEquals(2L, types.get("TREATMENT_STOPPED"));
        assertEquals(1L, types.get("LOGGER_OFFLINE"));
        assertEquals(0L, types.get("OVER_CAPACITY"));
        assertEquals(3L, n(byType.get("total")));
        Map<String, Object> stopped = list(byType, "items").stream().filter(m -> m.get("key").equals("TREATMENT_STOPPED")).findFirst().orElseThrow();
        assertEquals("治污设施停运", stopped.get("name"));
        assertEquals("治污设施", stopped.get("categoryName"));

        Map<String, Object> byHandling = ok(admin, "/api/statistics/alarms/breakdown?by=handling" + q);
        assertEquals(Map.of("UNCONFIRMED", 1L, "CONFIRMED", 1L, "HANDLED", 1L, "CANCELLED", 0L), counts(byHandling));
        assertEquals(List.of("未确认", "已确认", "已处理", "已取消"), list(byHandling, "items").stream().map(m -> m.get("name")).toList());

        assertEquals(Map.of("LEVEL_1", 0L, "LEVEL_2", 2L, "LEVEL_3", 1L, "NOTICE", 0L),
                counts(ok(admin, "/api/statistics/alarms/breakdown?by=level" + q)));
        assertEquals(Map.of("TREATMENT", 2L, "PRODUCTION", 0L, "DATA", 1L, "WARNING", 0L),
                counts(ok(admin, "/api/statistics/alarms/breakdown?by=category" + q)));
        assertEquals(3L, counts(ok(admin, "/api/statistics/alarms/breakdown?by=workflow" + q)).get("NONE"));
        assertEquals(3L, counts(ok(admin, "/api/statistics/alarms/breakdown?by=status" + q)).get("ACTIVE"));
    }

    static Map<String, Long> counts(Map<String, Object> body) {
        return list(body, "items").stream().collect(Collectors.toMap(m -> (String) m.get("key"), m -> n(m.get("count"))));
    }

    @Test
    void enterpriseSharesCountSupervisedEnterprisesAndThoseWithAlarms() {
        String d = fx.district("占比区");
        AlarmFixtures.Enterprise a = fx.enterprise(d, "3360", "占比企业");
        fx.enterprise(d, "3360", "占比企业");
        fx.enterprise(d, "2641", "占比企业");
        AlarmFixtures.Enterprise closed = fx.enterprise(d, "2641", "已关停企业");
        jdbc.update("update enterprise set status = 'CLOSED' where id = ?", closed.id());
        fx.raise(a, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(1));
        fx.raise(a, "TREATMENT_ABNORMAL", AlarmLevel.LEVEL_3, noon(1));
        String q = "&from=" + today.minusDays(6) + "&to=" + today + "&district=" + d;

        Map<String, Object> byIndustry = ok(admin, "/api/statistics/enterprises/share?by=industry" + q);
        assertEquals(3L, n(byIndustry.get("total")), "supervised (active) enterprises only");
        Map<String, Object> machinery = list(byIndustry, "items").get(0);
        assertEquals("33", machinery.get("key"));
        assertEquals(2L, n(machinery.get("enterprises")));
        assertEquals(1L, n(machinery.get("alarmEnterprises")));
        assertEquals(2L, n(machinery.get("alarms")));

        List<Map<String, Object>> byDistrict = list(ok(admin, "/api/statistics/enterprises/share?by=district" + q), "items");
        assertEquals(1, byDistrict.size());
        assertEquals("占比区", byDistrict.get(0).get("name"));
        assertEquals(3L, n(byDistrict.get(0).get("enterprises")));
    }

    @Test
    void everyAnswerStaysWithinTheCallersScope() {
        String mine = fx.district("本区");
        String theirs = fx.district("他区");
        AlarmFixtures.Enterprise own = fx.enterprise(mine, "3360", "本区企业");
        AlarmFixtures.Enterprise foreign = fx.enterprise(theirs, "3360", "他区企业");
        fx.raise(own, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(1));
        fx.raise(foreign, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(1));
        fx.raise(foreign, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, noon(1));
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(mine), null);
        String enterpriseUser = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), foreign.id());
        String q = "&from=" + today.minusDays(6) + "&to=" + today + "&district=" + AlarmFixtures.TEST_CITY;

        List<Map<String, Object>> ranking = list(ok(officer, "/api/statistics/alarms/ranking?by=enterprise&limit=100" + q), "items");
        assertEquals(List.of(own.name()), ranking.stream().map(m -> m.get("name")).toList());
        assertEquals(0L, n(ok(officer, "/api/statistics/alarms/trend?district=" + theirs).get("total")), "another district: nothing");
        assertEquals(1L, n(ok(officer, "/api/statistics/alarms/breakdown?by=type" + q).get("total")));
        assertEquals(1L, n(ok(officer, "/api/statistics/enterprises/share?by=district" + q).get("total")));
        assertEquals(2L, n(ok(enterpriseUser, "/api/statistics/alarms/trend?from=" + today.minusDays(6) + "&to=" + today).get("total")),
                "an enterprise user counts its own enterprise");

        Map<String, Object> dims = ok(officer, "/api/statistics/dimensions");
        assertEquals(List.of(mine), list(dims, "districts").stream().map(m -> m.get("code")).toList());
        assertEquals(AlarmFixtures.TEST_CITY, ((Map<?, ?>) dims.get("region")).get("code"));
        assertEquals(List.of("33"), list(dims, "industries").stream().map(m -> m.get("code")).toList());
    }

    @Test
    void badParametersAre400sNamingTheField() {
        assertField("from", "/api/statistics/alarms/trend?from=2026-13-01&to=2026-12-01");
        assertField("to", "/api/statistics/alarms/trend?from=2026-11-01&to=yesterday");
        assertField("from", "/api/statistics/alarms/trend?from=2026-12-05&to=2026-12-01");
        assertField("to", "/api/statistics/alarms/ranking?by=district&from=2025-01-01&to=2026-12-01");
        assertField("by", "/api/statistics/alarms/ranking?by=facility");
        assertField("by", "/api/statistics/alarms/ranking");
        assertField("limit", "/api/statistics/alarms/ranking?by=enterprise&limit=0");
        assertField("by", "/api/statistics/alarms/breakdown?by=colour");
        assertField("by", "/api/statistics/enterprises/share?by=enterprise");
        assertField("district", "/api/statistics/alarms/trend?district=61011");
        // a period of 366 days is allowed; no dates at all means the last 30 days
        assertEquals(200, get(admin, "/api/statistics/alarms/trend?from=2025-12-01&to=2026-12-01").getStatusCode().value());
        Map<String, Object> defaults = ok(admin, "/api/statistics/alarms/trend");
        assertEquals(30, list(defaults, "days").size());
        assertEquals(today.toString(), defaults.get("to"));
        assertNull(defaults.get("district"));
    }

    void assertField(String field, String url) {
        ResponseEntity<Map> r = get(admin, url);
        assertEquals(400, r.getStatusCode().value(), url + ": " + r.getBody());
        assertEquals(field, r.getBody().get("field"), url + ": " + r.getBody());
    }
}
