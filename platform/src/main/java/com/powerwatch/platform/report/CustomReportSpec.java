package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A custom report as a user builds it: a dataset, one or two groupings, measures and filters — names from
 * {@link CustomDataset}'s whitelist, checked here (400 naming the field in plain words), plus filter values that are
 * bound as parameters. What a template stores.
 *
 * @param dataset   ALARMS, ENERGY or TRANSMISSION
 * @param groupBy   1–2 of DISTRICT, INDUSTRY, ENTERPRISE, DAY, WEEK, MONTH (at most one of them a time)
 * @param measures  1 or more of the dataset's measures
 * @param district  a region code (a city covers its districts), optional
 * @param industry  a GB/T 4754 大类 (2 digits), optional
 * @param levels    alarms: LEVEL_1 … NOTICE
 * @param categories alarms: TREATMENT, PRODUCTION, DATA, WARNING
 * @param types     alarms: alarm type codes
 * @param handling  alarms: UNCONFIRMED, CONFIRMED, HANDLED, CANCELLED
 * @param facilityKinds energy and transmission: PRODUCTION, TREATMENT, TOTAL
 */
public record CustomReportSpec(String dataset, List<String> groupBy, List<String> measures, String district, String industry,
                               List<String> levels, List<String> categories, List<String> types, List<String> handling,
                               List<String> facilityKinds) {

    static final Set<String> CATEGORIES = Set.of("TREATMENT", "PRODUCTION", "DATA", "WARNING");
    static final Set<String> HANDLING = Set.of("UNCONFIRMED", "CONFIRMED", "HANDLED", "CANCELLED");
    static final Set<String> KINDS = Set.of("PRODUCTION", "TREATMENT", "TOTAL");

    public CustomReportSpec {
        groupBy = upper(groupBy);
        measures = measures == null ? List.of() : List.copyOf(measures);
        levels = upper(levels);
        categories = upper(categories);
        types = upper(types);
        handling = upper(handling);
        facilityKinds = upper(facilityKinds);
        district = blank(district) ? null : district.trim();
        industry = blank(industry) ? null : industry.trim();
    }

    /** The dataset, after every name was checked against the whitelist; {@code alarmTypes} the catalogue's codes. */
    CustomDataset validated(Set<String> alarmTypes) {
        CustomDataset ds;
        try {
            ds = CustomDataset.valueOf(dataset == null ? "" : dataset.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("dataset", "数据集应为 ALARMS（报警）、ENERGY（用电）或 TRANSMISSION（传输）");
        }
        if (groupBy.isEmpty() || groupBy.size() > 2) {
            throw ApiException.badRequest("groupBy", "分组维度须选 1 到 2 个");
        }
        int time = 0;
        for (String g : groupBy) {
            try {
                time += CustomDataset.Dimension.valueOf(g).time() ? 1 : 0;
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("groupBy", "分组维度应为 区县、行业、企业、日、周、月 之一：" + g);
            }
        }
        if (time > 1 || groupBy.stream().distinct().count() < groupBy.size()) {
            throw ApiException.badRequest("groupBy", "时间维度（日、周、月）最多选一个，且维度不能重复");
        }
        if (measures.isEmpty()) {
            throw ApiException.badRequest("measures", "至少选择一个统计指标");
        }
        for (String m : measures) {
            if (!ds.measures.containsKey(m)) {
                throw ApiException.badRequest("measures", ds.title + "数据集没有指标：" + m);
            }
        }
        if (district != null) {
            AccessScope.regionPrefix("district", district);
        }
        if (industry != null && !industry.matches("\\d{2}")) {
            throw ApiException.badRequest("industry", "行业应为国民经济行业分类的大类代码（2位数字）：" + industry);
        }
        check(ds, "levels", levels, Set.of(names(AlarmLevel.values())), "报警级别");
        check(ds, "categories", categories, CATEGORIES, "报警类别");
        check(ds, "types", types, alarmTypes, "报警类型");
        check(ds, "handling", handling, HANDLING, "处置状态");
        check(ds, "facilityKinds", facilityKinds, KINDS, "设施类型");
        return ds;
    }

    private static void check(CustomDataset ds, String field, List<String> values, Set<String> allowed, String label) {
        if (values.isEmpty()) {
            return;
        }
        if (!ds.filters.contains(field)) {
            throw ApiException.badRequest(field, ds.title + "数据集不能按" + label + "筛选");
        }
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw ApiException.badRequest(field, label + "无效：" + v);
            }
        }
    }

    private static String[] names(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name();
        }
        return out;
    }

    private static List<String> upper(List<String> in) {
        List<String> out = new ArrayList<>();
        if (in != null) {
            for (String s : in) {
                if (s != null && !s.isBlank()) {
                    out.add(s.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
