package com.powerwatch.platform.analysis;

import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.telemetry.CanonicalSample;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The models over history (TREATMENT_RATIO_DROP, PATTERN_ANOMALY): weeks of 15-minute samples written into
 * point_sample with SQL and aggregated by the telemetry's own telemetry_refresh() into point_agg (as in
 * HistoryIntegrationTest); the engine's data time is moved on by handing it one sample after the bucket, then
 * {@link AlarmEngine#checkHistory} evaluates the completed day / hour (the timer does the same once caught up).
 */
class HistoryModelsIntegrationTest extends EngineTestSupport {

    static final LocalDate TODAY = LocalDate.now(CHINA);

    /** The latest day ≤ {@code latest} whose day of week is accepted. */
    static LocalDate latest(LocalDate latest, java.util.function.Predicate<DayOfWeek> ok) {
        LocalDate d = latest;
        while (!ok.test(d.getDayOfWeek())) {
            d = d.minusDays(1);
        }
        return d;
    }

    static boolean weekend(LocalDateTime t) {
        return t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** A deterministic ±{@code amplitude} variation per day (and hour). */
    static double vary(LocalDateTime t, double amplitude) {
        return 1 + amplitude * Math.sin(t.toLocalDate().toEpochDay() * 1.7 + t.getHour() * 0.3);
    }

    /**
     * Moves the engine's data time for a point to {@code t} (one sample at 0 kW, stored and aggregated as the telemetry
     * would: the history models wait for the telemetry) and runs the history models.
     */
    void dataTime(long pointId, LocalDateTime t) {
        jdbc.update("insert into point_sample (point_id, ts, p, received_at) values (?, ?, 0, now()) on conflict do nothing",
                pointId, new Timestamp(at(t)));
        jdbc.queryForObject("select telemetry_refresh(array[?]::bigint[], array[?]::timestamptz[])", Integer.class, pointId,
                new Timestamp(at(t)));
        Double[] cols = new Double[CanonicalSample.COLUMNS.size()];
        cols[0] = 0.0;
        engine.apply(List.of(CanonicalSample.stored(pointId, at(t), cols, Map.of(), false, System.currentTimeMillis())),
                registry.snapshot());
        engine.checkHistory();
    }

    // ------------------------------------------------------------------------------------- TREATMENT_RATIO_DROP

    record Plant(long enterprise, long production, long treatment, long productionPoint, long treatmentPoint) {
        String subject() {
            return "facility:" + treatment;
        }
    }

    Plant plant() {
        long e = enterprise();
        long prod = facility(e, "PRODUCTION", 5.0, 10.0, null, 120.0);
        long treat = facility(e, "TREATMENT", 2.0, 4.0, null, 40.0);
        associate(prod, treat, 10, 30);
        String mn = uniqueMn();
        logger(mn, e);
        long pp = point(prod, mn, "100001");
        long tp = point(treat, mn, "100002");
        registry.refresh();
        return new Plant(e, prod, treat, pp, tp);
    }

    /** Weekdays 08:00–18:00 production ≈ 100 kW (±10 %), nothing otherwise. */
    static double production(LocalDateTime t) {
        return !weekend(t) && t.getHour() >= 8 && t.getHour() < 18 ? 100 * vary(t, 0.1) : 0;
    }

    /** The treatment runs with production at ≈ 30 kW (±20 %: normal variation of the ratio). */
    static double treatment(LocalDateTime t) {
        return production(t) > 0 ? 30 * vary(t.plusHours(5), 0.2) : 0;
    }

    /** A day X (Mon–Thu, so X + 1 is a weekday too) with X + 1 before today. */
    static final LocalDate X = latest(TODAY.minusDays(2), d -> d.getValue() <= 4);

    /** A plant with three weeks of history around day X, on which its treatment drew a tenth of production (≈ 0.3). */
    Plant droppedOnX() {
        Plant p = plant();
        history(p.productionPoint(), X.minusDays(21), X.plusDays(2), HistoryModelsIntegrationTest::production);
        history(p.treatmentPoint(), X.minusDays(21), X.plusDays(2),
                t -> t.toLocalDate().equals(X) ? production(t) * 0.1 : treatment(t));
        return p;
    }

    @Test
    void ratioDropRaisesAtTheDaysEndAndClearsAfterANormalDay() {
        Plant p = droppedOnX();

        dataTime(p.productionPoint(), X.atTime(12, 0));
        assertEquals(0, alarms("TREATMENT_RATIO_DROP", p.subject()).size(), "day X not complete yet");
        dataTime(p.productionPoint(), X.plusDays(1).atTime(0, 10));
        List<Map<String, Object>> a = alarms("TREATMENT_RATIO_DROP", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(at(X.plusDays(1).atStartOfDay()), millis(a.get(0).get("started_at")), "raised with the day's end");
        assertEquals("LEVEL_3", a.get(0).get("level"));
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("medianRatio") && ev.contains("治污用电量"), ev);
        assertEquals("ACTIVE", a.get(0).get("status"));

        dataTime(p.productionPoint(), X.plusDays(2).atTime(0, 10));
        a = alarms("TREATMENT_RATIO_DROP", p.subject());
        assertEquals(1, a.size());
        assertEquals("RECOVERED", a.get(0).get("status"), "a normal day clears it");
        assertEquals(at(X.plusDays(2).atStartOfDay()), millis(a.get(0).get("ended_at")));
    }

    @Test
    void aFrameDatedWeeksAheadDoesNotMakeTheRealDaysBeSkipped() {
        // the journal replayed (received when measured); in the middle of day X the production meter sends one frame
        // dated 30 days ahead: its point's latest data time jumps, but day X is still evaluated when it completes
        Plant p = droppedOnX();
        Double[] cols = new Double[CanonicalSample.COLUMNS.size()];
        cols[0] = 0.0;
        for (LocalDateTime[] t : new LocalDateTime[][]{{X.atTime(12, 0), X.atTime(12, 0)},
                {X.plusDays(30).atTime(12, 5), X.atTime(12, 5)}, {X.plusDays(1).atTime(0, 10), X.plusDays(1).atTime(0, 10)}}) {
            engine.apply(List.of(CanonicalSample.stored(p.productionPoint(), at(t[0]), cols, Map.of(), false, at(t[1]))),
                    registry.snapshot());
            engine.checkHistory();
        }
        List<Map<String, Object>> a = alarms("TREATMENT_RATIO_DROP", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(at(X.plusDays(1).atStartOfDay()), millis(a.get(0).get("started_at")), "day X evaluated at its end");
    }

    @Test
    void daysThatCompleteWhileTheEngineWasAheadAreEvaluatedInOrder() {
        // a telemetry running behind (or a restart) lets the engine's data time jump over day X: the hours and days in
        // between are still evaluated one by one, so day X raises and day X + 1 clears
        Plant p = droppedOnX();
        dataTime(p.productionPoint(), X.minusDays(1).atTime(12, 0));
        dataTime(p.productionPoint(), X.plusDays(2).atTime(0, 10));
        List<Map<String, Object>> a = alarms("TREATMENT_RATIO_DROP", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(at(X.plusDays(1).atStartOfDay()), millis(a.get(0).get("started_at")));
        assertEquals("RECOVERED", a.get(0).get("status"));
        assertEquals(at(X.plusDays(2).atStartOfDay()), millis(a.get(0).get("ended_at")));
    }

    /** Runs the days X and X + 1: day X raises a ratio drop at its end, the normal day X + 1 clears it at its end. */
    void dropOnXClearedOnTheNextDay(Plant p) {
        dataTime(p.productionPoint(), X.plusDays(1).atTime(0, 10));
        dataTime(p.productionPoint(), X.plusDays(2).atTime(0, 10));
        List<Map<String, Object>> a = alarms("TREATMENT_RATIO_DROP", p.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(at(X.plusDays(1).atStartOfDay()), millis(a.get(0).get("started_at")));
        assertEquals("RECOVERED", a.get(0).get("status"), "day X + 1 is a normal day");
        assertEquals(at(X.plusDays(2).atStartOfDay()), millis(a.get(0).get("ended_at")));
    }

    static boolean twelveDaysBeforeX(LocalDateTime t) {
        return !t.toLocalDate().isBefore(X.minusDays(12)) && t.toLocalDate().isBefore(X);
    }

    @Test
    void daysOfARunawayRegisterDoNotBecomeTheBaseline() {
        // the treatment's register counted 10 × its power for twelve days (a wrong multiplier after a meter change):
        // read from the register those days would make the median ratio ten times too high and a normal day X a drop
        Plant p = plant();
        history(p.productionPoint(), X.minusDays(21), X.plusDays(1), HistoryModelsIntegrationTest::production);
        history(p.treatmentPoint(), X.minusDays(21), X.plusDays(1), HistoryModelsIntegrationTest::treatment,
                t -> twelveDaysBeforeX(t) ? 10.0 : 1.0, t -> 1.0);
        dataTime(p.productionPoint(), X.atTime(12, 0));
        dataTime(p.productionPoint(), X.plusDays(1).atTime(0, 10));
        assertEquals(0, alarms("TREATMENT_RATIO_DROP", p.subject()).size(), "day X is a normal day");
    }

    @Test
    void daysOfPowerInWattsDoNotBecomeTheBaseline() {
        // for twelve days the treatment's meter sent its power in W instead of kW (the register stayed right): the
        // mean power × 24 h is then 1,000 times the register's energy, and read from it the median ratio would make
        // every normal day a drop. The smaller of the two is taken: day X's drop raises, day X + 1 clears.
        Plant p = plant();
        history(p.productionPoint(), X.minusDays(21), X.plusDays(2), HistoryModelsIntegrationTest::production);
        history(p.treatmentPoint(), X.minusDays(21), X.plusDays(2),
                t -> t.toLocalDate().equals(X) ? production(t) * 0.1 : treatment(t), t -> 1.0,
                t -> twelveDaysBeforeX(t) ? 1000.0 : 1.0);
        dropOnXClearedOnTheNextDay(p);
    }

    @Test
    void daysUnderALimitOrderAreNotTheUsualRatio() {
        // a limit order held production at 35 % for the sixteen days before X while the treatment ran as usual: those
        // days' ratio is three times the usual one. They are left out of the history, so day X's drop raises and
        // day X + 1 (back to the usual ratio) clears it.
        Plant p = plant();
        LocalDate limitFrom = X.minusDays(16);
        Function<LocalDateTime, Double> prod = t -> !t.toLocalDate().isBefore(limitFrom) && t.toLocalDate().isBefore(X)
                ? production(t) * 0.35 : production(t);
        history(p.productionPoint(), X.minusDays(30), X.plusDays(2), prod);
        history(p.treatmentPoint(), X.minusDays(30), X.plusDays(2),
                t -> t.toLocalDate().equals(X) ? production(t) * 0.1 : treatment(t));
        jdbc.update("""
                insert into production_order (enterprise_id, kind, limit_percent, baseline_kw, valid_from, valid_to, source)
                values (?, 'LIMIT', 65, 100, ?, ?, 'EMERGENCY')""", p.enterprise(),
                new Timestamp(at(limitFrom.atStartOfDay())), new Timestamp(at(X.atStartOfDay())));
        dropOnXClearedOnTheNextDay(p);
    }

    @Test
    void ratioWithinNormalVariationRaisesNothing() {
        Plant p = plant();
        history(p.productionPoint(), X.minusDays(21), X.plusDays(1), HistoryModelsIntegrationTest::production);
        // the ratio varies by ±20 % from day to day, and day X is at 0.6 of it: still above half the median
        history(p.treatmentPoint(), X.minusDays(21), X.plusDays(1),
                t -> t.toLocalDate().equals(X) ? production(t) * 0.18 : treatment(t));
        dataTime(p.productionPoint(), X.plusDays(1).atTime(0, 10));
        assertEquals(0, alarms("TREATMENT_RATIO_DROP", p.subject()).size());
    }

    @Test
    void ratioDropWithoutEnoughHistoryRaisesNothing() {
        Plant p = plant();
        // 4 days of data before X: at most 4 production days, 7 needed
        history(p.productionPoint(), X.minusDays(4), X.plusDays(1), HistoryModelsIntegrationTest::production);
        history(p.treatmentPoint(), X.minusDays(4), X.plusDays(1),
                t -> t.toLocalDate().equals(X) ? 0.0 : treatment(t));
        dataTime(p.productionPoint(), X.plusDays(1).atTime(0, 10));
        assertEquals(0, alarms("TREATMENT_RATIO_DROP", p.subject()).size());
    }

    @Test
    void aWeekendStopWithAFewMinutesOfProductionIsNotARatioDrop() {
        Plant p = plant();
        LocalDate saturday = latest(TODAY.minusDays(1), d -> d == DayOfWeek.SATURDAY);
        // Saturday: the line is off, one hour of 5 kW maintenance draw, treatment off → ratio 0, but no production day
        Function<LocalDateTime, Double> prod = t -> t.toLocalDate().equals(saturday) ? (t.getHour() == 10 ? 5.0 : 0.0)
                : production(t);
        history(p.productionPoint(), saturday.minusDays(21), saturday.plusDays(1), prod);
        history(p.treatmentPoint(), saturday.minusDays(21), saturday.plusDays(1), HistoryModelsIntegrationTest::treatment);
        dataTime(p.productionPoint(), saturday.plusDays(1).atTime(0, 10));
        assertEquals(0, alarms("TREATMENT_RATIO_DROP", p.subject()).size());
    }

    // ------------------------------------------------------------------------------------- PATTERN_ANOMALY

    record Site(long enterprise, long total, long point) {
        String subject() {
            return "enterprise:" + enterprise;
        }
    }

    Site site() {
        long e = enterprise();
        long total = facility(e, "TOTAL", 5.0, 10.0, null, null);
        String mn = uniqueMn();
        logger(mn, e);
        long p = point(total, mn, "100000");
        registry.refresh();
        return new Site(e, total, p);
    }

    /** A day-shift plant on its total meter: weekdays 08–18 ≈ 100 kW, otherwise ≈ 10 kW (±15 %). */
    static double usual(LocalDateTime t) {
        return (!weekend(t) && t.getHour() >= 8 && t.getHour() < 18 ? 100 : 10) * vary(t, 0.15);
    }

    /** A weekday Y before today. */
    static final LocalDate Y = latest(TODAY.minusDays(1), d -> d.getValue() <= 5);

    static boolean between(LocalDateTime t, LocalDate day, int fromHour, int toHour) {
        return t.toLocalDate().equals(day) && t.getHour() >= fromHour && t.getHour() < toHour;
    }

    @Test
    void aNightRunRaisesANoticeAfterTwoHoursAndClearsWhenTheLoadIsBack() {
        Site s = site();
        history(s.point(), Y.minusDays(28), Y.plusDays(1), t -> between(t, Y, 1, 4) ? 95.0 : usual(t));
        dataTime(s.point(), Y.atTime(2, 10)); // hour 01–02 out: one hour is not enough
        assertEquals(0, alarms("PATTERN_ANOMALY", s.subject()).size());
        dataTime(s.point(), Y.atTime(3, 10)); // 01–03 out
        List<Map<String, Object>> a = alarms("PATTERN_ANOMALY", s.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals("NOTICE", a.get(0).get("level"));
        assertEquals(at(Y.atTime(3, 0)), millis(a.get(0).get("started_at")), "at the end of the second hour");
        String ev = (String) a.get(0).get("first_evidence");
        assertTrue(ev.contains("\"median\"") && ev.contains("工作日") && ev.contains("firstAbnormalAt"), ev);
        dataTime(s.point(), Y.atTime(4, 10)); // 03–04 still out: nothing new
        assertEquals(0, (int) alarms("PATTERN_ANOMALY", s.subject()).get(0).get("repeats"));
        dataTime(s.point(), Y.atTime(5, 10)); // 04–05 back to ≈ 10 kW
        a = alarms("PATTERN_ANOMALY", s.subject());
        assertEquals(1, a.size());
        assertEquals("RECOVERED", a.get(0).get("status"));
        assertEquals(at(Y.atTime(5, 0)), millis(a.get(0).get("ended_at")));
    }

    /** A Saturday at least a day before today, with its five weekdays before it. */
    static final LocalDate SAT = latest(TODAY.minusDays(1), d -> d == DayOfWeek.SATURDAY);

    @Test
    void aNewPlantsFirstWeekendIsComparedWithItsWeekdays() {
        // only five weekdays of history, no weekend yet: the Saturday night run is judged against the weekday nights
        Site s = site();
        history(s.point(), SAT.minusDays(5), SAT.plusDays(1), t -> between(t, SAT, 1, 4) ? 95.0 : usual(t));
        dataTime(s.point(), SAT.atTime(3, 10));
        List<Map<String, Object>> a = alarms("PATTERN_ANOMALY", s.subject());
        assertEquals(1, a.size(), a.toString());
        assertEquals(at(SAT.atTime(3, 0)), millis(a.get(0).get("started_at")));
    }

    @Test
    void normalVariationAndASingleHourSpikeRaiseNothing() {
        Site s = site();
        history(s.point(), Y.minusDays(28), Y.plusDays(1), t -> between(t, Y, 1, 2) ? 95.0 : usual(t));
        for (int h = 1; h <= 23; h++) {
            dataTime(s.point(), Y.atTime(h, 10));
        }
        assertEquals(0, alarms("PATTERN_ANOMALY", s.subject()).size(), "one hour out, then normal variation all day");
    }

    @Test
    void aNightRunWithoutEnoughHistoryRaisesNothing() {
        Site s = site();
        LocalDate y = latest(TODAY.minusDays(1), d -> d.getValue() >= 3 && d.getValue() <= 5); // Wed–Fri
        // two comparable days (the two weekdays before), three needed
        history(s.point(), y.minusDays(2), y.plusDays(1), t -> between(t, y, 1, 4) ? 95.0 : usual(t));
        dataTime(s.point(), y.atTime(3, 10));
        dataTime(s.point(), y.atTime(4, 10));
        assertEquals(0, alarms("PATTERN_ANOMALY", s.subject()).size());
    }

    @Test
    void aWeekendStopAndAWeekendMorningAreNotAnomalies() {
        Site s = site();
        LocalDate saturday = latest(TODAY.minusDays(1), d -> d == DayOfWeek.SATURDAY);
        // the whole plant is off on Saturday (0 kW): a deviation downwards, not an anomaly; the weekday morning load
        // is compared with weekdays, the weekend night with weekend nights
        history(s.point(), saturday.minusDays(28), saturday.plusDays(1),
                t -> t.toLocalDate().equals(saturday) ? 0.0 : usual(t));
        LocalDate friday = saturday.minusDays(1);
        for (LocalDateTime t = friday.atTime(7, 10); t.isBefore(saturday.atTime(23, 59)); t = t.plusHours(1)) {
            dataTime(s.point(), t);
        }
        assertEquals(0, alarms("PATTERN_ANOMALY", s.subject()).size());
    }

    @Test
    void aSmallPlantsNightRunAtItsDaytimeLevelIsAnAnomalyToo() {
        // a 15 kW plant: its night run at the daytime level is ≈ 13.5 kW above the median night, under the 20 kW that
        // keeps large plants quiet; it counts against half its usual peak hour instead. Its day shift stays quiet.
        Site s = site();
        history(s.point(), Y.minusDays(28), Y.plusDays(1), t -> between(t, Y, 1, 4) ? 15.0 : usual(t) * 0.15);
        for (int h = 1; h <= 14; h++) {
            dataTime(s.point(), Y.atTime(h, 10));
        }
        List<Map<String, Object>> a = alarms("PATTERN_ANOMALY", s.subject());
        assertEquals(1, a.size(), "the night run only: " + a);
        assertEquals(at(Y.atTime(3, 0)), millis(a.get(0).get("started_at")));
        assertTrue(((String) a.get(0).get("first_evidence")).contains("usualPeakKwh"));
        assertEquals("RECOVERED", a.get(0).get("status"));
    }

    @Test
    void daysUnderAStopOrderAreNotTheUsualPattern() {
        // a stop order kept the plant at 2 kW for the twenty days before Y: compared with those days, Y's usual
        // morning would be an anomaly. They are left out: the night run 01–04 on Y raises (against the nights
        // before the order), the morning shift does not.
        Site s = site();
        LocalDate stopFrom = Y.minusDays(20);
        history(s.point(), Y.minusDays(28), Y.plusDays(1), t -> between(t, Y, 1, 4) ? 95.0
                : !t.toLocalDate().isBefore(stopFrom) && t.toLocalDate().isBefore(Y) ? 2.0 : usual(t));
        jdbc.update("""
                insert into production_order (enterprise_id, kind, baseline_kw, valid_from, valid_to, source)
                values (?, 'STOP', 100, ?, ?, 'EMERGENCY')""", s.enterprise(),
                new Timestamp(at(stopFrom.atStartOfDay())), new Timestamp(at(Y.atStartOfDay())));
        for (int h = 1; h <= 12; h++) {
            dataTime(s.point(), Y.atTime(h, 10));
        }
        List<Map<String, Object>> a = alarms("PATTERN_ANOMALY", s.subject());
        assertEquals(1, a.size(), "the night run only: " + a);
        assertEquals(at(Y.atTime(3, 0)), millis(a.get(0).get("started_at")));
        assertEquals("RECOVERED", a.get(0).get("status"));
    }

    @Test
    void aNightRunExplainedByAProductionAlarmIsNotRepeated() {
        Site s = site();
        long prod = facility(s.enterprise(), "PRODUCTION", 5.0, 10.0, null, 50.0);
        registry.refresh();
        history(s.point(), Y.minusDays(28), Y.plusDays(1), t -> between(t, Y, 1, 4) ? 95.0 : usual(t));
        recorder.raise(new AlarmSignal("OVER_CAPACITY", "facility:" + prod, s.enterprise(), prod, null, null, null,
                Y.atTime(1, 30).toInstant(CHINA), Map.of("message", "test")));
        dataTime(s.point(), Y.atTime(3, 10));
        dataTime(s.point(), Y.atTime(4, 10));
        assertEquals(0, alarms("PATTERN_ANOMALY", s.subject()).size());
    }
}
