package com.powerwatch.platform.dashboard;

import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.dashboard.EnterpriseFacts.Fact;
import com.powerwatch.platform.telemetry.HistoryService;
import com.powerwatch.platform.telemetry.RealtimeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.powerwatch.platform.dashboard.EnterpriseFacts.OPEN_ALARM;
import static com.powerwatch.platform.dashboard.EnterpriseFacts.ORDER_IN_FORCE;
import static com.powerwatch.platform.dashboard.EnterpriseFacts.SUPERVISED;

/** 首页一张图: the map's rows, the KPI cards and charts (aggregated in SQL, scoped), the base-map settings. */
@Service
class DashboardService {

    private static final Logger log = LoggerFactory.getLogger(DashboardService.class);
    private static final List<String> LEVELS = List.of("LEVEL_1", "LEVEL_2", "LEVEL_3", "NOTICE");

    private final NamedParameterJdbcTemplate jdbc;
    private final EnterpriseFacts facts;
    private final HistoryService history;
    private final MapProperties map;
    private final RealtimeState realtime;

    DashboardService(NamedParameterJdbcTemplate jdbc, EnterpriseFacts facts, HistoryService history, MapProperties map,
                     RealtimeState realtime) {
        this.jdbc = jdbc;
        this.realtime = realtime;
        this.facts = facts;
        this.history = history;
        this.map = map;
    }

