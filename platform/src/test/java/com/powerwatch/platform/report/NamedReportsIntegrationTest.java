package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmFixtures;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.AlarmSignal;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The other named reports against hand-made fixtures: alarms raised through the recorder, emergency orders, and the
 * telemetry aggregates (point_agg) a real consumer would have written for the given samples. Each expected figure is
 * counted from the fixture as written here.
 */
class NamedReportsIntegrationTest extends ReportTestBase {

    Instant dayStart(LocalDate d) {
        return d.atStartOfDay(CHINA).toInstant();
    }

    long point(long enterpriseId, long facilityId, String name) {
        String mn = "RPT" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
        jdbc.update("insert into data_logger (mn, enterprise_id) values (?, ?)", mn, enterpriseId);
        // registered a month ago: the fixtures' data lies in the past days
        return jdbc.queryForObject("insert into monitoring_point (facility_id, name, mn, channel, profile, created_at)"
                + " values (?, ?, ?, '100000', 'elec-a', now() - interval '30 days') returning id", Long.class, facilityId, name, mn);
    }

    String mn(long point) {
        return jdbc.queryForObject("select mn from monitoring_point where id = ?", String.class, point);
    }

    void hourly(long point, Instant hour, int samples) {
        jdbc.update("insert into point_agg (point_id, grain, bucket, n) values (?, '1h', ?, ?)", point, Timestamp.from(hour), samples);
    }

    void daily(long point, LocalDate day, double kwh) {
        jdbc.update("insert into point_agg (point_id, grain, bucket, n, energy) values (?, '1d', ?, 1440, ?)", point,
                Timestamp.from(dayStart(day)), kwh);
    }

    void raiseOn(AlarmFixtures.Enterprise e, String type, Long pointId, String mn, Instant at) {
        recorder.raise(new AlarmSignal(type, type + ":" + UUID.randomUUID(), e.id(), null, pointId, mn, AlarmLevel.LEVEL_1, at, Map.of()));
    }

    String period(LocalDate from, LocalDate to, String district) {
        return "from=" + from + "&to=" + to + "&district=" + district;
    }

    @Test
    void treatmentProductionAlarmsHaveOneColumnPerTypeAndLeaveDataAlarmsOut() {
        String d = fx.district("治污生产区");
        AlarmFixtures.Enterprise a = fx.enterprise(d, "3360", "治污甲");
        Map<String, Integer> raised = Map.of("TREATMENT_STOPPED", 2, "PRODUCTION_DURING_STOP", 1, "LOGGER_OFFLINE", 1);
        raised.forEach((type, count) -> {
            for (int i = 0; i < count; i++) {
                fx.raise(a, type, AlarmLevel.LEVEL_2, noon(1 + i));
            }
        });
        Map<String, Object> section = sections(report(admin, "TREATMENT_PRODUCTION_ALARMS", period(today.minusDays(6), today, d))).get(0);
        Map<String, Object> row = rowWith(rows(section), "enterprise", a.name());
        assertEquals(2L, n(row.get("TREATMENT_STOPPED")));
        assertEquals(1L, n(row.get("PRODUCTION_DURING_STOP")));
        assertEquals(0L, n(row.get("LIMIT_NOT_KEPT")));
        assertEquals(raised.get("TREATMENT_STOPPED") + raised.get("PRODUCTION_DURING_STOP"), (int) n(row.get("total")), "data alarms are not counted");
        assertTrue(((List<?>) section.get("columns")).size() == 3 + 8 + 1, "district, enterprise, industry, 8 types, total");
    }

