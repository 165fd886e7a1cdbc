package com.powerwatch.platform.emergency.board;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * 执行率 = 达标数 / 应执行数, where 应执行 are the STOP and LIMIT measures under way (达标, 未达标, 无法判断): missing data
 * never raises a rate. Shared by the live board and the evaluation report.
 */
public final class Rates {

    private Rates() {
    }

    /** Counts by verdict and the rate of these verdicts (null when nothing is obliged). */
    public static Map<String, Object> rate(Collection<Verdict.Kind> kinds, String code, String name) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Verdict.Kind k : Verdict.Kind.values()) {
            counts.put(k.name(), 0);
        }
        kinds.forEach(k -> counts.merge(k.name(), 1, Integer::sum));
        int obliged = counts.get("COMPLIANT") + counts.get("NON_COMPLIANT") + counts.get("UNDETERMINED");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("enterprises", kinds.size());
        m.put("obliged", obliged);
        m.put("compliant", counts.get("COMPLIANT"));
        m.put("nonCompliant", counts.get("NON_COMPLIANT"));
        m.put("undetermined", counts.get("UNDETERMINED"));
        m.put("notStarted", counts.get("NOT_STARTED"));
        m.put("selfReduction", counts.get("SELF"));
        m.put("rate", obliged == 0 ? null : Math.round(1000.0 * counts.get("COMPLIANT") / obliged) / 1000.0);
        return m;
    }

    /** Rates per group of {@code rows}, ranked by rate, lowest first (groups without obligation last). */
    public static <T> List<Map<String, Object>> groups(List<T> rows, Function<T, String> key, Function<T, String> name,
                                                       Function<T, Verdict.Kind> kind) {
        Map<String, List<Verdict.Kind>> by = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (T r : rows) {
            by.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(kind.apply(r));
            names.putIfAbsent(key.apply(r), name.apply(r));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        by.forEach((k, kinds) -> out.add(rate(kinds, k, names.get(k))));
        out.sort(Comparator.comparing((Map<String, Object> m) -> m.get("rate") == null ? 2.0 : (Double) m.get("rate"))
                .thenComparing(m -> String.valueOf(m.get("code"))));
        return out;
    }

    /** The name of a grade code as officers say it. */
    public static String gradeName(String grade) {
        return grade == null || grade.equals("-") ? "未分级" : "LEADING".equals(grade) ? "引领性" : grade + "级";
    }
}
