package com.powerwatch.platform.dashboard;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.dashboard.EnterpriseFacts.Comm;
import com.powerwatch.platform.dashboard.EnterpriseFacts.Fact;
import com.powerwatch.platform.dashboard.EnterpriseFacts.OrderState;
import com.powerwatch.platform.telemetry.EnterpriseAccess;
import com.powerwatch.platform.telemetry.RealtimeState.Status;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * 情况总览: the enterprises in scope with 区县, 企业名称, 行业 and four states — 排放 (production side), 治污 (treatment
 * side), 限停 (order kept or not), 通讯 (points online) — and their open alarms. Name, district and industry are filtered
 * in SQL; the abnormality type, the sort and the page work on the joined rows in memory (5,000 rows: a few ms).
 */
@Service
class OverviewService {

    static final int MAX_SIZE = 500;

    /** Abnormality types of the filter. */
    enum Abnormality {
        /** 有未关闭报警 */
        ALARM(f -> f.openAlarms() > 0),
        /** 治污设施异常 */
        TREATMENT(f -> f.treatment() == Status.ABNORMAL),
        /** 限停产未落实 */
        ORDER(f -> f.orderState() == OrderState.VIOLATED),
        /** 限停产中 */
        ORDERED(f -> f.orderState() != OrderState.NONE),
        /** 通讯异常 (some or all points offline) */
        OFFLINE(f -> f.comm() != Comm.ONLINE),
        /** 生产停运 */
        STOPPED(f -> f.production() == Status.STOPPED);

        final Predicate<Fact> test;

        Abnormality(Predicate<Fact> test) {
            this.test = test;
        }
    }

    record Query(String q, String district, String industry, String abnormality, int page, int size, String sort) {
    }

    /** Sortable columns; ties go by district, name and id. */
    private static final Map<String, Comparator<Fact>> SORTS = Map.of(
            "district", Comparator.comparing(Fact::districtCode, Comparator.nullsLast(Comparator.naturalOrder())),
            "name", Comparator.comparing(Fact::name),
            "industry", Comparator.comparing(Fact::industryCode, Comparator.nullsLast(Comparator.naturalOrder())),
            "openAlarms", Comparator.comparingInt(Fact::openAlarms),
            "emission", Comparator.comparing(f -> rank(f.production())),
            "treatment", Comparator.comparing(f -> rank(f.treatment())),
            "order", Comparator.comparing(Fact::orderState),
            "comm", Comparator.comparing(Fact::comm));
    private static final Comparator<Fact> TIES = SORTS.get("district").thenComparing(SORTS.get("name"))
            .thenComparingLong(Fact::id);

    private final EnterpriseFacts facts;

    OverviewService(EnterpriseFacts facts) {
        this.facts = facts;
    }

    Map<String, Object> list(Query query) {
        if (query.page() < 0) {
            throw ApiException.badRequest("page", "page starts at 0");
        }
        if (query.size() < 1 || query.size() > MAX_SIZE) {
            throw ApiException.badRequest("size", "size must be between 1 and " + MAX_SIZE);
        }
        Abnormality abnormality = null;
        if (query.abnormality() != null && !query.abnormality().isBlank()) {
            try {
                abnormality = Abnormality.valueOf(query.abnormality().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("abnormality", "abnormality is one of ALARM, TREATMENT, ORDER, ORDERED, OFFLINE, STOPPED");
            }
        }
        Comparator<Fact> order = sort(query.sort());

        List<String> conditions = new ArrayList<>();
        Map<String, Object> p = new HashMap<>();
        if (query.q() != null && !query.q().isBlank()) {
            conditions.add("e.name ilike :q escape '\\'");
            p.put("q", "%" + query.q().trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (query.district() != null && !query.district().isBlank()) {
            conditions.add("e.district_code like :district");
            p.put("district", AccessScope.regionPrefix("district", query.district()) + "%");
        }
        if (query.industry() != null && !query.industry().isBlank()) {
            if (!query.industry().trim().matches("[A-Z]|\\d{2,4}")) {
                throw ApiException.badRequest("industry", "an industry code (GB/T 4754) is a letter or 2 to 4 digits: " + query.industry());
            }
            conditions.add("e.industry_code in " + EnterpriseAccess.INDUSTRY_TREE);
            p.put("industry", query.industry().trim());
        }
        List<Fact> rows = facts.load(conditions.isEmpty() ? null : String.join(" and ", conditions), p);

        Map<Abnormality, Integer> counts = new EnumMap<>(Abnormality.class);
        for (Abnormality a : Abnormality.values()) {
            counts.put(a, (int) rows.stream().filter(a.test).count());
        }
        if (abnormality != null) {
            rows = rows.stream().filter(abnormality.test).toList();
        }
        rows = rows.stream().sorted(order).toList();
        int from = (int) Math.min((long) query.page() * query.size(), rows.size());
        int to = Math.min(from + query.size(), rows.size());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Fact f : rows.subList(from, to)) {
            items.add(row(f));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("total", rows.size());
        out.put("page", query.page());
        out.put("size", query.size());
        out.put("abnormalityCounts", counts);
        return out;
    }

    private static Map<String, Object> row(Fact f) {
        Map<String, Object> m = f.basics();
        m.put("state", f.state());
        m.put("reason", f.glance() == null ? null : f.glance().reason());
        m.put("emission", f.production());
        m.put("treatment", f.treatment() == null ? "NONE" : f.treatment());
        m.put("order", f.orderState());
        m.put("orderKind", f.orderKind());
        m.put("comm", f.comm());
        m.put("pointsOnline", f.glance() == null ? 0 : f.glance().pointsOnline());
        m.put("points", f.glance() == null ? 0 : f.glance().points());
        m.put("openAlarms", f.openAlarms());
        m.put("maxAlarmLevel", f.maxAlarmLevel());
        m.put("mapState", f.mapState());
        return m;
    }

    /**
     * {@code field}, {@code field,asc} or {@code field,desc}; default: what needs attention first — most open alarms,
     * then by map state (under an order, offline, stopped, normal).
     */
    private static Comparator<Fact> sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return SORTS.get("openAlarms").reversed().thenComparing(Fact::mapState).thenComparing(TIES);
        }
        String[] parts = sort.trim().split(",");
        Comparator<Fact> c = SORTS.get(parts[0].trim());
        String direction = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
        if (c == null || parts.length > 2 || !(direction.equals("asc") || direction.equals("desc"))) {
            throw ApiException.badRequest("sort", "sort is one of " + String.join(", ", SORTS.keySet().stream().sorted().toList())
                    + ", optionally followed by ,asc or ,desc");
        }
        return (direction.equals("desc") ? c.reversed() : c).thenComparing(TIES);
    }

    /** Worst first when descending: abnormal, offline, stopped, running; a side that does not exist last. */
    private static int rank(Status s) {
        if (s == null) {
            return -1;
        }
        return switch (s) {
            case ABNORMAL -> 4;
            case OFFLINE -> 3;
            case STOPPED -> 2;
            case UNKNOWN -> 0;
            default -> 1;
        };
    }
}