    @Test
    void topEnterprisesAreRankedByAlarmsWithTheirMostFrequentType() {
        String d = fx.district("前20区");
        AlarmFixtures.Enterprise most = fx.enterprise(d, "3360", "前20甲");
        AlarmFixtures.Enterprise second = fx.enterprise(d, "3360", "前20乙");
        AlarmFixtures.Enterprise third = fx.enterprise(d, "3360", "前20丙");
        List<String> mostTypes = List.of("TREATMENT_ABNORMAL", "TREATMENT_ABNORMAL", "TREATMENT_STOPPED");
        for (String t : mostTypes) {
            fx.raise(most, t, AlarmLevel.LEVEL_2, noon(1));
        }
        fx.raise(second, "FROZEN_VALUE", AlarmLevel.NOTICE, noon(1));
        fx.raise(second, "FROZEN_VALUE", AlarmLevel.NOTICE, noon(2));
        fx.raise(third, "TREATMENT_STOPPED", AlarmLevel.LEVEL_1, noon(1));
        Map<String, Object> section = sections(report(admin, "TOP_ALARM_ENTERPRISES", period(today.minusDays(6), today, d) + "&limit=2")).get(0);
        List<Map<String, Object>> rows = rows(section);
        assertEquals(List.of(most.name(), second.name()), rows.stream().map(r -> r.get("enterprise")).toList());
        assertEquals(1L, n(rows.get(0).get("rank")));
        assertEquals((long) mostTypes.size(), n(rows.get(0).get("total")));
        assertEquals("治污设施运行异常", rows.get(0).get("top_type"));
        assertEquals(2L, n(rows.get(0).get("top_type_count")));
        assertEquals("企业报警前2统计", section.get("title"));
        assertEquals("limit", get(admin, "/api/reports/named/TOP_ALARM_ENTERPRISES?limit=0").getBody().get("field"));
    }

    @Test
    void energyUsageSumsTheDailyAggregatesAndComparesWithThePreviousPeriod() throws Exception {
        String d = fx.district("用电区");
        AlarmFixtures.Enterprise withTotal = fx.enterprise(d, "3360", "用电甲");
        AlarmFixtures.Enterprise noTotal = fx.enterprise(d, "3360", "用电乙");
        long totalFacility = jdbc.queryForObject("insert into facility (enterprise_id, name, kind) values (?, '总表', 'TOTAL') returning id",
                Long.class, withTotal.id());
        long tA = point(withTotal.id(), totalFacility, "总表");
        long pA = point(withTotal.id(), withTotal.productionId(), "生产");
        long cA = point(withTotal.id(), withTotal.treatmentId(), "治污");
        long pB = point(noTotal.id(), noTotal.productionId(), "生产");
        long cB = point(noTotal.id(), noTotal.treatmentId(), "治污");
        LocalDate from = today.minusDays(10);
        LocalDate to = today.minusDays(4); // 7 days; the previous period is the 7 days before
        double[] totalA = {0, 0};
        double[] prodA = {0};
        double[] treatA = {0};
        double[] sumB = {0, 0};
        double[] treatB = {0};
        for (int i = 0; i < 14; i++) {
            LocalDate day = from.minusDays(7).plusDays(i);
            int cur = i >= 7 ? 0 : 1; // index 0 = this period, 1 = the previous one
            double t = 1000 + 10 * i, p = 700 + 5 * i, c = 200 + i;
            daily(tA, day, t);
            daily(pA, day, p);
            daily(cA, day, c);
            daily(pB, day, p / 2);
            daily(cB, day, c / 2);
            totalA[cur] += t;
            sumB[cur] += p / 2 + c / 2;
            if (cur == 0) {
                prodA[0] += p;
                treatA[0] += c;
                treatB[0] += c / 2;
            }
        }
        daily(tA, to.plusDays(1), 99999); // after the period
        Map<String, Object> section = sections(report(admin, "ENERGY_USAGE", period(from, to, d))).get(0);
        Map<String, Object> a = rowWith(rows(section), "enterprise", withTotal.name());
        assertEquals(totalA[0], d(a.get("total")), 1e-6, "the total meter");
        assertEquals(prodA[0], d(a.get("production")), 1e-6);
        assertEquals(treatA[0], d(a.get("treatment")), 1e-6);
        assertEquals(Math.round(treatA[0] / (prodA[0] + treatA[0]) * 1000) / 10.0, d(a.get("treatmentShare")), 1e-9);
        assertEquals(totalA[1], d(a.get("previous")), 1e-6);
        assertEquals(Math.round((totalA[0] - totalA[1]) / totalA[1] * 1000) / 10.0, d(a.get("change")), 1e-9);
        assertEquals(Math.round(totalA[0] / 7 * 100) / 100.0, d(a.get("daily")), 1e-9);
        Map<String, Object> b = rowWith(rows(section), "enterprise", noTotal.name());
        assertEquals(sumB[0], d(b.get("total")), 1e-6, "no total meter: production + treatment");
        assertEquals(sumB[1], d(b.get("previous")), 1e-6);

        Map<String, Object> byDistrict = sections(report(admin, "ENERGY_USAGE", period(from, to, d) + "&by=district")).get(0);
        Map<String, Object> district = rowWith(rows(byDistrict), "key", d);
        assertEquals(2L, n(district.get("enterprises")));
        assertEquals(totalA[0] + sumB[0], d(district.get("total")), 1e-6);
        assertEquals(Math.round((treatA[0] + treatB[0]) / (prodA[0] + treatA[0] + sumB[0]) * 1000) / 10.0,
                d(district.get("treatmentShare")), 1e-9);

        byte[] pdf = file(admin, "/api/reports/named/ENERGY_USAGE/pdf?" + period(from, to, d), "application/pdf");
        assertTrue(pdfText(pdf).contains(withTotal.name()));
    }

