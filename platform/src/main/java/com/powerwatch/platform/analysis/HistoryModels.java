package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.powerwatch.platform.analysis.AlarmEngine.DAY;
import static com.powerwatch.platform.analysis.AlarmEngine.HOUR;
import static com.powerwatch.platform.analysis.AlarmEngine.MINUTE;
import static com.powerwatch.platform.analysis.AlarmEngine.PATTERN;
import static com.powerwatch.platform.analysis.AlarmEngine.PRODUCTION_TYPES;
import static com.powerwatch.platform.analysis.AlarmEngine.RATIO_DROP;
import static com.powerwatch.platform.analysis.AlarmEngine.iso;
import static com.powerwatch.platform.analysis.AlarmEngine.round;

/**
 * The models over the pre-aggregates (point_agg, docs/telemetry.md; docs/analysis-models.md §6), evaluated once per
 * completed bucket and enterprise: TREATMENT_RATIO_DROP per China day, PATTERN_ANOMALY per hour. A bucket is complete
 * in data time: the enterprise's latest sample is at least {@link #SETTLE} after the bucket's end, and the telemetry
 * has stored and aggregated that far. The models are stateless apart from the last bucket evaluated, so after a
 * restart the latest completed bucket is evaluated again (the open alarms read at the engine's rebuild prevent a
 * second raise). Called by the engine under its lock.
 */
final class HistoryModels {

    /** A bucket is evaluated once the engine has data this long after its end (the telemetry has refreshed it). */
    static final long SETTLE = 5 * MINUTE;

    private static final Logger log = LoggerFactory.getLogger(HistoryModels.class);

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final EngineRules rules;
    private final OpenAlarms alarms;
    private final Map<Long, Cursor> cursors = new HashMap<>();
    private RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;

    /** Per enterprise: what has been evaluated, and when to ask again while the aggregates are not ready. */
    private static final class Cursor {
        long ratioDayEvaluated;    // start of the last day TREATMENT_RATIO_DROP evaluated
        long patternHourEvaluated; // start of the last hour PATTERN_ANOMALY evaluated
        long historyRetryAt;       // data time before which the models do not ask again (aggregates not ready)
        long historyRetryWall;     // … and the wall-clock time (the data may have stopped)
    }

