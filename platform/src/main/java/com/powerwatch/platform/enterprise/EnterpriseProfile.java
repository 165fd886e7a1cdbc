package com.powerwatch.platform.enterprise;

import com.powerwatch.ingest.gateway.DeviceSession;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.registry.EnterpriseService;
import com.powerwatch.platform.telemetry.HistoryService;
import com.powerwatch.platform.telemetry.RealtimeState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 一企一档: everything the enterprise page shows, in one answer, and its load curve. It composes what the other
 * features own — the registry's enterprise with its lines, facilities, loggers, points and associations
 * ({@link EnterpriseService#detail}, which checks the caller's scope: 404 unknown, 403 outside), the real-time state
 * ({@link RealtimeState}), energy and series ({@link HistoryService}) and production orders ({@link ProductionOrders})
 * — and adds what no API had in one answer: open alarms by level, the alarms still waiting for the enterprise's
 * explanation and the raw-frame figures per data logger.
 */
@Service
public class EnterpriseProfile {

    static final ZoneId CHINA = HistoryService.CHINA;
    /** Alarms older than this no longer wait for an explanation on the page. */
    static final int AWAITING_REASON_DAYS = 30;
    static final int AWAITING_REASON_LIMIT = 20;
    static final int RECENT_ORDERS = 10;

    /** The classes of facilities whose energy and load the page shows. */
    enum EnergyClass { TOTAL, PRODUCTION, TREATMENT }

    private final EnterpriseService registry;
    private final RealtimeState realtime;
    private final HistoryService history;
    private final ProductionOrders orders;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectProvider<TcpGateway> gateway;
    private final Clock clock;

    EnterpriseProfile(EnterpriseService registry, RealtimeState realtime, HistoryService history,
                      ProductionOrders orders, NamedParameterJdbcTemplate jdbc, ObjectProvider<TcpGateway> gateway) {
        this.registry = registry;
        this.realtime = realtime;
        this.history = history;
        this.orders = orders;
        this.jdbc = jdbc;
        this.gateway = gateway;
        this.clock = Clock.systemUTC();
    }

    // ---------------------------------------------------------------- the profile

    @SuppressWarnings("unchecked")
    public Map<String, Object> profile(long id) {
        Map<String, Object> reg = registry.detail(id); // the scope check: 404 / 403
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, CHINA);

        Map<String, Object> live = realtime.enterpriseDetail(id);
        Map<Long, Map<String, Object>> liveFacilities = new HashMap<>();
        Map<Long, Map<String, Object>> livePoints = new HashMap<>();
        if (live != null) {
            for (Map<String, Object> f : (List<Map<String, Object>>) live.get("facilities")) {
                liveFacilities.put(((Number) f.get("id")).longValue(), f);
                for (Map<String, Object> p : (List<Map<String, Object>>) f.get("points")) {
                    livePoints.put(((Number) p.get("id")).longValue(), p);
                }
            }
        }

        List<Map<String, Object>> recentOrders = orders.list(id, null, null, null, null, 0, RECENT_ORDERS).items();
        List<Map<String, Object>> ordersOut = new ArrayList<>();
        Set<Long> ordered = new HashSet<>();
        boolean wholeEnterpriseOrdered = false;
        for (Map<String, Object> o : recentOrders) {
            Map<String, Object> m = new LinkedHashMap<>(o);
            boolean inForce = "ACTIVE".equals(o.get("status")) && !instant(o.get("validFrom")).isAfter(now)
                    && instant(o.get("validTo")).isAfter(now);
            m.put("inForce", inForce);
            ordersOut.add(m);
            if (inForce) {
                List<Long> ids = (List<Long>) o.get("facilityIds");
                if (ids.isEmpty()) {
                    wholeEnterpriseOrdered = true;
                } else {
                    ordered.addAll(ids);
                }
            }
        }

        List<Map<String, Object>> points = (List<Map<String, Object>>) reg.get("monitoringPoints");
        Map<Long, List<Long>> pointsOf = new HashMap<>();
        for (Map<String, Object> p : points) {
            if ("ACTIVE".equals(p.get("status"))) {
                pointsOf.computeIfAbsent((Long) p.get("facilityId"), k -> new ArrayList<>()).add((Long) p.get("id"));
            }
        }
        Map<Long, String> lineNames = new HashMap<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) reg.get("productionLines")) {
            lineNames.put(((Number) l.get("id")).longValue(), (String) l.get("name"));
        }
        List<Map<String, Object>> facilities = new ArrayList<>();
        Map<EnergyClass, List<Long>> classPoints = new LinkedHashMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) reg.get("facilities")) {
            if (!"ACTIVE".equals(f.get("status"))) {
                continue;
            }
            long fid = ((Number) f.get("id")).longValue();
            List<Long> pids = pointsOf.getOrDefault(fid, List.of());
            classPoints.computeIfAbsent(EnergyClass.valueOf((String) f.get("kind")), k -> new ArrayList<>()).addAll(pids);
            facilities.add(facility(f, liveFacilities.get(fid), pids, livePoints, lineNames,
                    "PRODUCTION".equals(f.get("kind")) && (wholeEnterpriseOrdered || ordered.contains(fid))));
        }

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> basic = new LinkedHashMap<>(reg);
        for (String k : List.of("productionLines", "facilities", "dataLoggers", "monitoringPoints", "associations")) {
            basic.remove(k);
        }
        out.put("enterprise", basic);
        out.put("state", state(live));
        out.put("energy", energy(id, today, classPoints));
        out.put("lines", reg.get("productionLines"));
        out.put("facilities", facilities);
        out.put("associations", reg.get("associations"));
        out.put("orders", ordersOut);
        out.put("alarms", alarmSummary(id, now));
        out.put("loggers", loggers(id, today, (List<Map<String, Object>>) reg.get("dataLoggers"), points, livePoints));
        out.put("generatedAt", now.atZone(CHINA).toOffsetDateTime());
        return out;
    }

    private static Map<String, Object> state(Map<String, Object> live) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", live == null ? RealtimeState.Status.UNKNOWN : live.get("state"));
        m.put("reason", live == null ? null : live.get("reason"));
        m.put("since", live == null ? null : live.get("since"));
        m.put("facilityCounts", live == null ? Map.of() : live.get("facilityCounts"));
        return m;
    }

    /** A facility as the flow diagram draws it: registry facts, live state and value, thresholds in force, power. */
    private static Map<String, Object> facility(Map<String, Object> f, Map<String, Object> live, List<Long> pointIds,
                                                Map<Long, Map<String, Object>> livePoints, Map<Long, String> lineNames,
                                                boolean underOrder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.get("id"));
        m.put("name", f.get("name"));
        m.put("kind", f.get("kind"));
        Object line = f.get("productionLineId");
        m.put("productionLineId", line);
        m.put("productionLineName", line == null ? null : lineNames.get(((Number) line).longValue()));
        m.put("processType", f.get("processType"));
        m.put("ratedKw", f.get("ratedKw"));
        String quantity = (String) f.get("thresholdQuantity");
        m.put("thresholdQuantity", quantity);
        m.put("unit", "I".equals(quantity) ? "A" : "kW");
        m.put("state", live == null ? RealtimeState.Status.UNKNOWN : live.get("state"));
        m.put("reason", live == null ? null : live.get("reason"));
        m.put("since", live == null ? null : live.get("since"));
        m.put("value", live == null ? null : live.get("value"));
        m.put("stopBelow", live == null ? f.get("stopBelow") : live.get("stopBelow"));
        m.put("runAbove", live == null ? f.get("runAbove") : live.get("runAbove"));
        m.put("abnormalBelow", live == null ? f.get("abnormalBelow") : live.get("abnormalBelow"));
        m.put("powerKw", power(pointIds, livePoints));
        m.put("pointIds", pointIds);
        m.put("underOrder", underOrder);
        return m;
    }

    /** Sum of the active power of the facility's points that are not offline; null when none reports P. */
    private static Double power(List<Long> pointIds, Map<Long, Map<String, Object>> livePoints) {
        double sum = 0;
        boolean any = false;
        for (Long pid : pointIds) {
            Map<String, Object> p = livePoints.get(pid);
            if (p == null || p.get("state") == RealtimeState.Status.OFFLINE) {
                continue;
            }
            Object v = ((Map<?, ?>) p.get("values")).get("P");
            if (v instanceof Number n) {
                sum += n.doubleValue();
                any = true;
            }
        }
        return any ? Math.round(sum * 100) / 100.0 : null;
    }

    // ---------------------------------------------------------------- energy

    /**
     * kWh today, this month and this year per class, from the daily aggregates through {@link HistoryService#energy}.
     * Total is what the history API calls the enterprise's energy (its total meters, or production + treatment when
     * it has none); null = no data in that period.
     */
    private Map<String, Object> energy(long id, LocalDate today, Map<EnergyClass, List<Long>> classPoints) {
        LocalDate yearStart = today.withDayOfYear(1);
        LocalDate tomorrow = today.plusDays(1);
        String day = today.toString();
        String month = day.substring(0, 7);
        Map<String, Map<String, Object>> periods = new LinkedHashMap<>();
        for (String p : List.of("today", "month", "year")) {
            periods.put(p, new LinkedHashMap<>());
        }
        String basis = null;
        for (EnergyClass c : EnergyClass.values()) {
            HistoryService.Subject subject = switch (c) {
                case TOTAL -> history.subject("enterprise", id);
                default -> new HistoryService.Subject("enterprise", id, classPoints.getOrDefault(c, List.of()), c.name());
            };
            if (c == EnergyClass.TOTAL) {
                basis = subject.basis();
            }
            Double t = null;
            Double mo = null;
            Double y = null;
            for (Object o : (List<?>) history.energy(subject, yearStart, tomorrow, "day").get("periods")) {
                Map<?, ?> period = (Map<?, ?>) o;
                Double e = (Double) period.get("energy");
                if (e == null) {
                    continue;
                }
                String when = (String) period.get("period");
                y = add(y, e);
                if (when.startsWith(month)) {
                    mo = add(mo, e);
                }
                if (when.equals(day)) {
                    t = add(t, e);
                }
            }
            String key = c.name().toLowerCase();
            periods.get("today").put(key, round(t));
            periods.get("month").put(key, round(mo));
            periods.get("year").put(key, round(y));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", "kWh");
        m.put("basis", basis);
        m.put("day", today);
        m.putAll(periods);
        return m;
    }

    private static Double add(Double sum, double v) {
        return sum == null ? v : sum + v;
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 100) / 100.0;
    }

    // ---------------------------------------------------------------- alarms

    /**
     * Open alarms by level — "open" as the real-time list counts them (AlarmQueries, status=active: ACTIVE and not
     * cancelled) — and the alarms still waiting for the enterprise's explanation (no REASON step yet, neither cancelled
     * nor handled, started within {@link #AWAITING_REASON_DAYS} days).
     */
    private Map<String, Object> alarmSummary(long id, Instant now) {
        Map<String, Long> byLevel = new LinkedHashMap<>();
        for (String level : List.of("LEVEL_1", "LEVEL_2", "LEVEL_3", "NOTICE")) {
            byLevel.put(level, 0L);
        }
        jdbc.query("""
                select a.level, count(*) from alarm a
                where a.enterprise_id = :id and a.status = 'ACTIVE' and a.handling <> 'CANCELLED' group by a.level""",
                Map.of("id", id), rs -> {
                    byLevel.put(rs.getString(1), rs.getLong(2));
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open", byLevel.values().stream().mapToLong(Long::longValue).sum());
        m.put("openByLevel", byLevel);
        long[] total = {0};
        List<Map<String, Object>> awaiting = jdbc.query("""
                select a.id, a.type, t.name as type_name, a.level, a.status, a.handling, a.started_at, a.last_seen_at,
                       f.name as facility_name, a.mn, count(*) over () as total
                from alarm a join alarm_type t on t.code = a.type left join facility f on f.id = a.facility_id
                where a.enterprise_id = :id and a.handling in ('UNCONFIRMED', 'CONFIRMED') and a.started_at >= :since
                  and not exists (select 1 from alarm_step s where s.alarm_id = a.id and s.action = 'REASON')
                order by a.started_at desc, a.id desc limit :limit""",
                Map.of("id", id, "since", Timestamp.from(now.minusSeconds(AWAITING_REASON_DAYS * 86400L)),
                        "limit", AWAITING_REASON_LIMIT), (rs, i) -> {
                    total[0] = rs.getLong("total");
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("id", rs.getLong("id"));
                    a.put("type", rs.getString("type"));
                    a.put("typeName", rs.getString("type_name"));
                    a.put("level", rs.getString("level"));
                    a.put("status", rs.getString("status"));
                    a.put("handling", rs.getString("handling"));
                    a.put("startedAt", time(rs.getTimestamp("started_at")));
                    a.put("lastSeenAt", time(rs.getTimestamp("last_seen_at")));
                    a.put("facilityName", rs.getString("facility_name"));
                    a.put("mn", rs.getString("mn"));
                    return a;
                });
        m.put("awaitingReason", total[0]);
        m.put("awaitingReasonDays", AWAITING_REASON_DAYS);
        m.put("awaitingReasonItems", awaiting);
        return m;
    }

    // ---------------------------------------------------------------- communication

    /**
     * Each data logger: online (a point of it receives data within its offline limit; without points, a connection
     * to the gateway), whether the gateway holds a connection, the last frame received and today's frames from the
     * raw-frame trace (its (mn, received_at) index; today's partition only for the count), and its points.
     */
    private List<Map<String, Object>> loggers(long id, LocalDate today, List<Map<String, Object>> loggers,
                                              List<Map<String, Object>> points, Map<Long, Map<String, Object>> livePoints) {
        if (loggers.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, Object>> frames = new HashMap<>();
        jdbc.query("""
                select d.mn,
                       (select max(r.received_at) from raw_frame r where r.mn = d.mn) as last_frame,
                       (select count(*) from raw_frame r where r.mn = d.mn and r.received_at >= :today) as frames_today,
                       (select count(*) from raw_frame r where r.mn = d.mn and r.received_at >= :today
                                                           and r.verdict <> 'VALID') as rejected_today
                from data_logger d where d.enterprise_id = :id""",
                Map.of("id", id, "today", Timestamp.from(today.atStartOfDay(CHINA).toInstant())), rs -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("lastFrameAt", time(rs.getTimestamp("last_frame")));
                    m.put("framesToday", rs.getLong("frames_today"));
                    m.put("rejectedToday", rs.getLong("rejected_today"));
                    frames.put(rs.getString("mn"), m);
                });
        TcpGateway gw = gateway.getIfAvailable();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> l : loggers) {
            String mn = (String) l.get("mn");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mn", mn);
            m.put("vendor", l.get("vendor"));
            m.put("model", l.get("model"));
            DeviceSession session = gw == null ? null : gw.session(mn);
            Boolean connected = session == null ? null : session.online();
            List<Map<String, Object>> served = new ArrayList<>();
            boolean receiving = false;
            OffsetDateTime lastData = null;
            for (Map<String, Object> p : points) {
                if (!mn.equals(p.get("mn"))) {
                    continue;
                }
                Map<String, Object> lp = livePoints.get((Long) p.get("id"));
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", p.get("id"));
                s.put("name", p.get("name"));
                s.put("channel", p.get("channel"));
                s.put("facilityId", p.get("facilityId"));
                s.put("facilityName", p.get("facilityName"));
                s.put("facilityKind", p.get("facilityKind"));
                s.put("status", p.get("status"));
                s.put("state", lp == null ? RealtimeState.Status.UNKNOWN : lp.get("state"));
                s.put("reason", lp == null ? null : lp.get("reason"));
                s.put("dataTime", lp == null ? null : lp.get("dataTime"));
                served.add(s);
                if (lp != null && lp.get("state") != RealtimeState.Status.OFFLINE && lp.get("dataTime") != null) {
                    receiving = true;
                }
                OffsetDateTime received = lp == null ? null : (OffsetDateTime) lp.get("receivedAt");
                if (received != null && (lastData == null || received.isAfter(lastData))) {
                    lastData = received;
                }
            }
            Map<String, Object> f = frames.getOrDefault(mn, Map.of());
            Object lastFrame = f.get("lastFrameAt");
            m.put("online", served.isEmpty() ? Boolean.TRUE.equals(connected) : receiving);
            m.put("connected", connected);
            m.put("lastFrameAt", lastFrame != null ? lastFrame : lastData); // the trace keeps 30 days; then the last data
            m.put("framesToday", f.getOrDefault("framesToday", 0L));
            m.put("rejectedToday", f.getOrDefault("rejectedToday", 0L));
            m.put("points", served);
            out.add(m);
        }
        return out;
    }

    // ---------------------------------------------------------------- the load curve

    /**
     * The load curve: the total, production and treatment power of the enterprise (default), or of the listed
     * facilities of it, over [from, to), through {@link HistoryService#series} (same buckets and downsampling as the
     * history API), each series with the thresholds in force when it is one kW facility; and the production orders
     * in force during the range, to shade.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> load(long id, Instant from, Instant to, String grain, int maxPoints, List<Long> facilityIds) {
        Map<String, Object> reg = registry.detail(id); // the scope check: 404 / 403
        Map<String, Object> live = realtime.enterpriseDetail(id);
        Map<Long, Map<String, Object>> liveFacilities = new HashMap<>();
        if (live != null) {
            for (Map<String, Object> f : (List<Map<String, Object>>) live.get("facilities")) {
                liveFacilities.put(((Number) f.get("id")).longValue(), f);
            }
        }
        Map<Long, Map<String, Object>> facilities = new LinkedHashMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) reg.get("facilities")) {
            facilities.put(((Number) f.get("id")).longValue(), f);
        }
        Map<Long, List<Long>> pointsOf = new HashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) reg.get("monitoringPoints")) {
            if ("ACTIVE".equals(p.get("status"))) {
                pointsOf.computeIfAbsent((Long) p.get("facilityId"), k -> new ArrayList<>()).add((Long) p.get("id"));
            }
        }
        List<Map<String, Object>> series = new ArrayList<>();
        Map<String, Object> shape = null;
        if (facilityIds == null || facilityIds.isEmpty()) {
            for (EnergyClass c : EnergyClass.values()) {
                List<Long> members = new ArrayList<>();
                List<Long> pids = new ArrayList<>();
                for (Map<String, Object> f : facilities.values()) {
                    long fid = ((Number) f.get("id")).longValue();
                    if (c.name().equals(f.get("kind")) && "ACTIVE".equals(f.get("status"))) {
                        members.add(fid);
                        pids.addAll(pointsOf.getOrDefault(fid, List.of()));
                    }
                }
                HistoryService.Subject subject = c == EnergyClass.TOTAL ? history.subject("enterprise", id)
                        : new HistoryService.Subject("enterprise", id, pids, c.name());
                if (c != EnergyClass.TOTAL && members.isEmpty()) {
                    continue;
                }
                Map<String, Object> s = history.series(subject, from, to, grain, maxPoints);
                shape = shape == null ? s : shape;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", c.name());
                m.put("kind", c.name());
                m.put("basis", subject.basis());
                m.put("facilityIds", members);
                // thresholds apply to the sum only when it is a single facility's
                m.put("thresholds", members.size() == 1 ? thresholds(liveFacilities.get(members.get(0)), facilities.get(members.get(0))) : null);
                m.put("points", s.get("points"));
                series.add(m);
            }
        } else {
            for (Long fid : new java.util.LinkedHashSet<>(facilityIds)) {
                Map<String, Object> f = facilities.get(fid);
                if (f == null) {
                    throw ApiException.badRequest("facilityIds", "facility " + fid + " is not a facility of enterprise " + id);
                }
                Map<String, Object> s = history.series(new HistoryService.Subject("facility", fid, pointsOf.getOrDefault(fid, List.of()), null),
                        from, to, grain, maxPoints);
                shape = shape == null ? s : shape;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", "facility:" + fid);
                m.put("kind", f.get("kind"));
                m.put("facilityId", fid);
                m.put("name", f.get("name"));
                m.put("thresholds", thresholds(liveFacilities.get(fid), f));
                m.put("points", s.get("points"));
                series.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enterpriseId", id);
        out.put("from", from.atZone(CHINA).toOffsetDateTime());
        out.put("to", to.atZone(CHINA).toOffsetDateTime());
        out.put("bucket", shape == null ? null : shape.get("bucket"));
        out.put("bucketSeconds", shape == null ? null : shape.get("bucketSeconds"));
        out.put("unit", "kW");
        out.put("series", series);
        out.put("orders", ordersDuring(id, from, to));
        return out;
    }

    /** Thresholds in force (the real-time state's) of a kW facility; null for one judged on current (A). */
    private static Map<String, Object> thresholds(Map<String, Object> live, Map<String, Object> registered) {
        Map<String, Object> src = live != null ? live : registered;
        if (src == null || "I".equals(registered.get("thresholdQuantity"))) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stopBelow", src.get("stopBelow"));
        m.put("runAbove", src.get("runAbove"));
        m.put("abnormalBelow", src.get("abnormalBelow"));
        return m;
    }

    private List<Map<String, Object>> ordersDuring(long id, Instant from, Instant to) {
        return jdbc.query("""
                select id, kind, limit_percent, facility_ids, valid_from, valid_to, reason, source
                from production_order
                where enterprise_id = :id and status = 'ACTIVE' and valid_from < :to and valid_to > :from
                order by valid_from, id""", Map.of("id", id, "from", Timestamp.from(from), "to", Timestamp.from(to)), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("kind", rs.getString("kind"));
            m.put("limitPercent", rs.getBigDecimal("limit_percent"));
            java.sql.Array a = rs.getArray("facility_ids");
            m.put("facilityIds", a == null ? List.of() : java.util.Arrays.stream((Object[]) a.getArray())
                    .map(v -> ((Number) v).longValue()).toList());
            m.put("validFrom", time(rs.getTimestamp("valid_from")));
            m.put("validTo", time(rs.getTimestamp("valid_to")));
            m.put("reason", rs.getString("reason"));
            m.put("source", rs.getString("source"));
            return m;
        });
    }

    private static OffsetDateTime time(Timestamp t) {
        return t == null ? null : t.toInstant().atZone(CHINA).toOffsetDateTime();
    }

    private static Instant instant(Object o) {
        return o instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH;
    }
}
