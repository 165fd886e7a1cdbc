package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History APIs over samples written with SQL and aggregated by the consumer's own telemetry_refresh():
 * <ul>
 *   <li>enterprise A (610113, industry 33): total meter T with hourly samples 2025-09-30 23:00 … 2026-10-31 23:00
 *       (+100 kWh per hour before 2026, +120 after) and minute samples on 2026-11-20 (P 100 kW, +100/60 kWh a
 *       minute); production facility with points P1 (60 kW) and P1b (15 kW) on 2026-11-20;</li>
 *   <li>enterprise B (610112, industry 26), no total meter: production 40 kW and treatment 10 kW, hourly in October 2026.</li>
 * </ul>
 */
class HistoryIntegrationTest extends TelemetryTestSupport {

    private static long entA;
    private static long entB;
    private static long prodA;
    private static long pointT;
    private static long pointP1;

    @BeforeEach
    void data() {
        if (entA != 0) {
            return;
        }
        entA = enterprise("610113", "33");
        long totalA = facility(entA, "TOTAL", 5.0, 10.0, null);
        prodA = facility(entA, "PRODUCTION", 5.0, 10.0, null);
        String mnA = uniqueMn("HISTAMN");
        logger(mnA, entA);
        pointT = point(totalA, mnA, "100000", "elec-a", 1, 1);
        pointP1 = point(prodA, mnA, "100001", "elec-a", 1, 1);
        long pointP1b = point(prodA, mnA, "100002", "elec-a", 1, 1);

        entB = enterprise("610112", "26");
        long prodB = facility(entB, "PRODUCTION", 5.0, 10.0, null);
        long treatB = facility(entB, "TREATMENT", 1.0, 2.0, null);
        String mnB = uniqueMn("HISTBMN");
        logger(mnB, entB);
        long pointB1 = point(prodB, mnB, "100001", "elec-a", 1, 1);
        long pointB2 = point(treatB, mnB, "100002", "elec-a", 1, 1);

        jdbc.update("""
                insert into point_sample (point_id, ts, p, e, received_at)
                select ?, ts, rate, sum(rate) over (order by ts), now()
                from generate_series(timestamptz '2025-09-30 23:00+08', timestamptz '2026-10-31 23:00+08', interval '1 hour') ts,
                     lateral (select case when ts < timestamptz '2026-01-01 00:00+08' then 100 else 120 end as rate) r""", pointT);
        double last = jdbc.queryForObject("select e from point_sample where point_id = ? order by ts desc limit 1", Double.class, pointT);
        jdbc.update("""
                insert into point_sample (point_id, ts, p, e, received_at)
                select ?, ts, 100, ? + extract(epoch from ts - timestamptz '2026-11-19 23:59+08') / 60 * 100 / 60.0, now()
                from generate_series(timestamptz '2026-11-19 23:59+08', timestamptz '2026-11-20 23:59+08', interval '1 minute') ts""",
                pointT, last);
        for (long[] pk : new long[][]{{pointP1, 60}, {pointP1b, 15}}) {
            jdbc.update("""
                    insert into point_sample (point_id, ts, p, e, received_at)
                    select ?, ts, ?, 0, now()
                    from generate_series(timestamptz '2026-11-20 00:00+08', timestamptz '2026-11-20 23:59+08', interval '1 minute') ts""",
                    pk[0], pk[1]);
        }
        for (long[] pk : new long[][]{{pointB1, 40}, {pointB2, 10}}) {
            jdbc.update("""
                    insert into point_sample (point_id, ts, p, e, received_at)
                    select ?, ts, ?, ? * extract(epoch from ts - timestamptz '2026-09-30 23:00+08') / 3600, now()
                    from generate_series(timestamptz '2026-09-30 23:00+08', timestamptz '2026-10-31 23:00+08', interval '1 hour') ts""",
                    pk[0], pk[1], pk[1]);
        }
        jdbc.queryForObject("""
                select telemetry_refresh(array_agg(point_id), array_agg(ts)) from point_sample
                where point_id in (?, ?, ?, ?, ?)""", Integer.class, pointT, pointP1, pointP1b, pointB1, pointB2);
        registry.refresh();
    }

