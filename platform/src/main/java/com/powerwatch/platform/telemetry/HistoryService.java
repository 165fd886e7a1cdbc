package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * History: power series with downsampling, energy per period, period comparisons and the daily ranking.
 * Series read the coarsest stored level that fits (point_sample, point_agg 15m / 1h / 1d) and re-bucket
 * with {@code date_bin} in SQL, so a year is at most ~2,000 rows out of the database.
 */
@Service
public class HistoryService {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final String ORIGIN = "2000-01-03 00:00:00+08"; // as telemetry_bucket (V8): China midnight, a Monday
    static final Duration RAW_LIMIT = Duration.ofDays(2);
    static final Duration RANGE_LIMIT = Duration.ofDays(3660);

    /** Bucket widths auto may choose, in seconds. */
    static final long[] NICE = {60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800, 2419200};

    /** Stored levels, finest first: what each reads and how wide its rows are. */
    enum Level {
        SAMPLE(60, null), AGG_15M(900, "15m"), AGG_1H(3600, "1h"), AGG_1D(86400, "1d");

        final long seconds;
        final String grain;

        Level(long seconds, String grain) {
            this.seconds = seconds;
            this.grain = grain;
        }

        String source() {
            return grain == null ? "point_sample" : "point_agg " + grain;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final EnterpriseAccess access;

    HistoryService(NamedParameterJdbcTemplate jdbc, EnterpriseAccess access) {
        this.jdbc = jdbc;
        this.access = access;
    }

    /**
     * Whose points a history is over; {@code basis} says which facilities an enterprise's figures come from. Callers
     * outside this package build one only after checking the caller's access to the enterprise it belongs to.
     */
    public record Subject(String kind, long id, List<Long> pointIds, String basis) {
    }

    /**
     * The points of an enterprise's total meters; when it has none, of its production and treatment facilities. The
     * "has none" test is one hashed anti-join over the same enterprises, not a lookup per point (a city's 25,000 points).
     */
    static final String ENTERPRISE_POINTS = """
            select f.enterprise_id, mp.id as point_id,
                   case when f.kind = 'TOTAL' then 'TOTAL' else 'PRODUCTION_TREATMENT' end as basis
            from monitoring_point mp join facility f on f.id = mp.facility_id
            where f.enterprise_id in (%1$s)
              and (f.kind = 'TOTAL' or f.enterprise_id not in (select t.enterprise_id from facility t
                                                               join monitoring_point tp on tp.facility_id = t.id
                                                               where t.kind = 'TOTAL' and t.enterprise_id in (%1$s)))""";

    /** The subject of a history request, with its access check (404 unknown, 403 outside the caller's scope). */
    public Subject subject(String kind, long id) {
        if (kind == null) {
            throw ApiException.badRequest("subject", "请指定查询对象：point（监测点）、facility（设施）或 enterprise（企业）");
        }
        return switch (kind) {
            case "point" -> {
                access.point(id);
                yield new Subject(kind, id, List.of(id), null);
            }
            case "facility" -> {
                access.facility(id);
                yield new Subject(kind, id, jdbc.queryForList("select id from monitoring_point where facility_id = :id",
                        Map.of("id", id), Long.class), null);
            }
            case "enterprise" -> {
                access.enterprise(id);
                List<Map<String, Object>> rows = jdbc.queryForList(ENTERPRISE_POINTS.formatted(":id"), Map.of("id", id));
                String basis = rows.isEmpty() ? "NONE" : (String) rows.get(0).get("basis");
                yield new Subject(kind, id, rows.stream().map(r -> ((Number) r.get("point_id")).longValue()).toList(), basis);
            }
            default -> throw ApiException.badRequest("subject", "查询对象须为 point（监测点）、facility（设施）或 enterprise（企业），收到：" + kind);
        };
    }

    // ---------------------------------------------------------------- series

    public Map<String, Object> series(Subject subject, Instant from, Instant to, String grain, int maxPoints) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "开始时间必须早于结束时间");
        }
        Duration range = Duration.between(from, to);
        if (range.compareTo(RANGE_LIMIT) > 0) {
            throw ApiException.badRequest("to", "查询时间跨度最长 " + RANGE_LIMIT.toDays() + " 天");
        }
        if (maxPoints < 10 || maxPoints > 10_000) {
            throw ApiException.badRequest("maxPoints", "最大点数（maxPoints）须在 10 到 10000 之间");
        }
        String g = grain == null ? "auto" : grain;
        long rangeSeconds = range.toSeconds();
        long width;
        Level level;
        boolean rebucketed = false;
        List<Map<String, Object>> points;
        switch (g) {
            case "raw" -> {
                if (range.compareTo(RAW_LIMIT) > 0) {
                    throw ApiException.badRequest("grain", "原始数据最多查询 " + RAW_LIMIT.toDays()
                            + " 天，请选择自动（auto）或按分钟、小时、天汇总");
                }
                points = query(subject, from, to, 0, Level.SAMPLE, maxPoints + 1);
                if (points.size() <= maxPoints) {
                    return response(subject, from, to, g, "raw", 0, Level.SAMPLE, false, maxPoints, points);
                }
                width = niceWidth(rangeSeconds, maxPoints, 60);
                level = coarsest(width);
                rebucketed = true;
            }
            case "auto" -> {
                width = niceWidth(rangeSeconds, maxPoints, 60);
                level = coarsest(width);
            }
            case "1m", "15m", "1h", "1d" -> {
                long seconds = switch (g) {
                    case "1m" -> 60;
                    case "15m" -> 900;
                    case "1h" -> 3600;
                    default -> 86400;
                };
                if (buckets(rangeSeconds, seconds) <= maxPoints) {
                    width = seconds;
                    level = seconds == 60 ? Level.SAMPLE : coarsest(seconds);
                } else {
                    width = niceWidth(rangeSeconds, maxPoints, seconds);
                    level = coarsest(width);
                    rebucketed = true;
                }
                if (level == Level.SAMPLE && range.compareTo(Duration.ofDays(31)) > 0) {
                    throw ApiException.badRequest("grain", "按分钟汇总最多查询 31 天");
                }
            }
            default -> throw ApiException.badRequest("grain", "时间粒度须为 auto（自动）、raw（原始数据）、1m、15m、1h 或 1d，收到：" + g);
        }
        points = query(subject, from, to, width, level, Integer.MAX_VALUE);
        return response(subject, from, to, g, label(width), width, level, rebucketed, maxPoints, points);
    }

    private static long buckets(long rangeSeconds, long width) {
        return (rangeSeconds + width - 1) / width + 1; // +1: the first bucket may start before from
    }

    /** The smallest listed width ≥ minimum that gives at most maxPoints buckets. */
    static long niceWidth(long rangeSeconds, int maxPoints, long minimum) {
        for (long w : NICE) {
            if (w >= minimum && buckets(rangeSeconds, w) <= maxPoints) {
                return w;
            }
        }
        long w = NICE[NICE.length - 1];
        while (buckets(rangeSeconds, w) > maxPoints) {
            w += 604800;
        }
        return w;
    }

    /** The coarsest stored level whose rows fit whole into buckets of this width. */
    static Level coarsest(long width) {
        Level best = Level.SAMPLE;
        for (Level l : Level.values()) {
            if (width % l.seconds == 0) {
                best = l;
            }
        }
        return best;
    }

    static String label(long seconds) {
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds / 60 + "m";
    }

    /**
     * One row per bucket: power average / min / max summed over the subject's points (min and max of a
     * multi-point subject are the sums of the per-point extremes: an envelope), energy summed.
     */
    private List<Map<String, Object>> query(Subject subject, Instant from, Instant to, long width, Level level, int limit) {
        if (subject.pointIds().isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("points", subject.pointIds());
        params.put("from", Timestamp.from(from));
        params.put("to", Timestamp.from(to));
        params.put("width", width + " seconds");
        params.put("limit", limit);
        String bucket = width == 0 ? "x.ts" : "date_bin(cast(:width as interval), x.ts, timestamptz '" + ORIGIN + "')";
        String perPoint;
        if (level == Level.SAMPLE) {
            perPoint = """
                    select %s as b, x.point_id, avg(x.p) as p_avg, min(x.p) as p_min, max(x.p) as p_max,
                           sum(x.d) as energy, count(x.p) as n
                    from (select s.point_id, s.ts, s.p,
                                 telemetry_energy_step(lag(s.e) over (partition by s.point_id order by s.ts), s.e) as d
                          from point_sample s
                          where s.point_id in (:points) and s.ts >= :from and s.ts < :to and not s.invalid) x
                    group by 1, 2""".formatted(bucket);
        } else {
            perPoint = """
                    select %s as b, x.point_id, sum(x.p_sum) / nullif(sum(x.n), 0) as p_avg, min(x.p_min) as p_min,
                           max(x.p_max) as p_max, sum(x.energy) as energy, sum(x.n) as n
                    from (select a.point_id, a.bucket as ts, a.p_sum, a.n, a.p_min, a.p_max, a.energy
                          from point_agg a
                          where a.grain = '%s' and a.point_id in (:points) and a.bucket >= :from and a.bucket < :to) x
                    group by 1, 2""".formatted(bucket, level.grain);
        }
        String sql = "select b, sum(p_avg) as p, sum(p_min) as p_min, sum(p_max) as p_max, sum(energy) as energy, "
                + "sum(n) as n from (" + perPoint + ") pp group by b order by b limit :limit";
        return jdbc.query(sql, params, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", rs.getTimestamp(1).toInstant().atZone(CHINA).toOffsetDateTime());
            m.put("p", round(rs.getObject(2)));
            m.put("pMin", round(rs.getObject(3)));
            m.put("pMax", round(rs.getObject(4)));
            m.put("energy", round(rs.getObject(5)));
            m.put("n", rs.getLong(6));
            return m;
        });
    }

    private static Double round(Object v) {
        return v == null ? null : Math.round(((Number) v).doubleValue() * 1000) / 1000.0;
    }

    private static Map<String, Object> response(Subject s, Instant from, Instant to, String grain, String effective,
                                                long width, Level level, boolean rebucketed, int maxPoints,
                                                List<Map<String, Object>> points) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", s.kind());
        m.put("id", s.id());
        if (s.basis() != null) {
            m.put("basis", s.basis());
        }
        m.put("pointIds", s.pointIds());
        m.put("from", from.atZone(CHINA).toOffsetDateTime());
        m.put("to", to.atZone(CHINA).toOffsetDateTime());
        m.put("grain", grain);
        m.put("bucket", effective);
        m.put("bucketSeconds", width);
        m.put("source", level.source());
        m.put("rebucketed", rebucketed);
        if (rebucketed) {
            m.put("note", "grain " + grain + " would exceed maxPoints=" + maxPoints + "; re-bucketed to " + effective);
        }
        m.put("maxPoints", maxPoints);
        m.put("count", points.size());
        m.put("points", points);
        return m;
    }

    // ---------------------------------------------------------------- energy

    /** Energy per China day or month from the daily pre-aggregates, with the register anomalies counted. */
    public Map<String, Object> energy(Subject subject, LocalDate from, LocalDate to, String period) {
        if (!"day".equals(period) && !"month".equals(period)) {
            throw ApiException.badRequest("period", "统计周期须为 day（日）或 month（月）");
        }
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "开始日期必须早于结束日期");
        }
        if (from.plusDays(RANGE_LIMIT.toDays()).isBefore(to)) {
            throw ApiException.badRequest("to", "查询时间跨度最长 " + RANGE_LIMIT.toDays() + " 天");
        }
        List<Map<String, Object>> periods = subject.pointIds().isEmpty() ? List.of() : jdbc.query("""
                select to_char(date_trunc('%s', a.bucket at time zone 'Asia/Shanghai'), '%s') as period,
                       sum(a.energy) as energy, sum(a.rollovers) as rollovers, sum(a.resets) as resets,
                       sum(a.negative_jumps) as negative_jumps
                from point_agg a
                where a.grain = '1d' and a.point_id in (:points) and a.bucket >= :from and a.bucket < :to
                group by 1 order by 1""".formatted(period, "day".equals(period) ? "YYYY-MM-DD" : "YYYY-MM"),
                Map.of("points", subject.pointIds(), "from", startOf(from), "to", startOf(to)), (rs, i) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("period", rs.getString(1));
                    m.put("energy", round(rs.getObject(2)));
                    m.put("rollovers", rs.getInt(3));
                    m.put("resets", rs.getInt(4));
                    m.put("negativeJumps", rs.getInt(5));
                    return m;
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", subject.kind());
        m.put("id", subject.id());
        if (subject.basis() != null) {
            m.put("basis", subject.basis());
        }
        m.put("from", from);
        m.put("to", to);
        m.put("period", period);
        m.put("unit", "kWh");
        m.put("total", round(periods.stream().map(p -> (Double) p.get("energy")).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).sum()));
        m.put("periods", periods);
        return m;
    }

    static Timestamp startOf(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(CHINA).toInstant());
    }

    /**
     * kWh per China day in [from, to) of the enterprises {@code enterprises} selects (an SQL query of enterprise ids,
     * with its named parameters in {@code params}), from the 1d rows of their total meters (basis as in
     * {@link #ENTERPRISE_POINTS}); days without energy data are absent.
     */
    public Map<LocalDate, Double> dailyEnergy(String enterprises, Map<String, Object> params, LocalDate from, LocalDate to) {
        Map<String, Object> p = new HashMap<>(params);
        p.put("energyFrom", startOf(from));
        p.put("energyTo", startOf(to));
        Map<LocalDate, Double> out = new java.util.TreeMap<>();
        jdbc.query("""
                with ep as (%s)
                select a.bucket, sum(a.energy) from ep join point_agg a on a.point_id = ep.point_id and a.grain = '1d'
                where a.bucket >= :energyFrom and a.bucket < :energyTo and a.energy is not null
                group by a.bucket order by a.bucket""".formatted(ENTERPRISE_POINTS.formatted(enterprises)), p,
                rs -> { out.put(rs.getTimestamp(1).toInstant().atZone(CHINA).toLocalDate(), round(rs.getDouble(2))); });
        return out;
    }

    /** Current period, the one before (环比) and the same one a year earlier (同比), over total-meter energy. */
    Map<String, Object> compare(String scope, String id, String period, String at) {
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("id", "请指定统计对象（id）");
        }
        LocalDate start;
        LocalDate end;
        LocalDate prevStart;
        try {
            switch (period == null ? "" : period) {
                case "day" -> {
                    start = LocalDate.parse(at);
                    end = start.plusDays(1);
                    prevStart = start.minusDays(1);
                }
                case "month" -> {
                    start = YearMonth.parse(at).atDay(1);
                    end = start.plusMonths(1);
                    prevStart = start.minusMonths(1);
                }
                case "year" -> {
                    start = LocalDate.of(Integer.parseInt(at), 1, 1);
                    end = start.plusYears(1);
                    prevStart = start.minusYears(1);
                }
                default -> throw ApiException.badRequest("period", "统计周期须为 day（日）、month（月）或 year（年）");
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException | NullPointerException e) {
            throw ApiException.badRequest("at", "统计时间（at）格式不正确：按日应为 yyyy-MM-dd，按月应为 yyyy-MM，按年应为 yyyy");
        }
        AccessScope s = AccessScope.current();
        Map<String, Object> params = new HashMap<>(s.parameters());
        String selection;
        switch (scope == null ? "" : scope) {
            case "enterprise" -> {
                long eid;
                try {
                    eid = Long.parseLong(id);
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("id", "企业编号须为数字");
                }
                access.enterprise(eid);
                selection = "e.id = :id";
                params.put("id", eid);
            }
            case "district" -> {
                String prefix = AccessScope.regionPrefix("district", id);
                Integer known = jdbc.queryForObject("select count(*) from region where code = :code", Map.of("code", id), Integer.class);
                if (known == null || known == 0) {
                    throw ApiException.notFound("行政区划", id);
                }
                selection = "e.district_code like :prefix";
                params.put("prefix", prefix + "%");
            }
            case "industry" -> {
                Integer known = jdbc.queryForObject("select count(*) from industry where code = :code", Map.of("code", id), Integer.class);
                if (known == null || known == 0) {
                    throw ApiException.notFound("行业", id);
                }
                selection = "e.industry_code in " + EnterpriseAccess.INDUSTRY_TREE;
                params.put("industry", id);
            }
            default -> throw ApiException.badRequest("scope", "统计范围须为 enterprise（企业）、district（区县）或 industry（行业）");
        }
        LocalDate yoyStart = start.minusYears(1);
        LocalDate yoyEnd = end.minusYears(1);
        params.put("c0", startOf(start));
        params.put("c1", startOf(end));
        params.put("p0", startOf(prevStart));
        params.put("y0", startOf(yoyStart));
        params.put("y1", startOf(yoyEnd));
        String ents = "select e.id from enterprise e where " + s.enterpriseFilter("e") + " and " + selection;
        Map<String, Object> row = jdbc.queryForMap("""
                with ep as (%s)
                select sum(a.energy) filter (where a.bucket >= :c0 and a.bucket < :c1) as cur,
                       count(a.energy) filter (where a.bucket >= :c0 and a.bucket < :c1) as cur_n,
                       sum(a.energy) filter (where a.bucket >= :p0 and a.bucket < :c0) as prev,
                       count(a.energy) filter (where a.bucket >= :p0 and a.bucket < :c0) as prev_n,
                       sum(a.energy) filter (where a.bucket >= :y0 and a.bucket < :y1) as yoy,
                       count(a.energy) filter (where a.bucket >= :y0 and a.bucket < :y1) as yoy_n,
                       count(distinct ep.enterprise_id) as enterprises
                from ep join point_agg a on a.point_id = ep.point_id and a.grain = '1d'
                where (a.bucket >= :p0 and a.bucket < :c1) or (a.bucket >= :y0 and a.bucket < :y1)
                """.formatted(ENTERPRISE_POINTS.formatted(ents)), params);
        Double cur = value(row, "cur");
        Double prev = value(row, "prev");
        Double yoy = value(row, "yoy");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", scope);
        m.put("id", id);
        m.put("period", period);
        m.put("at", at);
        m.put("unit", "kWh");
        m.put("current", window(start, end, cur));
        m.put("previous", window(prevStart, start, prev));
        m.put("lastYear", window(yoyStart, yoyEnd, yoy));
        m.put("momPercent", change(cur, prev));
        m.put("yoyPercent", change(cur, yoy));
        m.put("enterprisesWithData", ((Number) row.get("enterprises")).intValue());
        return m;
    }

    private static Map<String, Object> window(LocalDate from, LocalDate to, Double energy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("energy", energy); // null: no data in that period
        return m;
    }

    private static Double value(Map<String, Object> row, String key) {
        Number n = (Number) row.get(key + "_n");
        return n == null || n.longValue() == 0 ? null : round(row.get(key));
    }

    private static Double change(Double cur, Double base) {
        if (cur == null || base == null || base == 0) {
            return null;
        }
        return Math.round((cur - base) / base * 10000) / 100.0;
    }

    /** City-wide (scope-filtered) ranking of enterprises by their total-meter energy on one China day. */
    Map<String, Object> ranking(LocalDate day, int limit, String district) {
        if (limit < 1 || limit > 5000) {
            throw ApiException.badRequest("limit", "数量（limit）须在 1 到 5000 之间");
        }
        AccessScope s = AccessScope.current();
        Map<String, Object> params = new HashMap<>(s.parameters());
        String ents = "select e.id from enterprise e where " + s.enterpriseFilter("e");
        if (district != null) {
            ents += " and e.district_code like :prefix";
            params.put("prefix", AccessScope.regionPrefix("district", district) + "%");
        }
        params.put("day", startOf(day));
        params.put("limit", limit);
        List<Map<String, Object>> items = new ArrayList<>();
        jdbc.query("""
                with ep as (%s),
                per as (select ep.enterprise_id, min(ep.basis) as basis, sum(a.energy) as energy,
                               sum(a.resets) as resets, sum(a.rollovers) as rollovers, sum(a.negative_jumps) as negative_jumps
                        from point_agg a join ep on ep.point_id = a.point_id
                        where a.grain = '1d' and a.bucket = :day and a.energy is not null
                        group by ep.enterprise_id)
                select per.*, e.name, e.district_code, e.industry_code
                from per join enterprise e on e.id = per.enterprise_id
                order by per.energy desc, e.id limit :limit""".formatted(ENTERPRISE_POINTS.formatted(ents)), params, rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", items.size() + 1);
            m.put("enterpriseId", rs.getLong("enterprise_id"));
            m.put("name", rs.getString("name"));
            m.put("districtCode", rs.getString("district_code"));
            m.put("industryCode", rs.getString("industry_code"));
            m.put("energy", round(rs.getObject("energy")));
            m.put("basis", rs.getString("basis"));
            m.put("resets", rs.getInt("resets"));
            m.put("rollovers", rs.getInt("rollovers"));
            m.put("negativeJumps", rs.getInt("negative_jumps"));
            items.add(m);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("day", day);
        m.put("unit", "kWh");
        m.put("count", items.size());
        m.put("items", items);
        return m;
    }
}
