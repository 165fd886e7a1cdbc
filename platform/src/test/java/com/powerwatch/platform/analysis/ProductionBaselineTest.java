package com.powerwatch.platform.analysis;

import com.powerwatch.platform.analysis.ProductionBaseline.Baseline;
import com.powerwatch.platform.analysis.ProductionBaseline.Excluded;
import com.powerwatch.platform.analysis.ProductionBaseline.FacilityHour;
import com.powerwatch.platform.analysis.ProductionBaseline.Method;
import com.powerwatch.platform.analysis.ProductionBaseline.ProductionFacility;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baseline computation of production orders, without a database (domain notes §1.5). */
class ProductionBaselineTest {

    static final BaselineProperties SETTINGS = new BaselineProperties(30, 7, 0.2, 0.9, 0.7, 16, "-");
    static final LocalDate LAST = LocalDate.of(2025, 11, 30);
    static final LocalDate FIRST = LAST.minusDays(29);
    static final Instant NOW = Instant.parse("2025-12-01T08:00:00Z");
    /** A line that runs above 10 kW (registry threshold). */
    static final ProductionFacility LINE = new ProductionFacility(1, null, 10.0, 5.0, "P");

    static long hour(LocalDate d, int h) {
        return d.atTime(h, 0).atZone(ProductionBaseline.CHINA).toInstant().toEpochMilli();
    }