    private Map<?, ?> series(String subject, long id, String from, String to, String grain, Integer maxPoints) {
        String url = "/api/history/series?subject=" + subject + "&id=" + id + "&from=" + from + "&to=" + to
                + (grain == null ? "" : "&grain=" + grain) + (maxPoints == null ? "" : "&maxPoints=" + maxPoints);
        ResponseEntity<Map> r = http.getForEntity(url, Map.class);
        assertEquals(HttpStatus.OK, r.getStatusCode(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    private static List<Map<?, ?>> points(Map<?, ?> series) {
        return ((List<?>) series.get("points")).stream().<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void seriesAtEveryGrain() {
        Map<?, ?> raw = series("point", pointT, "2026-11-20T10:00:00", "2026-11-20T11:00:00", "raw", null);
        assertEquals(60, points(raw).size());
        assertEquals("point_sample", raw.get("source"));
        assertTrue(points(raw).stream().allMatch(p -> num(p.get("p")) == 100.0));
        assertEquals("2026-11-20T10:00:00+08:00", points(raw).get(0).get("t"));

        Map<?, ?> q = series("enterprise", entA, "2026-11-20", "2026-11-21", "15m", null);
        assertEquals("TOTAL", q.get("basis"));
        assertEquals(96, points(q).size());
        assertEquals("point_agg 15m", q.get("source"));
        assertTrue(points(q).stream().allMatch(p -> Math.abs(num(p.get("energy")) - 25.0) < 1e-6), "15 minutes × 100/60 kWh");
        assertEquals(100.0, num(points(q).get(5).get("p")), 1e-9);

        Map<?, ?> h = series("point", pointT, "2026-11-20", "2026-11-21", "1h", null);
        assertEquals(24, points(h).size());
        assertEquals(100.0, num(points(h).get(0).get("energy")), 1e-6);

        Map<?, ?> d = series("point", pointT, "2026-11-20", "2026-11-21", "1d", null);
        assertEquals(1, points(d).size());
        assertEquals(2400.0, num(points(d).get(0).get("energy")), 1e-6);
        assertEquals(false, d.get("rebucketed"));
    }

    @Test
    void autoDownsamplingKeepsAYearUnderMaxPoints() {
        Map<?, ?> year = series("enterprise", entA, "2025-11-01", "2026-11-01", null, null);
        assertTrue(points(year).size() <= 2000, "at most maxPoints");
        assertTrue(points(year).size() > 1000, "but not needlessly coarse: " + points(year).size());
        assertEquals("6h", year.get("bucket"));
        assertEquals("point_agg 1h", year.get("source"));
        double energy = points(year).stream().mapToDouble(p -> num(p.get("energy"))).sum();
        double expected = jdbc.queryForObject("""
                select sum(energy) from point_agg where point_id = ? and grain = '1h'
                and bucket >= '2025-11-01 00:00+08' and bucket < '2026-11-01 00:00+08'""", Double.class, pointT);
        assertEquals(expected, energy, 1e-6, "re-bucketing keeps the energy");

        Map<?, ?> small = series("enterprise", entA, "2025-11-01", "2026-11-01", "auto", 100);
        assertTrue(points(small).size() <= 100);

        Map<?, ?> forced = series("point", pointT, "2026-10-01", "2026-10-31", "15m", null);
        assertEquals(true, forced.get("rebucketed"), "2,880 quarter hours would exceed 2,000");
        assertEquals("30m", forced.get("bucket"));
        assertTrue(points(forced).size() <= 2000);
        assertTrue(String.valueOf(forced.get("note")).contains("maxPoints"));
    }

    @Test
    void enterpriseFacilityAndPointSums() {
        String from = "2026-11-20T08:00:00";
        String to = "2026-11-20T09:00:00";
        assertEquals(60.0, num(points(series("point", pointP1, from, to, "15m", null)).get(0).get("p")), 1e-9);
        Map<?, ?> facility = series("facility", prodA, from, to, "15m", null);
        assertEquals(75.0, num(points(facility).get(0).get("p")), 1e-9, "60 + 15");
        assertEquals(2, ((List<?>) facility.get("pointIds")).size());
        assertEquals(100.0, num(points(series("enterprise", entA, from, to, "15m", null)).get(0).get("p")), 1e-9,
                "the enterprise is its total meter, not total + production");
        Map<?, ?> b = series("enterprise", entB, "2026-10-10", "2026-10-11", "1h", null);
        assertEquals("PRODUCTION_TREATMENT", b.get("basis"));
        assertEquals(50.0, num(points(b).get(3).get("p")), 1e-9);
        assertEquals(50.0, num(points(b).get(3).get("energy")), 1e-9);
    }

    @Test
    void energyPerDayAndMonth() {
        Map<?, ?> days = http.getForObject("/api/history/energy?subject=point&id=" + pointT
                + "&from=2026-11-19&to=2026-11-21&period=day", Map.class);
        List<?> periods = (List<?>) days.get("periods");
        Map<?, ?> nov20 = (Map<?, ?>) periods.get(periods.size() - 1);
        assertEquals("2026-11-20", nov20.get("period"));
        assertEquals(2400.0, num(nov20.get("energy")), 1e-6);

        Map<?, ?> months = http.getForObject("/api/history/energy?subject=enterprise&id=" + entA
                + "&from=2026-09-01&to=2026-11-01&period=month", Map.class);
        assertEquals("TOTAL", months.get("basis"));
        List<?> m = (List<?>) months.get("periods");
        assertEquals("2026-09", ((Map<?, ?>) m.get(0)).get("period"));
        assertEquals(720 * 120.0, num(((Map<?, ?>) m.get(0)).get("energy")), 1e-6);
        assertEquals(744 * 120.0, num(((Map<?, ?>) m.get(1)).get("energy")), 1e-6);
        assertEquals(0, ((Map<?, ?>) m.get(1)).get("negativeJumps"));
    }

    @Test
    void monthOnMonthAndYearOnYear() {
        Map<?, ?> ent = http.getForObject("/api/history/energy/compare?scope=enterprise&id=" + entA + "&period=month&at=2026-10", Map.class);
        double cur = 744 * 120.0;
        double prev = 720 * 120.0;
        double yoy = 744 * 100.0;
        assertEquals(cur, num(((Map<?, ?>) ent.get("current")).get("energy")), 1e-6);
        assertEquals(prev, num(((Map<?, ?>) ent.get("previous")).get("energy")), 1e-6);
        assertEquals(yoy, num(((Map<?, ?>) ent.get("lastYear")).get("energy")), 1e-6);
        assertEquals(Math.round((cur - prev) / prev * 10000) / 100.0, num(ent.get("momPercent")), 1e-9);
        assertEquals(Math.round((cur - yoy) / yoy * 10000) / 100.0, num(ent.get("yoyPercent")), 1e-9);

        Map<?, ?> city = http.getForObject("/api/history/energy/compare?scope=district&id=610100&period=month&at=2026-10", Map.class);
        assertEquals(cur + 744 * 50.0, num(((Map<?, ?>) city.get("current")).get("energy")), 1e-6, "A and B");
        Map<?, ?> district = http.getForObject("/api/history/energy/compare?scope=district&id=610112&period=month&at=2026-10", Map.class);
        assertEquals(744 * 50.0, num(((Map<?, ?>) district.get("current")).get("energy")), 1e-6, "only B");
        assertNull(((Map<?, ?>) district.get("lastYear")).get("energy"), "no data a year before: null");
        assertNull(district.get("yoyPercent"));
        Map<?, ?> industry = http.getForObject("/api/history/energy/compare?scope=industry&id=C&period=month&at=2026-10", Map.class);
        assertEquals(cur + 744 * 50.0, num(((Map<?, ?>) industry.get("current")).get("energy")), 1e-6, "C covers 26 and 33");
        Map<?, ?> day = http.getForObject("/api/history/energy/compare?scope=industry&id=33&period=day&at=2026-10-15", Map.class);
        assertEquals(24 * 120.0, num(((Map<?, ?>) day.get("current")).get("energy")), 1e-6);
        assertEquals(24 * 120.0, num(((Map<?, ?>) day.get("previous")).get("energy")), 1e-6);
        assertEquals(0.0, num(day.get("momPercent")), 1e-9);
    }

    @Test
    void rankingByTotalMeterEnergyAndScope() {
        Map<?, ?> r = http.getForObject("/api/history/energy/ranking?day=2026-10-15&limit=10", Map.class);
        List<?> items = (List<?>) r.get("items");
        Map<?, ?> first = (Map<?, ?>) items.get(0);
        assertEquals(entA, ((Number) first.get("enterpriseId")).longValue());
        assertEquals(1, first.get("rank"));
        assertEquals(2880.0, num(first.get("energy")), 1e-6);
        Map<?, ?> second = (Map<?, ?>) items.get(1);
        assertEquals(entB, ((Number) second.get("enterpriseId")).longValue());
        assertEquals("PRODUCTION_TREATMENT", second.get("basis"));

        TestRestTemplate officer = AuthTestSupport.as(rest, AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null));
        List<?> scoped = (List<?>) officer.getForObject("/api/history/energy/ranking?day=2026-10-15", Map.class).get("items");
        assertTrue(scoped.stream().allMatch(o -> "610112".equals(((Map<?, ?>) o).get("districtCode"))), scoped.toString());
        assertTrue(scoped.stream().anyMatch(o -> ((Number) ((Map<?, ?>) o).get("enterpriseId")).longValue() == entB));

        assertEquals(HttpStatus.FORBIDDEN, officer.getForEntity("/api/history/series?subject=enterprise&id=" + entA
                + "&from=2026-11-20&to=2026-11-21", Map.class).getStatusCode());
        assertEquals(HttpStatus.FORBIDDEN, officer.getForEntity("/api/history/series?subject=point&id=" + pointT
                + "&from=2026-11-20&to=2026-11-21", Map.class).getStatusCode());
        assertEquals(HttpStatus.FORBIDDEN, officer.getForEntity("/api/history/energy/compare?scope=enterprise&id=" + entA
                + "&period=month&at=2026-10", Map.class).getStatusCode());
        assertEquals(HttpStatus.OK, officer.getForEntity("/api/history/series?subject=enterprise&id=" + entB
                + "&from=2026-10-01&to=2026-10-02", Map.class).getStatusCode());
        Map<?, ?> cityForOfficer = officer.getForObject("/api/history/energy/compare?scope=district&id=610100&period=month&at=2026-10", Map.class);
        assertEquals(744 * 50.0, num(((Map<?, ?>) cityForOfficer.get("current")).get("energy")), 1e-6, "only what the officer may see");
        assertEquals(HttpStatus.NOT_FOUND, http.getForEntity("/api/history/series?subject=enterprise&id=987654321"
                + "&from=2026-10-01&to=2026-10-02", Map.class).getStatusCode());
    }

    private void badRequest(String url, String field) {
        ResponseEntity<Map> r = http.getForEntity(url, Map.class);
        assertEquals(HttpStatus.BAD_REQUEST, r.getStatusCode(), url + " -> " + r.getBody());
        assertEquals(field, r.getBody().get("field"), String.valueOf(r.getBody()));
    }

    @Test
    void badParametersAre400sNamingTheField() {
        String s = "/api/history/series?subject=point&id=" + pointT;
        badRequest(s + "&from=2026-11-21&to=2026-11-20", "from");
        badRequest(s + "&from=2026-11-20&to=2026-11-20", "from");
        badRequest(s + "&from=2026-11-01&to=2026-11-20&grain=raw", "grain");
        badRequest(s + "&from=2026-11-01&to=2026-11-20&grain=5s", "grain");
        badRequest(s + "&from=yesterday&to=2026-11-20", "from");
        badRequest(s + "&from=2026-11-01&to=2026-11-20&maxPoints=1", "maxPoints");
        badRequest("/api/history/series?subject=planet&id=1&from=2026-11-01&to=2026-11-20", "subject");
        badRequest("/api/history/energy?subject=point&id=" + pointT + "&from=2026-11-01&to=2026-11-20&period=week", "period");
        badRequest("/api/history/energy/compare?scope=enterprise&id=" + entA + "&period=month&at=2026-13", "at");
        badRequest("/api/history/energy/compare?scope=galaxy&id=1&period=month&at=2026-10", "scope");
        badRequest("/api/history/energy/ranking?day=2026-10-15&limit=0", "limit");
        badRequest("/api/history/energy/ranking?day=15.10.2026", "day");
    }
}
