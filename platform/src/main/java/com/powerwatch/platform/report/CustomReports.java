package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The custom report builder: compiles a checked {@link CustomReportSpec} into one parameterised SQL statement from the
 * whitelisted fragments of {@link CustomDataset} — scope, region and period always applied — and returns its table.
 * At most {@code custom.max-groups} rows; more are cut and the note says so.
 */
@Service
public class CustomReports {

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportService reports;
    private final int maxGroups;

    CustomReports(NamedParameterJdbcTemplate jdbc, ReportService reports, ReportProperties properties) {
        this.jdbc = jdbc;
        this.reports = reports;
        this.maxGroups = properties.custom().maxGroups();
    }

    /** Validates the spec (400 naming the field) and returns its dataset. */
    CustomDataset check(CustomReportSpec spec) {
        Set<String> types = new HashSet<>(jdbc.getJdbcTemplate().queryForList("select code from alarm_type", String.class));
        return spec.validated(types);
    }

    public ReportDocument run(String title, CustomReportSpec spec, ReportQuery q, String generatedBy) {
        return reports.document("CUSTOM", title, List.of(table(title, spec, q)), q.withRegion(spec.district()), generatedBy);
    }

    ReportTable table(String title, CustomReportSpec spec, ReportQuery query) {
        CustomDataset ds = check(spec);
        ReportQuery q = query.withRegion(spec.district());
        MapSqlParameterSource p = new MapSqlParameterSource();
        StringBuilder where = new StringBuilder(" where ").append(q.enterpriseWhere(p))
                .append(" and ").append(ds.time).append(" >= :from and ").append(ds.time).append(" < :to");
        p.addValue("now", Timestamp.from(q.now()));
        if (ds.grain() != null) {
            where.append(" and a.grain = :grain and mp.status = 'ACTIVE'");
            p.addValue("grain", ds.grain());
        }
        if (spec.industry() != null) {
            where.append(" and left(e.industry_code, 2) = :industry");
            p.addValue("industry", spec.industry());
        }
        in(where, p, "a.level", "levels", spec.levels());
        in(where, p, "t.category", "categories", spec.categories());
        in(where, p, "a.type", "types", spec.types());
        in(where, p, "a.handling", "handling", spec.handling());
        in(where, p, "f.kind", "facilityKinds", spec.facilityKinds());
        List<String> select = new ArrayList<>();
        List<String> group = new ArrayList<>();
        List<ReportColumn> columns = new ArrayList<>();
        for (int i = 0; i < spec.groupBy().size(); i++) {
            CustomDataset.Dimension d = CustomDataset.Dimension.valueOf(spec.groupBy().get(i));
            String key = d.key(ds.time);
            group.add(key);
            select.add(key + " as g" + i);
            select.add((d.time() ? "min(" + key + ")::text" : d.label) + " as l" + i);
            columns.add(ReportColumn.text("l" + i, d.title, d == CustomDataset.Dimension.ENTERPRISE ? 28 : 12));
        }
        for (String m : spec.measures()) {
            CustomDataset.Measure measure = ds.measures.get(m);
            select.add(measure.sql() + " as \"" + m + "\"");
            columns.add(new ReportColumn(m, measure.title(), measure.kind(), Math.max(10, measure.title().length() * 2 + 2)));
        }
        p.addValue("limit", maxGroups + 1);
        String sql = "select " + String.join(", ", select) + ds.from + where + " group by " + String.join(", ", group)
                + " order by " + orderBy(spec) + " limit :limit";
        List<Map<String, Object>> rows = new ArrayList<>(jdbc.query(sql, p, Rows.MAP));
        ReportTable.Builder t = ReportTable.of(title).columns(columns);
        if (rows.size() > maxGroups) {
            rows = rows.subList(0, maxGroups);
            t.note("分组超过 " + maxGroups + " 个，仅列出前 " + maxGroups + " 个（powerwatch.report.custom.max-groups）；请缩小范围或减少分组。");
        }
        for (Map<String, Object> r : rows) {
            for (int i = 0; i < spec.groupBy().size(); i++) {
                if (CustomDataset.Dimension.valueOf(spec.groupBy().get(i)) == CustomDataset.Dimension.MONTH && r.get("l" + i) != null) {
                    r.put("l" + i, r.get("l" + i).toString().substring(0, 7));
                }
            }
        }
        t.rows(rows);
        boolean additive = spec.measures().stream().allMatch(m -> ds.measures.get(m).additive());
        if (additive) {
            t.sumTotal("合计");
        }
        t.note("数据集：" + ds.title + "；分组：" + String.join("、", spec.groupBy().stream().map(g -> CustomDataset.Dimension.valueOf(g).title).toList())
                + (ds == CustomDataset.ALARMS ? "；按报警开始时间计入周期" : ds == CustomDataset.ENERGY ? "；按日电量" : "；按小时数据条数")
                + (additive ? "" : "；含比率或去重计数的指标不合计"));
        return t.build();
    }

    private static String orderBy(CustomReportSpec spec) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < spec.groupBy().size(); i++) {
            order.add((CustomDataset.Dimension.valueOf(spec.groupBy().get(i)).time() ? "g" : "l") + i);
        }
        return String.join(", ", order);
    }

    private static void in(StringBuilder where, MapSqlParameterSource p, String column, String name, List<String> values) {
        if (!values.isEmpty()) {
            where.append(" and ").append(column).append(" in (:").append(name).append(")");
            p.addValue(name, values);
        }
    }

    /** What the builder page offers: datasets with their measures and filters, and the groupings. */
    public Map<String, Object> schema() {
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (CustomDataset ds : CustomDataset.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", ds.name());
            m.put("title", ds.title);
            m.put("measures", ds.measures.values().stream().map(x -> Map.of("key", x.key(), "title", x.title())).toList());
            m.put("filters", ds.filters);
            datasets.add(m);
        }
        List<Map<String, String>> dims = new ArrayList<>();
        for (CustomDataset.Dimension d : CustomDataset.Dimension.values()) {
            dims.add(Map.of("key", d.name(), "title", d.title));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("datasets", datasets);
        out.put("dimensions", dims);
        return out;
    }
}
