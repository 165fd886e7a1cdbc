package com.powerwatch.platform.statistics;

import com.powerwatch.platform.alarm.AlarmLabels;
import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 综合分析: alarms and enterprises counted in SQL over a period (China days, by the alarm's start) and a region,
 * always within the caller's scope ({@link AccessScope#enterpriseFilter}). Every alarm that started in the period
 * counts, whatever became of it (cancelled ones too: the handling breakdown shows them).
 */
@Service
class AlarmStatistics {

    private static final String FROM = " from alarm a join enterprise e on e.id = a.enterprise_id";
    private static final String LEVEL_COUNTS = """
            count(*) filter (where a.level = 'LEVEL_1') as level_1, count(*) filter (where a.level = 'LEVEL_2') as level_2,
            count(*) filter (where a.level = 'LEVEL_3') as level_3, count(*) filter (where a.level = 'NOTICE') as notice,
            count(*) filter (where a.status = 'ACTIVE' and a.handling <> 'CANCELLED') as open""";

    private final NamedParameterJdbcTemplate jdbc;

    AlarmStatistics(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Alarms per China day and level. */
    Map<String, Object> trend(StatisticsPeriod period, String district) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = alarmWhere(period, district, p);
        Map<LocalDate, long[]> perDay = new LinkedHashMap<>();
        for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) {
            perDay.put(d, new long[AlarmLevel.values().length]);
        }
        jdbc.query("select (a.started_at at time zone 'Asia/Shanghai')::date as day, a.level, count(*) as n" + FROM + where
                + " group by 1, 2", p, rs -> {
            long[] counts = perDay.get(rs.getDate("day").toLocalDate());
            if (counts != null) {
                counts[AlarmLevel.valueOf(rs.getString("level")).ordinal()] = rs.getLong("n");
            }
        });
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = 0;
        for (Map.Entry<LocalDate, long[]> e : perDay.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", e.getKey());
            long sum = 0;
            for (AlarmLevel l : AlarmLevel.values()) {
                row.put(l.name(), e.getValue()[l.ordinal()]);
                sum += e.getValue()[l.ordinal()];
            }
            row.put("total", sum);
            total += sum;
            rows.add(row);
        }
        List<Map<String, Object>> levels = new ArrayList<>();
        for (AlarmLevel l : AlarmLevel.values()) {
            levels.add(Map.of("level", l.name(), "name", l.label()));
        }
        Map<String, Object> out = head(period, district);
        out.put("levels", levels);
        out.put("total", total);
        out.put("days", rows);
        return out;
    }

    /** Enterprises, districts or industries (GB/T 4754 大类) with the most alarms, most first. */
    Map<String, Object> ranking(String by, StatisticsPeriod period, String district, int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("limit", "排名条数应在 1 到 100 之间");
        }
        Grouping g = grouping(by, List.of("enterprise", "district", "industry"),
                "排名维度 by 应为 enterprise（企业）、district（区县）或 industry（行业）");
        String key = g.key();
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = alarmWhere(period, district, p);
        p.addValue("limit", limit);
        String extra = by.equals("enterprise") ? ", min(e.district_code) as district_code, min(r.name) as district_name"
                : ", count(distinct a.enterprise_id) as enterprises";
        List<Map<String, Object>> items = jdbc.query("select " + key + " as key, " + g.name() + " as name, count(*) as n, "
                + LEVEL_COUNTS + extra + FROM + g.join() + where + " group by " + key + " order by n desc, key limit :limit", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", i + 1);
            m.put("key", rs.getString("key"));
            m.put("name", rs.getString("name"));
            m.put("count", rs.getLong("n"));
            m.put("LEVEL_1", rs.getLong("level_1"));
            m.put("LEVEL_2", rs.getLong("level_2"));
            m.put("LEVEL_3", rs.getLong("level_3"));
            m.put("NOTICE", rs.getLong("notice"));
            m.put("open", rs.getLong("open"));
            if (by.equals("enterprise")) {
                m.put("districtCode", rs.getString("district_code"));
                m.put("districtName", rs.getString("district_name"));
            } else {
                m.put("enterprises", rs.getLong("enterprises"));
            }
            return m;
        });
        Map<String, Object> out = head(period, district);
        out.put("by", by);
        out.put("total", total(period, district));
        out.put("items", items);
        return out;
    }

    /** Alarms by type, category, level, handling state, dispatch workflow or status; every value listed, zeros too. */
    Map<String, Object> breakdown(String by, StatisticsPeriod period, String district) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = alarmWhere(period, district, p);
        List<Map<String, Object>> items = new ArrayList<>();
        switch (by == null ? "" : by) {
            case "type" -> {
                Map<String, Long> counts = counts("a.type", where, p);
                jdbc.query("select code, name, category, category_name from alarm_type order by sort_order", rs -> {
                    Map<String, Object> m = item(rs.getString("code"), rs.getString("name"), counts.getOrDefault(rs.getString("code"), 0L));
                    m.put("category", rs.getString("category"));
                    m.put("categoryName", rs.getString("category_name"));
                    items.add(m);
                });
            }
            case "category" -> {
                Map<String, Long> counts = counts("t.category", where, p);
                jdbc.query("select category, min(category_name) as name from alarm_type group by category order by min(sort_order)",
                        rs -> { items.add(item(rs.getString(1), rs.getString(2), counts.getOrDefault(rs.getString(1), 0L))); });
            }
            case "level" -> {
                Map<String, Long> counts = counts("a.level", where, p);
                for (AlarmLevel l : AlarmLevel.values()) {
                    items.add(item(l.name(), l.label(), counts.getOrDefault(l.name(), 0L)));
                }
            }
            case "handling" -> fixed(items, AlarmLabels.HANDLING, counts("a.handling", where, p));
            case "workflow" -> fixed(items, AlarmLabels.WORKFLOW, counts("coalesce(a.workflow, 'NONE')", where, p));
            case "status" -> fixed(items, AlarmLabels.STATUS, counts("a.status", where, p));
            default -> throw ApiException.badRequest("by", "统计维度 by 应为 type、category、level、handling、workflow 或 status");
        }
        Map<String, Object> out = head(period, district);
        out.put("by", by);
        out.put("total", items.stream().mapToLong(m -> (Long) m.get("count")).sum());
        out.put("items", items);
        return out;
    }

    /**
     * 企业按行业/区域占比: supervised (active) enterprises per industry (大类) or district, with how many of them had
     * alarms in the period and how many alarms.
     */
    Map<String, Object> enterpriseShare(String by, StatisticsPeriod period, String district) {
        Grouping g = grouping(by, List.of("industry", "district"), "占比维度 by 应为 industry（行业）或 district（区县）");
        MapSqlParameterSource p = new MapSqlParameterSource();
        AccessScope scope = AccessScope.current();
        p.addValues(scope.parameters());
        p.addValue("from", period.start()).addValue("to", period.end());
        StringBuilder w = new StringBuilder(" where e.status = 'ACTIVE' and ").append(scope.enterpriseFilter("e"));
        districtFilter(district, w, p);
        List<Map<String, Object>> items = jdbc.query("""
                select %s as key, %s as name, count(*) as enterprises, count(x.n) as alarm_enterprises, coalesce(sum(x.n), 0) as alarms
                from enterprise e %s
                left join (select a.enterprise_id, count(*) as n from alarm a
                           where a.started_at >= :from and a.started_at < :to group by a.enterprise_id) x on x.enterprise_id = e.id
                %s group by %s order by enterprises desc, key""".formatted(g.key(), g.name(), g.join(), w, g.key()), p, (rs, i) -> {
            Map<String, Object> m = item(rs.getString("key"), rs.getString("name"), rs.getLong("enterprises"));
            m.put("enterprises", rs.getLong("enterprises"));
            m.put("alarmEnterprises", rs.getLong("alarm_enterprises"));
            m.put("alarms", rs.getLong("alarms"));
            return m;
        });
        Map<String, Object> out = head(period, district);
        out.put("by", by);
        out.put("total", items.stream().mapToLong(m -> (Long) m.get("enterprises")).sum());
        out.put("items", items);
        return out;
    }

    /** The districts and industries (大类) of the enterprises in the caller's scope, for the filters' choices. */
    Map<String, Object> dimensions() {
        AccessScope scope = AccessScope.current();
        MapSqlParameterSource p = new MapSqlParameterSource(scope.parameters());
        String where = " where " + scope.enterpriseFilter("e");
        List<Map<String, Object>> districts = jdbc.query("""
                select e.district_code as code, min(r.name) as name, min(r.parent_code) as parent, count(*) as n
                from enterprise e left join region r on r.code = e.district_code""" + where
                + " group by e.district_code order by e.district_code", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", rs.getString("code"));
            m.put("name", rs.getString("name"));
            m.put("parentCode", rs.getString("parent"));
            m.put("enterprises", rs.getLong("n"));
            return m;
        });
        List<Map<String, Object>> industries = jdbc.query("""
                select left(e.industry_code, 2) as code, min(ig.name) as name, count(*) as n
                from enterprise e join industry ig on ig.code = left(e.industry_code, 2)""" + where
                + " group by 1 order by 1", p, (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", rs.getString("code"));
            m.put("name", rs.getString("name"));
            m.put("enterprises", rs.getLong("n"));
            return m;
        });
        // the region that holds them all (the city, usually): what "all districts" means for energy comparisons
        List<String> parents = districts.stream().map(d -> (String) d.get("parentCode")).filter(java.util.Objects::nonNull).distinct().toList();
        Map<String, Object> region = null;
        if (parents.size() == 1) {
            region = jdbc.query("select code, name from region where code = :c", Map.of("c", parents.get(0)),
                    (rs, i) -> Map.<String, Object>of("code", rs.getString(1), "name", rs.getString(2))).stream().findFirst().orElse(null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("region", region);
        out.put("districts", districts);
        out.put("industries", industries);
        return out;
    }

    // ---- helpers

    /** How rows are grouped: the SQL of the key, of its name, and the join that brings the name. */
    private record Grouping(String key, String name, String join) {
    }

    private static final Map<String, Grouping> GROUPINGS = Map.of(
            "enterprise", new Grouping("e.id::text", "min(e.name)", " left join region r on r.code = e.district_code"),
            "district", new Grouping("e.district_code", "min(r.name)", " left join region r on r.code = e.district_code"),
            // GB/T 4754 大类: the first two digits of the 小类
            "industry", new Grouping("coalesce(left(e.industry_code, 2), '')", "coalesce(min(ig.name), '未分类')",
                    " left join industry ig on ig.code = left(e.industry_code, 2)"));

    private static Grouping grouping(String by, List<String> allowed, String message) {
        if (by == null || !allowed.contains(by)) {
            throw ApiException.badRequest("by", message);
        }
        return GROUPINGS.get(by);
    }

    private String alarmWhere(StatisticsPeriod period, String district, MapSqlParameterSource p) {
        AccessScope scope = AccessScope.current();
        p.addValues(scope.parameters());
        p.addValue("from", period.start()).addValue("to", period.end());
        StringBuilder w = new StringBuilder(" where ").append(scope.enterpriseFilter("e"))
                .append(" and a.started_at >= :from and a.started_at < :to");
        districtFilter(district, w, p);
        return w.toString();
    }

    private static void districtFilter(String district, StringBuilder w, MapSqlParameterSource p) {
        if (district != null && !district.isBlank()) {
            w.append(" and e.district_code like :district");
            p.addValue("district", AccessScope.regionPrefix("district", district) + "%");
        }
    }

    private long total(StatisticsPeriod period, String district) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        Long n = jdbc.queryForObject("select count(*)" + FROM + alarmWhere(period, district, p), p, Long.class);
        return n == null ? 0 : n;
    }

    private Map<String, Long> counts(String key, String where, MapSqlParameterSource p) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("select " + key + ", count(*)" + FROM + " join alarm_type t on t.code = a.type" + where + " group by 1", p,
                rs -> { counts.put(rs.getString(1), rs.getLong(2)); });
        return counts;
    }

    private static void fixed(List<Map<String, Object>> items, Map<String, String> names, Map<String, Long> counts) {
        names.forEach((code, label) -> items.add(item(code, label, counts.getOrDefault(code, 0L))));
    }

    private static Map<String, Object> item(String key, String name, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("name", name);
        m.put("count", count);
        return m;
    }

    private static Map<String, Object> head(StatisticsPeriod period, String district) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", period.from());
        out.put("to", period.to());
        out.put("district", district == null || district.isBlank() ? null : district.trim());
        return out;
    }
}