    List<Map<String, Object>> map() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Fact f : facts.load(null, null)) {
            Map<String, Object> m = f.basics();
            m.put("lng", f.lng());
            m.put("lat", f.lat());
            m.put("mapState", f.mapState());
            m.put("state", f.state());          // the real-time state, for patching from /api/realtime/stream
            m.put("ordered", f.orderKind() != null);
            m.put("openAlarms", f.openAlarms());
            m.put("maxAlarmLevel", f.maxAlarmLevel());
            out.add(m);
        }
        return out;
    }

    Map<String, Object> summary(String district) {
        AccessScope scope = AccessScope.current();
        Map<String, Object> p = new HashMap<>(scope.parameters());
        String where = scope.enterpriseFilter("e") + " and " + SUPERVISED;
        if (district != null && !district.isBlank()) {
            where += " and e.district_code like :district";
            p.put("district", AccessScope.regionPrefix("district", district) + "%");
        }
        LocalDate today = LocalDate.now(QnGenerator.CHINA);
        p.put("today", Timestamp.from(today.atStartOfDay(QnGenerator.CHINA).toInstant()));

        Map<String, Object> kpi = new LinkedHashMap<>(jdbc.queryForMap("""
                select count(*) as enterprises,
                       count(*) filter (where exists (select 1 from production_order o where o.enterprise_id = e.id and %s)) as limited,
                       count(*) filter (where exists (select 1 from alarm a where a.enterprise_id = e.id and %s)) as problem,
                       (select count(*) from data_logger d join enterprise e on e.id = d.enterprise_id where %s) as loggers
                from enterprise e where %s""".formatted(ORDER_IN_FORCE, OPEN_ALARM, where, where), p));
        // online: from the real-time state (a logger is online while one of its points is)
        int loggersOnline = 0;
        int points = 0;
        int pointsOnline = 0;
        Map<Long, RealtimeState.Glance> glances = realtime.glances();
        for (Long id : jdbc.queryForList("select e.id from enterprise e where " + where, p, Long.class)) {
            RealtimeState.Glance g = glances.get(id);
            if (g != null) {
                loggersOnline += g.loggersOnline();
                points += g.points();
                pointsOnline += g.pointsOnline();
            }
        }
        long loggers = ((Number) kpi.get("loggers")).longValue();
        kpi.put("loggersOnline", loggersOnline);
        kpi.put("onlineRate", loggers == 0 ? null : Math.round(10000.0 * Math.min(loggersOnline, loggers) / loggers) / 10000.0);
        kpi.put("points", points);
        kpi.put("pointsOnline", pointsOnline);
        kpi.put("pointsOnlineRate", points == 0 ? null : Math.round(10000.0 * pointsOnline / points) / 10000.0);

        Map<String, Long> byLevel = new LinkedHashMap<>();
        LEVELS.forEach(l -> byLevel.put(l, 0L));
        jdbc.query("select a.level, count(*) from alarm a join enterprise e on e.id = a.enterprise_id where " + where + " and "
                + OPEN_ALARM + " group by a.level", p, rs -> { byLevel.put(rs.getString(1), rs.getLong(2)); });
        kpi.put("openAlarms", byLevel.values().stream().mapToLong(Long::longValue).sum());
        kpi.put("openAlarmsByLevel", byLevel);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("district", district);
        out.put("kpi", kpi);
        out.put("energy", energy("select e.id from enterprise e where " + where, p, today));
        out.put("byIndustry", jdbc.query("""
                select coalesce(left(e.industry_code, 2), '') as code, coalesce(i.name, '未分类') as name, count(*) as n
                from enterprise e left join industry i on i.code = left(e.industry_code, 2)
                where %s group by 1, 2 order by 3 desc, 1""".formatted(where), p, (rs, i) -> share(rs.getString(1),
                rs.getString(2), rs.getLong(3))));
        out.put("byDistrict", jdbc.query("""
                select e.district_code, coalesce(r.name, e.district_code), count(*) from enterprise e
                left join region r on r.code = e.district_code
                where %s group by 1, 2 order by 3 desc, 1""".formatted(where), p, (rs, i) -> share(rs.getString(1),
                rs.getString(2), rs.getLong(3))));
        out.put("alarmRanking", jdbc.query("""
                select e.district_code, coalesce(r.name, e.district_code),
                       count(*) filter (where %s) as open, count(*) filter (where a.started_at >= :today) as today
                from alarm a join enterprise e on e.id = a.enterprise_id left join region r on r.code = e.district_code
                where %s and (%s or a.started_at >= :today)
                group by 1, 2 order by 3 desc, 4 desc, 1""".formatted(OPEN_ALARM, where, OPEN_ALARM), p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", rs.getString(1));
            m.put("name", rs.getString(2));
            m.put("open", rs.getLong(3));
            m.put("today", rs.getLong(4));
            return m;
        }));
        return out;
    }

    /** 用电量环比: kWh per day of the last 7 China days (today so far included) against the 7 before. */
    private Map<String, Object> energy(String enterprises, Map<String, Object> p, LocalDate today) {
        LocalDate from = today.minusDays(13);
        Map<LocalDate, Double> daily = history.dailyEnergy(enterprises, p, from, today.plusDays(1));
        List<Map<String, Object>> days = new ArrayList<>();
        double current = 0;
        double previous = 0;
        boolean anyCurrent = false;
        boolean anyPrevious = false;
        for (int i = 0; i < 7; i++) {
            LocalDate day = today.minusDays(6 - i);
            LocalDate before = day.minusDays(7);
            Double e = daily.get(day);
            Double b = daily.get(before);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("day", day);
            m.put("energy", e);
            m.put("previousDay", before);
            m.put("previousEnergy", b);
            days.add(m);
            if (e != null) {
                current += e;
                anyCurrent = true;
            }
            if (b != null) {
                previous += b;
                anyPrevious = true;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unit", "kWh");
        out.put("days", days);
        out.put("current", anyCurrent ? Math.round(current * 10) / 10.0 : null);
        out.put("previous", anyPrevious ? Math.round(previous * 10) / 10.0 : null);
        out.put("momPercent", anyCurrent && anyPrevious && previous > 0
                ? Math.round((current - previous) / previous * 10000) / 100.0 : null);
        return out;
    }

    private static Map<String, Object> share(String code, String name, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("count", count);
        return m;
    }

    Map<String, Object> mapConfig() {
        MapProperties.Tiles t = map.tiles();
        String source = t.source() == null ? "none" : t.source().trim().toLowerCase(Locale.ROOT);
        Map<String, Object> tiles = new LinkedHashMap<>();
        switch (source) {
            case "tianditu" -> {
                if (t.tiandituKey().isBlank() && t.url().isBlank()) {
                    log.warn("powerwatch.web.map.tiles.source is tianditu but tianditu-key is not set: the map stays offline");
                    source = "none";
                    break;
                }
                String wmts = "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s"
                        + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + t.tiandituKey();
                tiles.put("url", or(t.url(), wmts.formatted("vec", "vec")));
                tiles.put("labelUrl", or(t.labelUrl(), wmts.formatted("cva", "cva")));
                tiles.put("subdomains", or(t.subdomains(), "01234567"));
                tiles.put("coordinates", or(t.coordinates(), "WGS84"));
                tiles.put("attribution", "© 天地图");
            }
            case "amap" -> {
                tiles.put("url", or(t.url(), "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"));
                tiles.put("labelUrl", t.labelUrl().isBlank() ? null : t.labelUrl());
                tiles.put("subdomains", or(t.subdomains(), "1234"));
                tiles.put("coordinates", or(t.coordinates(), "GCJ02"));
                tiles.put("attribution", "© 高德地图");
            }
            case "none" -> { }
            default -> {
                log.warn("powerwatch.web.map.tiles.source {} is not none, tianditu or amap: the map stays offline", source);
                source = "none";
            }
        }
        tiles.put("source", source);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adcode", map.adcode());
        out.put("city", map.city());
        out.put("center", map.center());
        out.put("zoom", map.zoom());
        out.put("boundaries", or(map.boundaries(), "/map/" + map.adcode() + ".json"));
        out.put("tiles", tiles);
        return out;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
