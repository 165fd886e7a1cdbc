package com.powerwatch.platform.statistics;

import com.powerwatch.platform.api.ApiException;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The period of a statistic: China days {@code from} to {@code to}, both included. Missing dates mean the last 30
 * days up to today; a bad date, {@code from} after {@code to} or more than {@link #MAX_DAYS} days is a 400 naming the
 * field.
 */
record StatisticsPeriod(LocalDate from, LocalDate to) {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;

    static StatisticsPeriod parse(String from, String to) {
        LocalDate t = blank(to) ? LocalDate.now(CHINA) : day("to", to);
        LocalDate f = blank(from) ? t.minusDays(DEFAULT_DAYS - 1) : day("from", from);
        if (f.isAfter(t)) {
            throw ApiException.badRequest("from", "开始日期 " + f + " 晚于结束日期 " + t);
        }
        if (ChronoUnit.DAYS.between(f, t) + 1 > MAX_DAYS) {
            throw ApiException.badRequest("to", "统计周期最长 " + MAX_DAYS + " 天（" + f + " 至 " + t + " 为 "
                    + (ChronoUnit.DAYS.between(f, t) + 1) + " 天）");
        }
        return new StatisticsPeriod(f, t);
    }

    /** 00:00 China time of the first day. */
    Timestamp start() {
        return Timestamp.from(from.atStartOfDay(CHINA).toInstant());
    }

    /** 00:00 China time of the day after the last one (exclusive). */
    Timestamp end() {
        return Timestamp.from(to.plusDays(1).atStartOfDay(CHINA).toInstant());
    }

    int days() {
        return (int) ChronoUnit.DAYS.between(from, to) + 1;
    }

    private static LocalDate day(String field, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, (field.equals("from") ? "开始日期" : "结束日期") + "应为 yyyy-MM-dd 格式的日期：" + text);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
