package com.powerwatch.platform.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** 日报 / 周报 / 月报: which days each covers, and the last such period that has ended by a given day. */
public enum PeriodicKind {
    DAILY("日报"), WEEKLY("周报"), MONTHLY("月报");

    private final String label;

    PeriodicKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The first day of the period holding {@code day}: the day, its Monday, or the 1st of its month. */
    public LocalDate periodStart(LocalDate day) {
        return switch (this) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
        };
    }

    /** The last day of the period starting on {@code start}. */
    public LocalDate periodEnd(LocalDate start) {
        return switch (this) {
            case DAILY -> start;
            case WEEKLY -> start.plusDays(6);
            case MONTHLY -> start.with(TemporalAdjusters.lastDayOfMonth());
        };
    }

    /** The start of the latest period that ended before {@code today}: yesterday, last Monday-to-Sunday, last month. */
    public LocalDate lastEnded(LocalDate today) {
        return periodStart(today.minusDays(1)).isBefore(periodStart(today)) ? periodStart(today.minusDays(1))
                : periodStart(periodStart(today).minusDays(1));
    }

    /** 2026年11月 / 2026-11-23 至 2026-11-29 / 2026-11-30: how the period is named in titles. */
    public String periodName(LocalDate start) {
        return switch (this) {
            case DAILY -> start.toString();
            case WEEKLY -> start + " 至 " + periodEnd(start);
            case MONTHLY -> start.getYear() + "年" + start.getMonthValue() + "月";
        };
    }
}
