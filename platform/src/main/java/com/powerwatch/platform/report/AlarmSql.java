package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The SQL every alarm report shares: alarms joined to their enterprise, district and industry (大类), counted on the
 * China day they started, within the query's scope and region. An alarm that started in the period counts whatever
 * became of it (recovered and cancelled ones too), as in 综合分析.
 */
final class AlarmSql {

    static final String FROM = " " + """
            from alarm a join enterprise e on e.id = a.enterprise_id
            join alarm_type t on t.code = a.type
            left join region r on r.code = e.district_code
            left join industry ig on ig.code = left(e.industry_code, 2)""";

    /** Per level, per handling state, still open, handled (anything but unconfirmed) — as SQL select items. */
    static final String COUNTS = """
            count(*) as total,
            count(*) filter (where a.level = 'LEVEL_1') as level_1, count(*) filter (where a.level = 'LEVEL_2') as level_2,
            count(*) filter (where a.level = 'LEVEL_3') as level_3, count(*) filter (where a.level = 'NOTICE') as notice,
            count(*) filter (where t.category = 'TREATMENT') as treatment, count(*) filter (where t.category = 'PRODUCTION') as production,
            count(*) filter (where t.category = 'DATA') as data, count(*) filter (where t.category = 'WARNING') as warning,
            count(*) filter (where a.status = 'RECOVERED') as recovered,
            count(*) filter (where a.status = 'ACTIVE' and a.handling <> 'CANCELLED') as open,
            count(*) filter (where a.handling = 'UNCONFIRMED') as unconfirmed,
            count(*) filter (where a.handling = 'CONFIRMED') as confirmed,
            count(*) filter (where a.handling = 'HANDLED') as handled,
            count(*) filter (where a.handling = 'CANCELLED') as cancelled,
            count(*) filter (where a.workflow is not null) as dispatched,
            count(*) filter (where a.workflow = 'REVIEWED') as reviewed""";

    /** What a group is: the key, its name and the district/industry names that go with an enterprise. */
    static final String ENTERPRISE_KEY = "e.id::text";
    static final String DISTRICT_KEY = "e.district_code";
    static final String INDUSTRY_KEY = "coalesce(left(e.industry_code, 2), '')";

    private AlarmSql() {
    }

    /** " where <scope and region> and the alarm started in the period". */
    static String where(ReportQuery q, MapSqlParameterSource p) {
        return " where " + q.enterpriseWhere(p) + " and a.started_at >= :from and a.started_at < :to";
    }

    static String groupName(String by) {
        return switch (by) {
            case "district" -> "coalesce(min(r.name), e.district_code)";
            case "industry" -> "coalesce(min(ig.name), '未分类')";
            case "type" -> "min(t.name)";
            default -> "min(e.name)";
        };
    }

    static String groupKey(String by) {
        return switch (by) {
            case "district" -> DISTRICT_KEY;
            case "industry" -> INDUSTRY_KEY;
            case "type" -> "a.type";
            default -> ENTERPRISE_KEY;
        };
    }
}