    /** Hourly rows of one facility for the window: kw(day, hour), null = no data; energy = mean kW × 1 h. */
    static List<FacilityHour> hours(long facilityId, BiFunction<LocalDate, Integer, Double> kw) {
        List<FacilityHour> out = new ArrayList<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            for (int h = 0; h < 24; h++) {
                Double p = kw.apply(d, h);
                if (p != null) {
                    out.add(new FacilityHour(facilityId, hour(d, h), p, p));
                }
            }
        }
        return out;
    }

    /** A day shift 08–18 at {@code kw}, 2 kW of standby otherwise. */
    static double shift(int h, double kw) {
        return h >= 8 && h < 18 ? kw : 2.0;
    }

    static Baseline compute(List<ProductionFacility> facilities, List<FacilityHour> hours, List<Excluded> excluded) {
        return ProductionBaseline.compute(facilities, hours, excluded, FIRST, LAST, SETTINGS, NOW);
    }

    @Test
    void meanPowerOverTheRunningHoursOfWorkingDaysOnly() {
        // Sundays off (standby only); on the 1st to 10th of November the line runs at 120 kW, later at 100 kW
        List<FacilityHour> h = hours(1, (d, hr) -> d.getDayOfWeek().getValue() == 7 ? 2.0
                : shift(hr, d.getDayOfMonth() <= 10 && d.getMonthValue() == 11 ? 120 : 100));
        Baseline b = compute(List.of(LINE), h, List.of());
        assertEquals(Method.HISTORY_30D, b.method());
        int sundays = (int) FIRST.datesUntil(LAST.plusDays(1)).filter(d -> d.getDayOfWeek().getValue() == 7).count();
        int richDays = (int) FIRST.datesUntil(LAST.plusDays(1))
                .filter(d -> d.getDayOfWeek().getValue() != 7 && d.getMonthValue() == 11 && d.getDayOfMonth() <= 10).count();
        int working = 30 - sundays;
        assertEquals(working, b.days(), "Sundays (48 kWh against ≈ 1,000) are days off");
        double expectedKw = (richDays * 120.0 + (working - richDays) * 100.0) / working; // 10 running hours a day each
        assertEquals(expectedKw, b.baselineKw(), 0.01, "standby hours are not running hours");
        double expectedKwh = (richDays * (1200 + 28.0) + (working - richDays) * (1000 + 28.0)) / working;
        assertEquals(expectedKwh, b.baselineDailyKwh(), 0.1, "the whole day's energy of the working days");
        assertEquals(NOW, b.computedAt());
        assertTrue(b.note().contains("停工" + sundays + "天"), b.note());
    }

    @Test
    void daysUnderAnEarlierOrderAreLeftOut() {
        // an earlier LIMIT order from Nov 11 12:00 to Nov 14 06:00: those days ran at 30 kW
        Instant from = LocalDate.of(2025, 11, 11).atTime(12, 0).atZone(ProductionBaseline.CHINA).toInstant();
        Instant to = LocalDate.of(2025, 11, 14).atTime(6, 0).atZone(ProductionBaseline.CHINA).toInstant();
        List<FacilityHour> h = hours(1, (d, hr) -> shift(hr, d.getMonthValue() == 11 && d.getDayOfMonth() >= 11
                && d.getDayOfMonth() <= 14 ? 30 : 100));
        Baseline b = compute(List.of(LINE), h, List.of(new Excluded(from, to)));
        assertEquals(26, b.days(), "four days touched by the order");
        assertEquals(100.0, b.baselineKw(), 1e-9);
        Baseline without = compute(List.of(LINE), h, List.of());
        assertTrue(without.baselineKw() < 95, "the same days counted would lower the baseline: " + without.baselineKw());
        // an order revoked before it began (empty interval) excludes nothing
        assertEquals(30, compute(List.of(LINE), h, List.of(new Excluded(to, from))).days());
    }

    @Test
    void daysWithTooFewHoursOfDataDoNotCount() {
        // the logger was silent from noon on the 20th: a half day of data would look like a short working day
        List<FacilityHour> h = hours(1, (d, hr) -> d.equals(LocalDate.of(2025, 11, 20)) && hr >= 12 ? null : shift(hr, 100));
        Baseline b = compute(List.of(LINE), h, List.of());
        assertEquals(29, b.days());
        assertEquals(1028.0, b.baselineDailyKwh(), 1e-9);
        assertTrue(b.note().contains("数据不全1天"), b.note());
    }

    @Test
    void severalFacilitiesAddUpAndAnHourRunsWhenAnyOfThemRuns() {
        ProductionFacility kiln = new ProductionFacility(2, 300.0, null, null, "P"); // threshold 10 % of rated = 30 kW
        List<FacilityHour> h = new ArrayList<>(hours(1, (d, hr) -> shift(hr, 100)));
        h.addAll(hours(2, (d, hr) -> hr >= 18 && hr < 22 ? 200.0 : 20.0)); // the kiln runs in the evening
        Baseline b = compute(List.of(LINE, kiln), h, List.of());
        // running hours: 08–18 (100 + 20) and 18–22 (2 + 200), 14 a day
        assertEquals((10 * 120.0 + 4 * 202.0) / 14, b.baselineKw(), 0.01);
        assertEquals(1028.0 + 20 * 20 + 4 * 200, b.baselineDailyKwh(), 0.1);
    }

    @Test
    void tooLittleHistoryFallsBackToRatedCapacity() {
        ProductionFacility rated = new ProductionFacility(1, 200.0, 10.0, 5.0, "P");
        // only the last 6 days have data (the meter is new)
        List<FacilityHour> h = hours(1, (d, hr) -> d.isAfter(LAST.minusDays(6)) ? shift(hr, 100) : null);
        Baseline b = compute(List.of(rated), h, List.of());
        assertEquals(Method.RATED, b.method());
        assertEquals(140.0, b.baselineKw(), 1e-9, "200 kW × 0.7");
        assertEquals(140.0 * 16, b.baselineDailyKwh(), 1e-9);
        assertEquals(0, b.days());
        assertTrue(b.note().contains("6个正常生产日") && b.note().contains("额定功率"), b.note());

        // seven working days are enough
        List<FacilityHour> seven = hours(1, (d, hr) -> d.isAfter(LAST.minusDays(7)) ? shift(hr, 100) : null);
        assertEquals(Method.HISTORY_30D, compute(List.of(rated), seven, List.of()).method());
    }

    @Test
    void noHistoryAndNoCompleteRatedPowerGiveNoBaseline() {
        ProductionFacility rated = new ProductionFacility(2, 200.0, null, null, "P");
        Baseline b = compute(List.of(LINE, rated), List.of(), List.of());
        assertNull(b.baselineKw(), "a partial rated sum would understate the baseline");
        assertNull(b.method());
        assertTrue(b.note().contains("无法计算"), b.note());
        assertNull(compute(List.of(), List.of(), List.of()).baselineKw(), "no production facility");
        // a plant that never ran: all days are days off
        Baseline idle = compute(List.of(LINE), hours(1, (d, hr) -> 0.0), List.of());
        assertNull(idle.baselineKw());
        assertEquals(0, idle.days());
    }

    @Test
    void runThresholdFollowsTheEngineDefaults() {
        assertEquals(10.0, ProductionBaseline.runThreshold(LINE, 500), 1e-9, "registry run_above");
        assertEquals(5.0, ProductionBaseline.runThreshold(new ProductionFacility(1, null, null, 5.0, "P"), 500), 1e-9);
        assertEquals(20.0, ProductionBaseline.runThreshold(new ProductionFacility(1, 200.0, null, null, "P"), 500), 1e-9);
        assertEquals(20.0, ProductionBaseline.runThreshold(new ProductionFacility(1, 200.0, 3.0, null, "I"), 500), 1e-9,
                "a current threshold (A) is no kW threshold");
        assertEquals(50.0, ProductionBaseline.runThreshold(new ProductionFacility(1, null, null, null, "P"), 500), 1e-9);
        assertEquals(0.5, ProductionBaseline.runThreshold(new ProductionFacility(1, null, null, null, "P"), 1), 1e-9);
    }

    // ------------------------------------------------------------------------------------------ history peak

    /** 15-minute buckets of {@code days} days before LAST+1: {@code kw(day index, bucket of day)}. */
    static List<double[]> buckets(int days, BiFunction<Integer, Integer, Double> kw) {
        List<double[]> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            long start = hour(LAST.minusDays(d), 0);
            for (int q = 0; q < 96; q++) {
                out.add(new double[]{start + q * 900_000L, kw.apply(d, q)});
            }
        }
        return out;
    }

    @Test
    void historyPeakIsAPercentileOfTheRunningBucketsOnly() {
        ProductionFacility f = new ProductionFacility(1, null, 10.0, 5.0, "P");
        // runs 2 hours a day (8 buckets) at 50..57 kW; idle 0 kW otherwise — a p99 over all buckets would be idle-ish
        List<double[]> b = buckets(30, (d, q) -> q >= 40 && q < 48 ? 50.0 + (q - 40) : 0.0);
        Double peak = FacilityHistoryPeak.peak(f, b, 99, 7);
        // 240 running values, 30 of each 50..57: rank 0.99 × 239 = 236.61 → 57
        assertEquals(57.0, peak, 1e-9);
        assertEquals(53.5, FacilityHistoryPeak.peak(f, b, 50, 7), 1e-9, "median of 50..57, linear");
        assertNull(FacilityHistoryPeak.peak(f, buckets(6, (d, q) -> 50.0), 99, 7), "six days of running data are too few");
        assertNull(FacilityHistoryPeak.peak(f, buckets(30, (d, q) -> 3.0), 99, 7), "never running");
    }
}