    @Test
    void transmissionCountsExpectedAndReceivedSamplesPerPointAndLogger() {
        String d = fx.district("传输区");
        AlarmFixtures.Enterprise e = fx.enterprise(d, "3360", "传输甲");
        long x = point(e.id(), e.productionId(), "X生产");
        long y = point(e.id(), e.treatmentId(), "Y治污");
        long z = point(e.id(), e.treatmentId(), "Z新装");
        LocalDate day1 = today.minusDays(3);
        LocalDate day2 = today.minusDays(2);
        jdbc.update("update monitoring_point set commissioned_on = ? where id = ?", java.sql.Date.valueOf(day2), z);
        // X: every minute; day 1 all 24 hours (one hour with 61: a drift, capped), day 2 only the first 12 hours
        for (int h = 0; h < 24; h++) {
            hourly(x, dayStart(day1).plus(h, ChronoUnit.HOURS), h == 5 ? 61 : 60);
            if (h < 12) {
                hourly(x, dayStart(day2).plus(h, ChronoUnit.HOURS), 60);
            }
        }
        // Z: goes live on day 2, every 5 minutes (12 per hour), 20 of its 24 hours
        for (int h = 0; h < 20; h++) {
            hourly(z, dayStart(day2).plus(h, ChronoUnit.HOURS), 12);
        }
        // W is registered at 18:00 of day 2 and sends every minute from then on: 6 hours expected, all received
        long w = point(e.id(), e.productionId(), "W登记");
        jdbc.update("update monitoring_point set created_at = ? where id = ?", Timestamp.from(dayStart(day2).plus(18, ChronoUnit.HOURS)
                .plusSeconds(300)), w);
        for (int h = 18; h < 24; h++) {
            hourly(w, dayStart(day2).plus(h, ChronoUnit.HOURS), 60);
        }
        // Y sends nothing: assumed every minute (default-interval 1m); its logger went offline once in the period
        raiseOn(e, "LOGGER_OFFLINE", null, mn(y), dayStart(day1).plus(1, ChronoUnit.HOURS));
        raiseOn(e, "METER_OFFLINE", y, mn(y), dayStart(day2).plus(1, ChronoUnit.HOURS));

        Map<String, Object> section = sections(report(admin, "TRANSMISSION", period(day1, day2, d))).get(0);
        Map<String, Object> rx = rowWith(rows(section), "point", "X生产");
        long expectedX = 60L * 48;
        long receivedX = 24 * 60 + 12 * 60;
        assertEquals(60L, n(rx.get("perHour")), "the usual hourly count");
        assertEquals(expectedX, n(rx.get("expected")));
        assertEquals(receivedX, n(rx.get("received")), "a day's surplus is capped at what was expected");
        assertEquals(Math.round(receivedX * 1000.0 / expectedX) / 10.0, d(rx.get("completeness")), 1e-9);
        assertEquals(1L, n(rx.get("completeDays")), "day 1 complete, day 2 at 50%");
        assertEquals(2L, n(rx.get("days")));
        Map<String, Object> ry = rowWith(rows(section), "point", "Y治污");
        assertEquals(60L * 48, n(ry.get("expected")));
        assertEquals(0L, n(ry.get("received")));
        assertEquals(0.0, d(ry.get("completeness")));
        assertEquals(2L, n(ry.get("offlineAlarms")), "its logger's and its own");
        Map<String, Object> rz = rowWith(rows(section), "point", "Z新装");
        assertEquals(12L * 24, n(rz.get("expected")), "only from its go-live day");
        assertEquals(12L * 20, n(rz.get("received")));
        assertEquals(0L, n(rz.get("completeDays")), "20 of 24 hours = 83% < 90%");
        assertEquals(1L, n(rz.get("days")));

        Map<String, Object> rw = rowWith(rows(section), "point", "W登记");
        assertEquals(60L * 6, n(rw.get("expected")), "from the hour it was registered in");
        assertEquals(100.0, d(rw.get("completeness")));

        // per logger: each point has its own logger here, so the logger rows repeat the point figures
        Map<String, Object> byLogger = sections(report(admin, "TRANSMISSION", period(day1, day2, d) + "&by=logger")).get(0);
        assertEquals(4, rows(byLogger).size());
        assertEquals(receivedX, n(rowWith(rows(byLogger), "mn", mn(x)).get("received")));
        long allExpected = expectedX + 60L * 48 + 12L * 24 + 60L * 6;
        long allReceived = receivedX + 12L * 20 + 60L * 6;
        assertEquals(Math.round(allReceived * 1000.0 / allExpected) / 10.0, d(total(byLogger).get("completeness")), 1e-9);
    }

