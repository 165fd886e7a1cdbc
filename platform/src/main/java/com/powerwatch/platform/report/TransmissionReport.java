package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 设备传输情况统计: data completeness per monitoring point or per data logger. A point is expected to send, every hour
 * of the period (from its go-live date or registration, up to the last full hour), as many samples as it usually sends in an hour
 * (the most frequent hourly count of the period; {@code default-interval} when it sent nothing); completeness =
 * received ÷ expected. A day is complete at {@code daily-target} percent. Counted from the hourly aggregates, so a
 * month over 5,000 points reads 3.6 million small rows, not the samples.
 */
@Component
class TransmissionReport implements NamedReport {

    static final List<Choice> GROUPS = List.of(new Choice("point", "按监测点"), new Choice("logger", "按数采仪"));

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportProperties.Transmission settings;

    TransmissionReport(NamedParameterJdbcTemplate jdbc, ReportProperties properties) {
        this.jdbc = jdbc;
        this.settings = properties.transmission();
    }

    @Override
    public String code() {
        return "TRANSMISSION";
    }

    @Override
    public String title() {
        return "设备传输情况统计";
    }

    @Override
    public String description() {
        return "每个监测点（或数采仪）本期应收、实收数据条数与完整率，完整天数和离线报警次数";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("by", "统计对象", GROUPS));
    }

    /** One point's figures over the period. */
    static final class PointStats {
        final Map<String, Object> row;
        final Instant windowStart;
        long perHour;
        boolean perHourAssumed;
        long expected;
        long received;
        int days;
        int completeDays;
        long offlineAlarms;

        PointStats(Map<String, Object> row, Instant windowStart) {
            this.row = row;
            this.windowStart = windowStart;
        }
    }

    /** Every active point in scope and region with its expected and received samples, complete days and offline alarms. */
    List<PointStats> points(ReportQuery q) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = q.enterpriseWhere(p);
        Instant until = min(q.end(), q.now().truncatedTo(ChronoUnit.HOURS));
        p.addValue("until", Timestamp.from(until));
        Map<Long, PointStats> points = new LinkedHashMap<>();
        jdbc.query("""
                select mp.id, mp.mn, mp.name as point, f.name as facility, e.name as enterprise, r.name as district, mp.commissioned_on,
                       date_trunc('hour', mp.created_at) as registered
                from monitoring_point mp join facility f on f.id = mp.facility_id join enterprise e on e.id = f.enterprise_id
                left join region r on r.code = e.district_code
                where mp.status = 'ACTIVE' and """ + " " + where + " order by e.district_code, e.name, mp.mn, mp.name, mp.id", p, rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("district", rs.getString("district"));
            row.put("enterprise", rs.getString("enterprise"));
            row.put("mn", rs.getString("mn"));
            row.put("point", rs.getString("point"));
            row.put("facility", rs.getString("facility"));
            java.sql.Date on = rs.getDate("commissioned_on");
            // nothing is expected before the point went live, nor before it was registered (no data can be kept for it)
            Instant start = max(q.start(), rs.getTimestamp("registered").toInstant());
            if (on != null) {
                start = max(start, on.toLocalDate().atStartOfDay(ReportQuery.CHINA).toInstant());
            }
            points.put(rs.getLong("id"), new PointStats(row, start));
        });
        String aggregates = " from point_agg a join monitoring_point mp on mp.id = a.point_id join facility f on f.id = mp.facility_id"
                + " join enterprise e on e.id = f.enterprise_id where a.grain = '1h' and a.bucket >= :from and a.bucket < :until"
                + " and mp.status = 'ACTIVE' and " + where;
        Map<Long, Map<LocalDate, Long>> perDay = new HashMap<>();
        jdbc.query("select a.point_id, (a.bucket at time zone 'Asia/Shanghai')::date as day, sum(a.n) as n" + aggregates + " group by 1, 2",
                p, rs -> {
                    perDay.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getDate(2).toLocalDate(), rs.getLong(3));
                });
        Map<Long, Long> usual = new HashMap<>();
        jdbc.query("select a.point_id, mode() within group (order by a.n)" + aggregates + " and a.n > 0 group by 1", p,
                rs -> { usual.put(rs.getLong(1), rs.getLong(2)); });
        Map<Long, Long> offline = new HashMap<>();
        jdbc.query("""
                select mp.id, count(*) from monitoring_point mp join facility f on f.id = mp.facility_id join enterprise e on e.id = f.enterprise_id
                join alarm a on a.point_id = mp.id and a.type = 'METER_OFFLINE' and a.started_at >= :from and a.started_at < :to
                where mp.status = 'ACTIVE' and """ + " " + where + """
                 group by mp.id
                union all
                select mp.id, count(*) from monitoring_point mp join facility f on f.id = mp.facility_id join enterprise e on e.id = f.enterprise_id
                join alarm a on a.mn = mp.mn and a.type = 'LOGGER_OFFLINE' and a.started_at >= :from and a.started_at < :to
                where mp.status = 'ACTIVE' and """ + " " + where + " group by mp.id", p,
                rs -> { offline.merge(rs.getLong(1), rs.getLong(2), Long::sum); });
        long assumed = Math.max(1, 3600 / Math.max(1, settings.defaultInterval().toSeconds()));
        for (Map.Entry<Long, PointStats> e : points.entrySet()) {
            PointStats s = e.getValue();
            Long k = usual.get(e.getKey());
            s.perHour = k == null ? assumed : k;
            s.perHourAssumed = k == null;
            s.offlineAlarms = offline.getOrDefault(e.getKey(), 0L);
            Map<LocalDate, Long> days = perDay.getOrDefault(e.getKey(), Map.of());
            for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
                Instant from = max(d.atStartOfDay(ReportQuery.CHINA).toInstant(), s.windowStart);
                Instant to = min(d.plusDays(1).atStartOfDay(ReportQuery.CHINA).toInstant(), until);
                long hours = from.isBefore(to) ? ChronoUnit.HOURS.between(from, to) : 0;
                if (hours == 0) {
                    continue;
                }
                long expected = s.perHour * hours;
                long received = Math.min(days.getOrDefault(d, 0L), expected);
                s.days++;
                s.expected += expected;
                s.received += received;
                if (received * 100.0 >= settings.dailyTarget() * expected) {
                    s.completeDays++;
                }
            }
        }
        return new ArrayList<>(points.values());
    }

    @Override
    public List<ReportTable> sections(ReportQuery q) {
        String by = q.option("by", "point");
        if (GROUPS.stream().noneMatch(c -> c.value().equals(by))) {
            throw ApiException.badRequest("by", "统计对象 by 应为 point（监测点）或 logger（数采仪）");
        }
        List<PointStats> points = points(q);
        return List.of(by.equals("logger") ? loggers(points, false) : pointTable(points));
    }

    ReportTable pointTable(List<PointStats> points) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PointStats s : points) {
            Map<String, Object> r = new LinkedHashMap<>(s.row);
            r.put("perHour", s.perHour);
            r.put("expected", s.expected);
            r.put("received", s.received);
            r.put("completeness", Figures.percent(s.received, s.expected));
            r.put("completeDays", (long) s.completeDays);
            r.put("days", (long) s.days);
            r.put("offlineAlarms", s.offlineAlarms);
            rows.add(r);
        }
        ReportTable.Builder t = ReportTable.of(title()).columns(List.of(ReportColumn.text("district", "区县", 10),
                        ReportColumn.text("enterprise", "企业名称", 24), ReportColumn.text("mn", "数采仪MN", 24), ReportColumn.text("point", "监测点", 14),
                        ReportColumn.text("facility", "设施", 14), ReportColumn.count("perHour", "每小时应收"), ReportColumn.count("expected", "应收条数"),
                        ReportColumn.count("received", "实收条数"), ReportColumn.percent("completeness", "完整率"),
                        ReportColumn.count("completeDays", "完整天数"), ReportColumn.count("days", "统计天数"),
                        ReportColumn.count("offlineAlarms", "离线报警")))
                .rows(rows).sumTotal("合计").total("perHour", null);
        figures(t, points);
        return t.build();
    }

    /** Points summed per data logger; {@code belowTargetOnly}: only the loggers under the daily target (periodic reports). */
    ReportTable loggers(List<PointStats> points, boolean belowTargetOnly) {
        Map<String, Map<String, Object>> byLogger = new LinkedHashMap<>();
        for (PointStats s : points) {
            Map<String, Object> g = byLogger.computeIfAbsent((String) s.row.get("mn"), mn -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("district", s.row.get("district"));
                m.put("enterprise", s.row.get("enterprise"));
                m.put("mn", mn);
                m.put("points", 0L);
                m.put("expected", 0L);
                m.put("received", 0L);
                m.put("offlineAlarms", 0L);
                return m;
            });
            g.put("points", Rows.n(g, "points") + 1);
            g.put("expected", Rows.n(g, "expected") + s.expected);
            g.put("received", Rows.n(g, "received") + s.received);
            // a logger's own offline alarm is counted on each of its points: count it once per logger
            g.put("offlineAlarms", Math.max(Rows.n(g, "offlineAlarms"), s.offlineAlarms));
            Double c = Figures.percent(s.received, s.expected);
            if (c != null && (g.get("worst") == null || c < Rows.d(g, "worstCompleteness"))) {
                g.put("worst", s.row.get("point") + "（" + c + "%）");
                g.put("worstCompleteness", c);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> g : byLogger.values()) {
            g.put("completeness", Figures.percent(Rows.n(g, "received"), Rows.n(g, "expected")));
            if (!belowTargetOnly || (g.get("completeness") != null && Rows.d(g, "completeness") < settings.dailyTarget())) {
                rows.add(g);
            }
        }
        ReportTable.Builder t = ReportTable.of(belowTargetOnly ? "完整率低于" + fmt(settings.dailyTarget()) + "%的数采仪" : title())
                .columns(List.of(ReportColumn.text("district", "区县", 10), ReportColumn.text("enterprise", "企业名称", 24),
                        ReportColumn.text("mn", "数采仪MN", 24), ReportColumn.count("points", "监测点数"), ReportColumn.count("expected", "应收条数"),
                        ReportColumn.count("received", "实收条数"), ReportColumn.percent("completeness", "完整率"),
                        ReportColumn.text("worst", "完整率最低的监测点", 20), ReportColumn.count("offlineAlarms", "离线报警")))
                .rows(rows).sumTotal("合计");
        figures(t, points);
        if (belowTargetOnly) {
            t.figure("数采仪数", byLogger.size()).figure("低于目标的数采仪", rows.size());
        }
        return t.build();
    }

    private void figures(ReportTable.Builder t, List<PointStats> points) {
        long expected = points.stream().mapToLong(s -> s.expected).sum();
        long received = points.stream().mapToLong(s -> s.received).sum();
        Double all = Figures.percent(received, expected);
        t.total("completeness", all);
        long below = points.stream().filter(s -> s.expected > 0 && received(s) < settings.dailyTarget()).count();
        t.figure("监测点数", points.size()).figure("总体完整率", all == null ? "—" : all + "%")
                .figure("完整率低于" + fmt(settings.dailyTarget()) + "%的监测点", below)
                .note("应收条数 = 每小时应收 × 统计小时数（从联网日期或登记时间起，到最近一个整点为止）；每小时应收取本期最常见的每小时条数，"
                        + "本期无数据的监测点按 " + settings.defaultInterval().toSeconds() + " 秒一条计；完整率 = 实收 ÷ 应收；"
                        + "当日完整率不低于 " + fmt(settings.dailyTarget()) + "% 记为完整天；离线报警 = 本期开始的数采仪离线和电表离线报警。");
    }

    private static double received(PointStats s) {
        return s.received * 100.0 / s.expected;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
