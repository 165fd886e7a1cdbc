package com.powerwatch.platform.report;

import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What a report is asked for: China days {@code from}–{@code to} (both included), an optional region (any region
 * code: a city covers its districts), the scope of whoever it is for (a request's caller, or a subscriber when the
 * scheduler generates it), report options ({@code by}, {@code limit} …) and the moment it is generated.
 */
public record ReportQuery(LocalDate from, LocalDate to, String district, AccessScope scope, Map<String, String> options,
                          Instant now) {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public ReportQuery {
        options = options == null ? Map.of() : Map.copyOf(options);
        district = district == null || district.isBlank() ? null : district.trim();
    }

    public ReportQuery withPeriod(LocalDate f, LocalDate t) {
        return new ReportQuery(f, t, district, scope, options, now);
    }

    /** The same query over {@code region} when one is given (a custom report's own region filter), else unchanged. */
    public ReportQuery withRegion(String region) {
        return region == null || region.isBlank() ? this : new ReportQuery(from, to, region, scope, options, now);
    }

    public ReportQuery withOption(String key, String value) {
        Map<String, String> o = new java.util.HashMap<>(options);
        o.put(key, value);
        return new ReportQuery(from, to, district, scope, o, now);
    }

    public String option(String key, String fallback) {
        String v = options.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** 00:00 China time of the first day. */
    public Instant start() {
        return from.atStartOfDay(CHINA).toInstant();
    }

    /** 00:00 China time after the last day (exclusive). */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(CHINA).toInstant();
    }

    public int days() {
        return (int) ChronoUnit.DAYS.between(from, to) + 1;
    }

    /**
     * The condition on the enterprise table aliased {@code e}: the scope and the region, with their parameters added
     * to {@code p} (also {@code :from} / {@code :to}, the period's instants).
     */
    public String enterpriseWhere(MapSqlParameterSource p) {
        p.addValues(scope.parameters());
        p.addValue("from", Timestamp.from(start())).addValue("to", Timestamp.from(end()));
        StringBuilder w = new StringBuilder(scope.enterpriseFilter("e"));
        if (district != null) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", district) + "%");
        }
        return w.toString();
    }
}