    record Order(AlarmFixtures.Enterprise e, String kind, Instant from, Instant to, Instant revokedAt, String source) {
    }

    @Test
    void emergencyReportsJudgeEachObligedEnterpriseFromAlarmsAndData() {
        String d = fx.district("应急区");
        LocalDate from = today.minusDays(3);
        LocalDate to = today.minusDays(1);
        Instant start = dayStart(from);
        Instant end = start.plus(48, ChronoUnit.HOURS);
        AlarmFixtures.Enterprise violated = fx.enterprise(d, "3360", "应急违规");
        AlarmFixtures.Enterprise kept = fx.enterprise(d, "3360", "应急达标");
        AlarmFixtures.Enterprise silent = fx.enterprise(d, "3360", "应急无数据");
        AlarmFixtures.Enterprise revoked = fx.enterprise(d, "3360", "应急撤销");
        AlarmFixtures.Enterprise otherSource = fx.enterprise(d, "3360", "整改停产");
        List<Order> orders = List.of(
                new Order(violated, "STOP", start, end, null, "EMERGENCY"),
                new Order(kept, "LIMIT", start, end, null, "EMERGENCY"),
                new Order(silent, "STOP", start, end, null, "EMERGENCY"),
                new Order(revoked, "LIMIT", start, end, start.plus(24, ChronoUnit.HOURS), "EMERGENCY"),
                new Order(otherSource, "STOP", start, end, null, "RECTIFICATION"));
        for (Order o : orders) {
            jdbc.update("""
                    insert into production_order (enterprise_id, kind, limit_percent, valid_from, valid_to, source, status, revoked_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""", o.e().id(), o.kind(), o.kind().equals("LIMIT") ? 30 : null,
                    Timestamp.from(o.from()), Timestamp.from(o.to()), o.source(), o.revokedAt() == null ? "ACTIVE" : "REVOKED",
                    o.revokedAt() == null ? null : Timestamp.from(o.revokedAt()));
        }
        // data: every hour of the order for all but the silent one (10 hours of 48) and the revoked one (its 24 hours)
        Map<AlarmFixtures.Enterprise, Integer> dataHours = new LinkedHashMap<>();
        dataHours.put(violated, 48);
        dataHours.put(kept, 48);
        dataHours.put(silent, 10);
        dataHours.put(revoked, 24);
        dataHours.forEach((e, hours) -> {
            long p = point(e.id(), e.productionId(), "总");
            for (int h = 0; h < hours; h++) {
                hourly(p, start.plus(h, ChronoUnit.HOURS), 60);
            }
        });
        fx.raise(violated, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1, start.plus(5, ChronoUnit.HOURS));
        fx.raise(kept, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, start.plus(6, ChronoUnit.HOURS));
        fx.raise(kept, "TREATMENT_STOPPED", AlarmLevel.LEVEL_2, start.minus(6, ChronoUnit.HOURS)); // before its order
        fx.raise(revoked, "LIMIT_NOT_KEPT", AlarmLevel.LEVEL_2, start.plus(30, ChronoUnit.HOURS)); // after the revocation
        fx.raise(otherSource, "PRODUCTION_DURING_STOP", AlarmLevel.LEVEL_1, start.plus(5, ChronoUnit.HOURS)); // not an emergency order

        List<Order> emergency = orders.stream().filter(o -> o.source().equals("EMERGENCY")).toList();
        Map<String, Object> doc = report(admin, "DISTRICT_PLAN_COMPLIANCE", period(from, to, d));
        Map<String, Object> district = rowWith(rows(sections(doc).get(0)), "key", d);
        assertEquals((long) emergency.size(), n(district.get("obliged")));
        assertEquals(emergency.stream().filter(o -> o.kind().equals("STOP")).count(), n(district.get("stop")));
        assertEquals(emergency.stream().filter(o -> o.kind().equals("LIMIT")).count(), n(district.get("limit")));
        // verdicts by hand: violated → 未达标; kept, revoked (data in all its 24 hours, the alarm came later) → 达标; silent → 无法判断
        assertEquals(2L, n(district.get("compliant")));
        assertEquals(1L, n(district.get("violated")));
        assertEquals(1L, n(district.get("undetermined")));
        assertEquals(Math.round(2 * 1000.0 / emergency.size()) / 10.0, d(district.get("rate")), 1e-9);
        List<Map<String, Object>> notKept = rows(sections(doc).get(1));
        assertEquals("未达标", rowWith(notKept, "enterprise", violated.name()).get("verdict"));
        Map<String, Object> s = rowWith(notKept, "enterprise", silent.name());
        assertEquals("无法判断", s.get("verdict"));
        assertEquals(Math.round(10 * 1000.0 / 48) / 10.0, d(s.get("coverage")), 1e-9);
        assertEquals(2, notKept.size());

        Map<String, Object> alarms = rowWith(rows(sections(report(admin, "DISTRICT_EMERGENCY_ALARMS", period(from, to, d))).get(0)), "key", d);
        assertEquals((long) emergency.size(), n(alarms.get("enterprises")));
        assertEquals(2L, n(alarms.get("stop_orders")));
        assertEquals(2L, n(alarms.get("limit_orders")));
        assertEquals(2L, n(alarms.get("alarms")), "the violation and the treatment alarm inside the orders' windows");
        assertEquals(1L, n(alarms.get("during_stop")));
        assertEquals(0L, n(alarms.get("limit_not_kept")), "raised after the order was revoked");
        assertEquals(1L, n(alarms.get("treatment")));
        assertNull(alarms.get("disposedRate") instanceof Number r && r.doubleValue() > 0 ? r : null, "none handled");
    }
}
