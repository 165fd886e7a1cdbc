package com.powerwatch.platform.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which period each kind covers and which one has ended last, around week and month boundaries. */
class PeriodicKindTest {

    @Test
    void theLastEndedPeriodIsYesterdayLastWeekAndLastMonth() {
        LocalDate wednesday = LocalDate.of(2026, 12, 2);
        assertEquals(LocalDate.of(2026, 12, 1), PeriodicKind.DAILY.lastEnded(wednesday));
        assertEquals(LocalDate.of(2026, 11, 23), PeriodicKind.WEEKLY.lastEnded(wednesday), "Monday of last week");
        assertEquals(LocalDate.of(2026, 11, 1), PeriodicKind.MONTHLY.lastEnded(wednesday));
        LocalDate monday = LocalDate.of(2026, 11, 30);
        assertEquals(LocalDate.of(2026, 11, 23), PeriodicKind.WEEKLY.lastEnded(monday), "the week that ended yesterday");
        assertEquals(LocalDate.of(2026, 10, 1), PeriodicKind.MONTHLY.lastEnded(monday), "November has not ended on the 30th");
        assertEquals(LocalDate.of(2026, 11, 1), PeriodicKind.MONTHLY.lastEnded(LocalDate.of(2026, 12, 1)));
        assertEquals(LocalDate.of(2026, 11, 29), PeriodicKind.WEEKLY.periodEnd(LocalDate.of(2026, 11, 23)));
        assertEquals(LocalDate.of(2024, 2, 29), PeriodicKind.MONTHLY.periodEnd(LocalDate.of(2024, 2, 1)));
        assertEquals("2026年11月", PeriodicKind.MONTHLY.periodName(LocalDate.of(2026, 11, 1)));
    }
}
