package com.powerwatch.platform.analysis;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The baseline of a production order (停产 / 限产, domain notes §1.5): what the enterprise's production facilities
 * (or the order's listed ones) drew before the order, from its own history in {@code point_agg} (1h rows).
 *
 * <ul>
 *   <li>Window: the {@code windowDays} China days before the order's day (before today when the order starts later).</li>
 *   <li>Days left out: days overlapping an earlier STOP/LIMIT order of the enterprise (they are not normal
 *       production), days with data for less than {@code minDayCoverage} of their hours (a silent logger is no
 *       evidence), and days off: production energy below {@code workingDayShare} × the median day.</li>
 *   <li>baselineKw = mean production power over the <em>running hours</em> of the working days (an hour runs when any
 *       listed facility's mean power reaches its run threshold), so it matches "the mean production kW while the
 *       lines run" that LIMIT_NOT_KEPT compares with; baselineDailyKwh = mean energy of the working days.</li>
 *   <li>Fewer than {@code minWorkingDays} working days: RATED, Σ rated kW × {@code ratedLoadFactor} (only when every
 *       listed facility has a rated power); otherwise no baseline (the note says why).</li>
 * </ul>
 * The computation itself is {@link #compute}, pure; this service only reads its inputs.
 */
@Service
@EnableConfigurationProperties(BaselineProperties.class)
public class ProductionBaseline {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public enum Method { HISTORY_30D, RATED, MANUAL }

    /**
     * A computed (or typed) baseline. {@code baselineKw} null = none could be computed; {@code days} = working days
     * of history used (0 for RATED and MANUAL).
     */
    public record Baseline(Double baselineKw, Double baselineDailyKwh, Method method, int days, Instant computedAt,
                           String note) {
    }

    /** What the baseline needs to know of a production facility: its rated power and run threshold. */
    public record ProductionFacility(long id, Double ratedKw, Double runAbove, Double stopBelow, String thresholdQuantity) {
    }

    /** One facility-hour of history: mean power (Σ over the facility's points) and energy in the hour. */
    public record FacilityHour(long facilityId, long hourStart, double kw, double kwh) {
    }

    /** An interval [from, to) the enterprise was under another order. */
    public record Excluded(Instant from, Instant to) {
        /** Whether this period overlaps [fromMillis, toMillis). */
        boolean overlaps(long fromMillis, long toMillis) {
            return from.toEpochMilli() < toMillis && to.toEpochMilli() > fromMillis;
        }

        static boolean any(List<Excluded> periods, long fromMillis, long toMillis) {
            return periods.stream().anyMatch(x -> x.overlaps(fromMillis, toMillis));
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final BaselineProperties settings;

    ProductionBaseline(NamedParameterJdbcTemplate jdbc, BaselineProperties settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    public BaselineProperties settings() {
        return settings;
    }

    /**
     * The baseline for an order of {@code enterpriseId} over {@code facilityIds} (empty = all its production
     * facilities) starting at {@code validFrom}; {@code orderId} (may be null) is left out of the earlier orders.
     */
    public Baseline forOrder(long enterpriseId, List<Long> facilityIds, Instant validFrom, Long orderId) {
        Instant now = Instant.now();
        Instant end = validFrom.isBefore(now) ? validFrom : now;
        LocalDate lastDay = end.atZone(CHINA).toLocalDate().minusDays(1);
        LocalDate firstDay = lastDay.minusDays(settings.windowDays() - 1L);
        Instant from = firstDay.atStartOfDay(CHINA).toInstant();
        Instant to = lastDay.plusDays(1).atStartOfDay(CHINA).toInstant();

        List<ProductionFacility> facilities = facilities(enterpriseId, facilityIds);
        List<FacilityHour> hours = facilities.isEmpty() ? List.of() : jdbc.query("""
                select mp.facility_id, a.bucket,
                       sum(case when a.n > 0 then a.p_sum / a.n else a.energy end) as kw,
                       sum(coalesce(a.energy, case when a.n > 0 then a.p_sum / a.n end)) as kwh
                from point_agg a join monitoring_point mp on mp.id = a.point_id
                where a.grain = '1h' and mp.facility_id in (:facilities) and a.bucket >= :from and a.bucket < :to
                  and (a.n > 0 or a.energy is not null)
                group by mp.facility_id, a.bucket""",
                new MapSqlParameterSource("facilities", facilities.stream().map(ProductionFacility::id).toList())
                        .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                (rs, i) -> new FacilityHour(rs.getLong(1), rs.getTimestamp(2).getTime(), rs.getDouble(3), rs.getDouble(4)));
        List<Excluded> excluded = orderPeriods(jdbc, enterpriseId, orderId, from, to);
        return compute(facilities, hours, excluded, firstDay, lastDay, settings, now);
    }

    /** What {@link #forOrders} needs of one order: whose, over which facilities (empty = all production), from when. */
    public record OrderScope(long orderId, long enterpriseId, List<Long> facilityIds, Instant validFrom) {
    }

    /**
     * The baselines of many orders at once, by order id — what {@link #forOrder} computes for each, with three queries
     * per chunk of enterprises instead of three per order (a city-wide emergency warning creates thousands).
     */
    public Map<Long, Baseline> forOrders(List<OrderScope> orders) {
        Map<Long, Baseline> out = new HashMap<>();
        for (int i = 0; i < orders.size(); i += 500) {
            List<OrderScope> chunk = orders.subList(i, Math.min(orders.size(), i + 500));
            Instant now = Instant.now();
            Instant from = null;
            Instant to = null;
            for (OrderScope o : chunk) {
                Instant end = o.validFrom().isBefore(now) ? o.validFrom() : now;
                LocalDate lastDay = end.atZone(CHINA).toLocalDate().minusDays(1);
                Instant f = lastDay.minusDays(settings.windowDays() - 1L).atStartOfDay(CHINA).toInstant();
                Instant t = lastDay.plusDays(1).atStartOfDay(CHINA).toInstant();
                from = from == null || f.isBefore(from) ? f : from;
                to = to == null || t.isAfter(to) ? t : to;
            }
            List<Long> enterprises = chunk.stream().map(OrderScope::enterpriseId).distinct().toList();
            Map<Long, List<ProductionFacility>> facilities = new HashMap<>();
            Map<Long, String> status = new HashMap<>();
            jdbc.query("""
                    select enterprise_id, id, rated_kw, run_above, stop_below, threshold_quantity, status from facility
                    where enterprise_id = any(cast(:e as bigint[])) and kind = 'PRODUCTION' order by id""",
                    Map.of("e", enterprises.toArray(Long[]::new)), rs -> {
                facilities.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ProductionFacility(rs.getLong(2),
                        (Double) rs.getObject(3), (Double) rs.getObject(4), (Double) rs.getObject(5), rs.getString(6)));
                status.put(rs.getLong(2), rs.getString(7));
            });
            Map<Long, List<FacilityHour>> hours = new HashMap<>();
            List<Long> facilityIds = facilities.values().stream().flatMap(List::stream).map(ProductionFacility::id).toList();
            if (!facilityIds.isEmpty()) {
                jdbc.query("""
                        select mp.facility_id, a.bucket,
                               sum(case when a.n > 0 then a.p_sum / a.n else a.energy end) as kw,
                               sum(coalesce(a.energy, case when a.n > 0 then a.p_sum / a.n end)) as kwh
                        from point_agg a join monitoring_point mp on mp.id = a.point_id
                        where a.grain = '1h' and mp.facility_id = any(cast(:facilities as bigint[])) and a.bucket >= :from and a.bucket < :to
                          and (a.n > 0 or a.energy is not null)
                        group by mp.facility_id, a.bucket""", new MapSqlParameterSource("facilities", facilityIds.toArray(Long[]::new))
                        .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)), rs -> {
                    long f = rs.getLong(1);
                    hours.computeIfAbsent(f, k -> new ArrayList<>()).add(new FacilityHour(f, rs.getTimestamp(2).getTime(), rs.getDouble(3),
                            rs.getDouble(4)));
                });
            }
            Map<Long, List<Object[]>> periods = new HashMap<>();
            jdbc.query("""
                    select enterprise_id, id, valid_from, case when status = 'REVOKED' and revoked_at is not null then least(valid_to, revoked_at)
                                                               else valid_to end as until
                    from production_order where enterprise_id = any(cast(:e as bigint[])) and valid_from < :to and valid_to > :from""",
                    new MapSqlParameterSource("e", enterprises.toArray(Long[]::new)).addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                    rs -> {
                        periods.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Object[]{rs.getLong(2),
                                new Excluded(rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant())});
                    });
            for (OrderScope o : chunk) {
                Instant end = o.validFrom().isBefore(now) ? o.validFrom() : now;
                LocalDate lastDay = end.atZone(CHINA).toLocalDate().minusDays(1);
                LocalDate firstDay = lastDay.minusDays(settings.windowDays() - 1L);
                boolean all = o.facilityIds() == null || o.facilityIds().isEmpty();
                List<ProductionFacility> fs = facilities.getOrDefault(o.enterpriseId(), List.of()).stream()
                        .filter(f -> all ? "ACTIVE".equals(status.get(f.id())) : o.facilityIds().contains(f.id())).toList();
                List<FacilityHour> hs = new ArrayList<>();
                fs.forEach(f -> hs.addAll(hours.getOrDefault(f.id(), List.of())));
                List<Excluded> excluded = periods.getOrDefault(o.enterpriseId(), List.of()).stream()
                        .filter(x -> (Long) x[0] != o.orderId()).map(x -> (Excluded) x[1]).toList();
                out.put(o.orderId(), compute(fs, hs, excluded, firstDay, lastDay, settings, now));
            }
        }
        return out;
    }

    /**
     * The periods of an enterprise's stop and limit orders (but {@code exceptOrderId}) overlapping [from, to): not
     * its usual operation, so left out of every "own history" a model compares with. A revoked order stopped
     * applying when it was revoked.
     */
    static List<Excluded> orderPeriods(NamedParameterJdbcOperations jdbc, long enterpriseId, Long exceptOrderId,
                                       Instant from, Instant to) {
        return orderPeriods(jdbc, List.of(enterpriseId), exceptOrderId, from, to).getOrDefault(enterpriseId, List.of());
    }

    /** {@link #orderPeriods(NamedParameterJdbcOperations, long, Long, Instant, Instant)} of many enterprises at once. */
    static Map<Long, List<Excluded>> orderPeriods(NamedParameterJdbcOperations jdbc, Collection<Long> enterpriseIds,
                                                  Long exceptOrderId, Instant from, Instant to) {
        Map<Long, List<Excluded>> out = new HashMap<>();
        jdbc.query("""
                select enterprise_id, valid_from, case when status = 'REVOKED' and revoked_at is not null then least(valid_to, revoked_at)
                                                       else valid_to end as until
                from production_order
                where enterprise_id = any(cast(:e as bigint[])) and id <> :self and valid_from < :to and valid_to > :from""",
                new MapSqlParameterSource("e", enterpriseIds.toArray(Long[]::new))
                        .addValue("self", exceptOrderId == null ? -1L : exceptOrderId)
                        .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                rs -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Excluded(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()));
                });
        return out;
    }

    /** The listed facilities (all ACTIVE production facilities of the enterprise when none are listed). */
    List<ProductionFacility> facilities(long enterpriseId, Collection<Long> facilityIds) {
        boolean all = facilityIds == null || facilityIds.isEmpty();
        return jdbc.query("""
                select id, rated_kw, run_above, stop_below, threshold_quantity from facility
                where enterprise_id = :e and kind = 'PRODUCTION' and\s""" + (all ? "status = 'ACTIVE'" : "id in (:ids)")
                + " order by id", new MapSqlParameterSource("e", enterpriseId).addValue("ids", all ? List.of(-1L) : facilityIds),
                (rs, i) -> new ProductionFacility(rs.getLong(1), (Double) rs.getObject(2), (Double) rs.getObject(3),
                        (Double) rs.getObject(4), rs.getString(5)));
    }

    // ------------------------------------------------------------------------------------------ pure computation

    /**
     * The power above which a facility counts as running in an hour (or 15 minutes): its registry run threshold
     * (kW facilities), else 10 % of its rated power, else 10 % of the highest mean it drew in the data at hand —
     * the engine's own defaults (domain notes §1.2), never below 0.5 kW.
     */
    public static double runThreshold(ProductionFacility f, double observedMaxKw) {
        if (!"I".equals(f.thresholdQuantity())) {
            if (f.runAbove() != null) {
                return f.runAbove();
            }
            if (f.stopBelow() != null) {
                return f.stopBelow();
            }
        }
        double scale = f.ratedKw() != null ? f.ratedKw() : observedMaxKw;
        return Math.max(0.10 * scale, 0.5);
    }

    /** One China day of the window as the baseline sees it. */
    private static final class Day {
        final Map<Long, Double> kwByHour = new TreeMap<>();
        final Set<Long> running = new HashSet<>(); // hour starts
        double kwh;
    }

    /** The baseline from facility-hours of the days [firstDay, lastDay] (see the class comment). */
    static Baseline compute(List<ProductionFacility> facilities, List<FacilityHour> hours, List<Excluded> excluded,
                            LocalDate firstDay, LocalDate lastDay, BaselineProperties s, Instant now) {
        Map<Long, ProductionFacility> byId = new HashMap<>();
        facilities.forEach(f -> byId.put(f.id(), f));
        Map<Long, Double> observedMax = new HashMap<>();
        for (FacilityHour h : hours) {
            observedMax.merge(h.facilityId(), h.kw(), Math::max);
        }
        Map<Long, Double> threshold = new HashMap<>();
        for (ProductionFacility f : facilities) {
            threshold.put(f.id(), runThreshold(f, observedMax.getOrDefault(f.id(), 0.0)));
        }
        TreeMap<LocalDate, Day> days = new TreeMap<>();
        for (FacilityHour h : hours) {
            if (!byId.containsKey(h.facilityId())) {
                continue;
            }
            LocalDate d = Instant.ofEpochMilli(h.hourStart()).atZone(CHINA).toLocalDate();
            if (d.isBefore(firstDay) || d.isAfter(lastDay)) {
                continue;
            }
            Day day = days.computeIfAbsent(d, k -> new Day());
            day.kwByHour.merge(h.hourStart(), h.kw(), Double::sum);
            day.kwh += h.kwh();
            if (h.kw() >= threshold.get(h.facilityId()) && h.kw() > 0) {
                day.running.add(h.hourStart());
            }
        }
        int window = (int) (lastDay.toEpochDay() - firstDay.toEpochDay() + 1);
        int needHours = (int) Math.ceil(s.minDayCoverage() * 24 - 1e-9);
        int underOrder = 0;
        int incomplete = 0;
        List<Map.Entry<LocalDate, Day>> candidates = new ArrayList<>();
        for (LocalDate d = firstDay; !d.isAfter(lastDay); d = d.plusDays(1)) {
            Instant start = d.atStartOfDay(CHINA).toInstant();
            Instant end = d.plusDays(1).atStartOfDay(CHINA).toInstant();
            if (excluded.stream().anyMatch(x -> x.from().isBefore(end) && x.to().isAfter(start) && x.from().isBefore(x.to()))) {
                underOrder++;
                continue;
            }
            Day day = days.get(d);
            if (day == null || day.kwByHour.size() < needHours) {
                incomplete++;
                continue;
            }
            candidates.add(Map.entry(d, day));
        }
        double median = median(candidates.stream().map(e -> e.getValue().kwh).toList());
        List<Day> working = candidates.stream().map(Map.Entry::getValue)
                .filter(d -> d.kwh > 0 && d.kwh >= s.workingDayShare() * median).toList();
        int off = candidates.size() - working.size();
        double kwSum = 0;
        int runningHours = 0;
        double kwhSum = 0;
        for (Day d : working) {
            kwhSum += d.kwh;
            for (Map.Entry<Long, Double> h : d.kwByHour.entrySet()) {
                if (d.running.contains(h.getKey())) {
                    kwSum += h.getValue();
                    runningHours++;
                }
            }
        }
        String history = window + "天窗口内" + working.size() + "个正常生产日（排除停限产令" + underOrder + "天、停工" + off
                + "天、数据不全" + incomplete + "天），运行" + runningHours + "小时";
        if (working.size() >= s.minWorkingDays() && runningHours > 0) {
            return new Baseline(round(kwSum / runningHours, 100), round(kwhSum / working.size(), 10), Method.HISTORY_30D,
                    working.size(), now, "历史基线：" + history + "的平均生产功率与日均电量");
        }
        String tooLittle = "历史不足（" + history + "，至少需要" + s.minWorkingDays() + "个正常生产日）";
        Double rated = ratedSum(facilities);
        if (rated != null) {
            double kw = rated * s.ratedLoadFactor();
            return new Baseline(round(kw, 100), round(kw * s.ratedHoursPerDay(), 10), Method.RATED, 0, now,
                    tooLittle + "，采用额定功率" + round(rated, 100) + "kW × 典型负荷率" + s.ratedLoadFactor());
        }
        return new Baseline(null, null, null, 0, now, tooLittle + (facilities.isEmpty() ? "，且无生产设施" : "，且生产设施未全部登记额定功率")
                + "，无法计算基线");
    }

    /** Σ rated kW, or null when a facility has none (a partial sum would understate the baseline). */
    private static Double ratedSum(List<ProductionFacility> facilities) {
        if (facilities.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (ProductionFacility f : facilities) {
            if (f.ratedKw() == null) {
                return null;
            }
            sum += f.ratedKw();
        }
        return sum;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