    HistoryModels(JdbcTemplate jdbc, EngineRules rules, OpenAlarms alarms) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.rules = rules;
        this.alarms = alarms;
    }

    /** Forgets the enterprises no longer in the registry. */
    void retain(Set<Long> enterpriseIds) {
        cursors.keySet().retainAll(enterpriseIds);
    }

    /** Evaluates the enterprise's completed buckets up to {@code dataNow}, its latest sample's data time. */
    void evaluate(RegistrySnapshot snap, RegistrySnapshot.Enterprise e, long dataNow) {
        snapshot = snap;
        Cursor et = cursors.computeIfAbsent(e.id(), k -> new Cursor());
        try {
            long day = dayStart(dataNow - SETTLE) - DAY; // the last completed China day
            long hour = Math.floorDiv(dataNow - SETTLE, HOUR) * HOUR - HOUR; // the last completed hour
            if (day <= et.ratioDayEvaluated && hour <= et.patternHourEvaluated
                    || dataNow < et.historyRetryAt && System.currentTimeMillis() < et.historyRetryWall) {
                return;
            }
            List<Long> pts = enterprisePoints(e);
            // every completed hour since the last one evaluated, in order (at most CATCH_UP_HOURS back), so that a
            // telemetry running behind or a restart does not skip an hour or a day; the first round starts at the
            // latest completed hour
            long first = et.patternHourEvaluated == 0 ? hour
                    : Math.max(et.patternHourEvaluated + HOUR, hour - CATCH_UP_HOURS * HOUR);
            for (long h = first; h <= hour; h += HOUR) {
                if (!aggregatesReady(pts, h + HOUR)) {
                    // the telemetry has not stored or aggregated that far yet (or the logger is silent): ask
                    // again in a few minutes of data time, not at every timer
                    et.historyRetryAt = dataNow + 5 * MINUTE;
                    et.historyRetryWall = System.currentTimeMillis() + 10_000; // when no more data comes
                    break;
                }
                long d = dayStart(h);
                if (h + HOUR == d + DAY && d > et.ratioDayEvaluated) { // the day ends with this hour
                    ratioDrops(e, d);
                    et.ratioDayEvaluated = d;
                }
                patternAnomaly(e, h);
                et.patternHourEvaluated = h;
            }
            if (et.ratioDayEvaluated == 0 && day > 0 && aggregatesReady(pts, day + DAY)) {
                ratioDrops(e, day); // the first round: the latest completed day
                et.ratioDayEvaluated = day;
            }
        } catch (RuntimeException ex) {
            log.warn("history models of enterprise {}: {}", e.id(), ex.toString()); // retried at the next timer
        }
    }

    /** Hours the history models go back to evaluate the ones they have not seen yet (after a lag or a restart). */
    static final int CATCH_UP_HOURS = 48;

    private void ratioDrops(RegistrySnapshot.Enterprise e, long day) {
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null && f.treatment() && !f.productionIds().isEmpty()) {
                ratioDrop(f, day);
            }
        }
    }

    private List<Long> enterprisePoints(RegistrySnapshot.Enterprise e) {
        List<Long> out = new ArrayList<>();
        for (Long fid : e.facilityIds()) {
            RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
            if (f != null) {
                out.addAll(f.pointIds());
            }
        }
        return out;
    }

    /**
     * The engine reads frames from the journal on its own and may be ahead of the telemetry consumer, which stores
     * the samples and refreshes the aggregates the history models read. A bucket ending at {@code end} is ready when
     * the telemetry has stored a sample of these points at or after {@code end} (a logger's frames are journaled in
     * order, so everything before it is stored) and no bucket before {@code end} waits for its refresh.
     */
    private boolean aggregatesReady(List<Long> pointIds, long end) {
        if (pointIds.isEmpty()) {
            return false;
        }
        Long[] ids = pointIds.toArray(Long[]::new);
        Boolean ready = jdbc.query(con -> {
            var ps = con.prepareStatement("select exists (select 1 from point_sample where point_id = any(?) and ts >= ?)"
                    + " and not exists (select 1 from telemetry_dirty where point_id = any(?) and bucket < ?)");
            java.sql.Array arr = con.createArrayOf("bigint", ids);
            ps.setArray(1, arr);
            ps.setTimestamp(2, new Timestamp(end));
            ps.setArray(3, arr);
            ps.setTimestamp(4, new Timestamp(end));
            return ps;
        }, rs -> rs.next() && rs.getBoolean(1));
        return Boolean.TRUE.equals(ready);
    }

    /** Start (epoch ms) of the China day containing {@code t}. */
    static long dayStart(long t) {
        return Math.floorDiv(t + 8 * HOUR, DAY) * DAY - 8 * HOUR;
    }

    static boolean weekend(long t) {
        java.time.DayOfWeek d = Instant.ofEpochMilli(t).atZone(QnGenerator.CHINA).getDayOfWeek();
        return d == java.time.DayOfWeek.SATURDAY || d == java.time.DayOfWeek.SUNDAY;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * Σ energy (kWh) per bucket start over a set of points, from point_agg: the register's energy, else (a point
     * without register) its mean power × the bucket's hours. Buckets without any row are absent.
     */
    private Map<Long, Double> energyByBucket(Collection<Long> pointIds, String grain, long from, long to) {
        Map<Long, Double> out = new HashMap<>();
        if (pointIds.isEmpty()) {
            return out;
        }
        String ids = String.join(",", pointIds.stream().map(String::valueOf).toList());
        double hours = "1d".equals(grain) ? 24 : "1h".equals(grain) ? 1 : 0.25;
        // the register's energy unless it is implausible. After a reset, a rollover or a backward jump in the bucket:
        // the mean power × the bucket's hours. When the two differ by more than 50 %: the smaller — the faults that
        // part them inflate one side (a register running away; power in W instead of kW, or P ≠ 3·U·I·PF). One bad
        // day must not become the baseline the other days are compared with.
        jdbc.query("""
                select bucket, sum(case when energy is null or resets > 0 or rollovers > 0 or negative_jumps > 0 then pw
                                        when abs(energy - pw) > 0.5 * greatest(pw, 1) then least(energy, pw)
                                        else energy end)
                from (select bucket, energy, resets, rollovers, negative_jumps, p_sum / nullif(n, 0) * ? as pw
                      from point_agg where grain = ? and point_id in (""" + ids + """
                      ) and bucket >= ? and bucket < ?) a
                group by bucket""", rs -> {
            double v = rs.getDouble(2);
            if (!rs.wasNull()) {
                out.put(rs.getTimestamp(1).getTime(), v);
            }
        }, hours, grain, new Timestamp(from), new Timestamp(to));
        return out;
    }

    /**
     * 产治电量比异常: the treatment's day energy over its associated production's, against the median of the same
     * ratio over the previous {@code windowDays} production days (domain notes §1.3 item 5). Raised at the day's
     * end when the ratio is below {@code ratioOfMedian} × that median on a production day; cleared at the end of a
     * production day at or above it. No verdict on a day without production, without data, or without
     * {@code minHistoryDays} production days of history.
     */
    private void ratioDrop(RegistrySnapshot.Facility t, long day) {
        AlarmRules.EffectiveRule r = rules.facility(RATIO_DROP, t.id());
        if (r == null || !r.enabled()) {
            return;
        }
        List<Long> prodPoints = new ArrayList<>();
        for (Long pid : t.productionIds()) {
            RegistrySnapshot.Facility p = snapshot.facilities().get(pid);
            if (p != null) {
                prodPoints.addAll(p.pointIds());
            }
        }
        int window = r.integer("windowDays");
        long from = day - window * DAY;
        Map<Long, Double> treat = energyByBucket(t.pointIds(), "1d", from, day + DAY);
        Map<Long, Double> prod = energyByBucket(prodPoints, "1d", from, day + DAY);
        Double ep = prod.get(day);
        Double et = treat.get(day);
        if (ep == null || et == null) {
            return; // no data that day
        }
        double minKwh = r.number("minProductionKwh");
        double share = r.number("minProductionShare");
        // the history: production days outside stop and limit orders (a limit day's ratio is not the usual one)
        List<ProductionBaseline.Excluded> orders = ProductionBaseline.orderPeriods(named, t.enterpriseId(), null,
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(day));
        List<Long> candidates = new ArrayList<>();
        for (long d = from; d < day; d += DAY) {
            Double hp = prod.get(d);
            if (hp != null && treat.get(d) != null && hp > 0 && hp >= minKwh
                    && !ProductionBaseline.Excluded.any(orders, d, d + DAY)) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        // a day of little production (a half-day stop) is not a production day either: its ratio is far from the usual
        double typicalProd = median(candidates.stream().map(prod::get).toList());
        List<Double> ratios = new ArrayList<>();
        List<Double> prodDays = new ArrayList<>();
        for (long d : candidates) {
            double hp = prod.get(d);
            if (hp >= share * typicalProd) {
                ratios.add(treat.get(d) / hp);
                prodDays.add(hp);
            }
        }
        if (ratios.size() < r.integer("minHistoryDays")) {
            return; // not enough history
        }
        double medianProd = median(prodDays);
        if (ep <= 0 || ep < minKwh || ep < share * medianProd) {
            return; // not a production day: nothing to compare
        }
        double medianRatio = median(ratios);
        double ratio = et / ep;
        double limit = r.number("ratioOfMedian") * medianRatio;
        String subject = "facility:" + t.id();
        long at = day + DAY;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("facilityId", t.id());
        ev.put("facility", t.name());
        ev.put("day", iso(day));
        ev.put("treatmentKwh", round(et));
        ev.put("productionKwh", round(ep));
        ev.put("ratio", round(ratio));
        ev.put("medianRatio", round(medianRatio));
        ev.put("limitRatio", round(limit));
        ev.put("historyDays", ratios.size());
        ev.put("medianProductionKwh", round(medianProd));
        ev.put("dataTime", iso(at));
        if (ratio < limit) {
            if (!alarms.isOpen(RATIO_DROP, subject)) {
                ev.put("firstAbnormalAt", iso(day));
                ev.put("message", "[" + t.name() + "]" + Instant.ofEpochMilli(day).atZone(QnGenerator.CHINA).toLocalDate()
                        + "治污用电量" + round(et) + "kWh，关联生产用电量" + round(ep) + "kWh，电量比" + round(ratio)
                        + "，低于近" + ratios.size() + "个生产日中位数" + round(medianRatio) + "的" + r.number("ratioOfMedian")
                        + "倍（" + round(limit) + "），治污设施疑似未正常运行");
                alarms.raise(RATIO_DROP, subject, t, null, at, ev);
            }
        } else {
            ev.put("message", "治污/生产电量比" + round(ratio) + "恢复至历史水平");
            alarms.clearIfOpen(RATIO_DROP, subject, at, ev);
        }
    }

    /**
     * 用电模式异常: the enterprise's energy in an hour (its TOTAL meters; without one, its production meters)
     * against the same hour of the same day type (weekday / weekend) over the previous {@code windowDays}: an hour
     * is out when E &gt; max(k × median, median + m × MAD) and E − median ≥ {@code minExcessKw}. Raised (NOTICE) at
     * the end of the {@code persistHours}-th consecutive hour out, unless a production alarm of the enterprise
     * (stop order, limit, over-capacity) overlaps those hours; cleared at the end of an hour back inside. Only
     * upward deviations count (a stop is not an anomaly here). No verdict on an hour without data or with fewer
     * than {@code minHistoryDays} comparable days.
     */
    private void patternAnomaly(RegistrySnapshot.Enterprise e, long hour) {
        AlarmRules.EffectiveRule r = rules.enterprise(PATTERN, e.id());
        if (r == null || !r.enabled()) {
            return;
        }
        List<Long> pts = new ArrayList<>();
        String scope = "TOTAL";
        for (String kind : List.of("TOTAL", "PRODUCTION")) {
            for (Long fid : e.facilityIds()) {
                RegistrySnapshot.Facility f = snapshot.facilities().get(fid);
                if (f != null && kind.equals(f.kind())) {
                    pts.addAll(f.pointIds());
                }
            }
            if (!pts.isEmpty()) {
                scope = kind;
                break;
            }
        }
        if (pts.isEmpty()) {
            return;
        }
        int window = r.integer("windowDays");
        int persist = r.integer("persistHours");
        long first = hour - (persist - 1) * HOUR;
        Map<Long, Double> energy = energyByBucket(pts, "1h", first - window * DAY, hour + HOUR);
        // hours under a stop or limit order are not the enterprise's usual pattern
        List<ProductionBaseline.Excluded> orders = ProductionBaseline.orderPeriods(named, e.id(), null,
                Instant.ofEpochMilli(first - window * DAY), Instant.ofEpochMilli(hour));
        energy.keySet().removeIf(h -> h < first && ProductionBaseline.Excluded.any(orders, h, h + HOUR));
        // the excess that counts: minExcessKw, or less for a small plant — a share of its usual peak hour (a night run
        // of a 15 kW plant at its daytime level is what this model is for), never below minExcessFloorKw (noise)
        double usualPeak = usualPeakHour(energy, first - window * DAY, first);
        double minExcess = Math.min(r.number("minExcessKw"),
                Math.max(r.number("minExcessFloorKw"), r.number("minExcessShare") * usualPeak));
        List<Map<String, Object>> hours = new ArrayList<>();
        boolean all = true;
        boolean last = false;
        for (long h = first; h <= hour; h += HOUR) {
            Double x = energy.get(h);
            if (x == null) {
                return; // an hour without data: no verdict
            }
            boolean we = weekend(h);
            List<Double> hist = new ArrayList<>();
            for (long d = h - DAY; d >= h - window * DAY; d -= DAY) {
                Double v = energy.get(d);
                if (v != null && weekend(d) == we) {
                    hist.add(v);
                }
            }
            if (hist.size() < r.integer("minHistoryDays")) {
                // too few days of the same type yet (a new plant's first weekend): the same hour of every day; a plant
                // that works less at weekends is then compared with busier days, which only makes an alarm rarer
                hist.clear();
                for (long d = h - DAY; d >= h - window * DAY; d -= DAY) {
                    Double v = energy.get(d);
                    if (v != null) {
                        hist.add(v);
                    }
                }
            }
            if (hist.size() < r.integer("minHistoryDays")) {
                return; // not enough history
            }
            double med = median(hist);
            double mad = median(hist.stream().map(v -> Math.abs(v - med)).toList());
            double upper = Math.max(r.number("medianFactor") * med, med + r.number("madFactor") * mad);
            last = x > upper && x - med >= minExcess;
            all &= last;
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("hour", iso(h));
            hm.put("kwh", round(x));
            hm.put("median", round(med));
            hm.put("mad", round(mad));
            hm.put("upper", round(upper));
            hm.put("weekend", we);
            hm.put("historyDays", hist.size());
            hm.put("out", last);
            hours.add(hm);
        }
        String subject = "enterprise:" + e.id();
        long at = hour + HOUR;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("scope", scope);
        ev.put("usualPeakKwh", round(usualPeak));
        ev.put("minExcessKwh", round(minExcess));
        ev.put("hours", hours);
        ev.put("dataTime", iso(at));
        if (!last) {
            ev.put("message", "用电恢复至同时段历史水平");
            alarms.clearIfOpen(PATTERN, subject, at, ev);
            return;
        }
        if (!all || alarms.isOpen(PATTERN, subject) || explained(e.id(), first, at)) {
            return;
        }
        Map<String, Object> h0 = hours.get(hours.size() - 1);
        ev.put("firstAbnormalAt", iso(first));
        ev.put("message", "[" + e.name() + "]" + ("TOTAL".equals(scope) ? "总用电" : "生产用电") + "自" + iso(first) + "起连续"
                + persist + "小时远高于同时段历史水平（" + (weekend(hour) ? "周末" : "工作日") + "，最近一小时" + h0.get("kwh")
                + "kWh，历史中位数" + h0.get("median") + "kWh），疑似异常生产，请关注");
        alarms.raise(PATTERN, subject, e.id(), null, null, null, null, at, ev);
    }

    /** The median over the days in [from, to) of each day's largest hourly energy (the hours left in the map). */
    static double usualPeakHour(Map<Long, Double> hourly, long from, long to) {
        Map<Long, Double> dayPeak = new HashMap<>();
        hourly.forEach((h, v) -> {
            if (h >= from && h < to) {
                dayPeak.merge(dayStart(h), v, Math::max);
            }
        });
        return dayPeak.isEmpty() ? 0 : median(new ArrayList<>(dayPeak.values()));
    }

    /** A production alarm of the enterprise overlapping [from, to) explains an unusual load. */
    private boolean explained(long enterpriseId, long from, long to) {
        Long n = jdbc.queryForObject("select count(*) from alarm where enterprise_id = ? and type in ("
                        + String.join(",", PRODUCTION_TYPES.stream().map(t -> "'" + t + "'").toList())
                        + ") and started_at < ? and (ended_at is null or ended_at > ?)", Long.class, enterpriseId,
                new Timestamp(to), new Timestamp(from));
        return n != null && n > 0;
    }
}
