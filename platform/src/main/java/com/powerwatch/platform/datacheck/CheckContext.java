package com.powerwatch.platform.datacheck;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run checks: the check day (China time) for the data rules, optionally a subset of enterprises.
 *
 * @param dayStart      check day 00:00 China time
 * @param dayEnd        next day 00:00 China time
 * @param checkTime     dayEnd, or the run's start when the check day is today
 * @param enterpriseIds null = every active enterprise
 */
public record CheckContext(LocalDate day, OffsetDateTime dayStart, OffsetDateTime dayEnd, OffsetDateTime checkTime,
                           List<Long> enterpriseIds, DataCheckProperties settings) {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public static CheckContext of(LocalDate day, OffsetDateTime now, List<Long> enterpriseIds, DataCheckProperties settings) {
        OffsetDateTime start = day.atStartOfDay(CHINA).toOffsetDateTime();
        OffsetDateTime end = day.plusDays(1).atStartOfDay(CHINA).toOffsetDateTime();
        OffsetDateTime checkTime = end.isAfter(now) ? now.atZoneSameInstant(CHINA).toOffsetDateTime() : end;
        return new CheckContext(day, start, end, checkTime, enterpriseIds == null ? null : List.copyOf(enterpriseIds), settings);
    }

    /** SQL condition restricting the enterprise table aliased {@code alias} to this run's enterprises (active ones only). */
    public String enterpriseFilter(String alias) {
        String active = alias + ".status = 'ACTIVE'";
        return enterpriseIds == null ? active : active + " and " + alias + ".id in (:runEnterprises)";
    }

    /** Named parameters every rule may use: day, dayStart, dayEnd, checkTime, runEnterprises. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new HashMap<>();
        p.put("day", day);
        p.put("dayStart", dayStart);
        p.put("dayEnd", dayEnd);
        p.put("checkTime", checkTime);
        if (enterpriseIds != null) {
            p.put("runEnterprises", enterpriseIds.isEmpty() ? List.of(-1L) : enterpriseIds);
        }
        return p;
    }
}
