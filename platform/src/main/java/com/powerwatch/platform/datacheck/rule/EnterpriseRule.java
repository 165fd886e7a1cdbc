package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.CheckContext;
import com.powerwatch.platform.datacheck.Severity;
import com.powerwatch.platform.datacheck.SqlCheckRule;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Shape of the archive rules about an enterprise: one finding per checked enterprise (alias e) matching a condition,
 * with evidence built from a jsonb expression.
 */
abstract class EnterpriseRule extends SqlCheckRule {


    EnterpriseRule(NamedParameterJdbcTemplate jdbc, String code, String nameZh, Category category, Severity severity) {
        super(jdbc, code, nameZh, category, severity);
    }

    /** SQL condition on enterprise e (other tables may be joined in {@link #joins}). */
    abstract String condition();

    /** jsonb expression for the evidence. */
    abstract String evidence();

    String joins() {
        return "";
    }

    @Override
    protected String sql(CheckContext ctx) {
        return """
                select e.id as enterprise_id, 'ENTERPRISE' as object_type, e.id as object_id, e.name as object_name,
                       (%s)::text as evidence
                from enterprise e %s
                where %s and (%s)
                order by e.id""".formatted(evidence(), joins(), ctx.enterpriseFilter("e"), condition());
    }

    /** Active points of enterprise e on active facilities, optionally of one kind ('' = any). */
    static String activePoints(String kindCondition) {
        return "(select count(*) from monitoring_point mp join facility f on f.id = mp.facility_id where f.enterprise_id = e.id"
                + " and f.status = 'ACTIVE' and mp.status = 'ACTIVE'" + kindCondition + ")";
    }

    static String activeFacilities(String kindCondition) {
        return "(select count(*) from facility f where f.enterprise_id = e.id and f.status = 'ACTIVE'" + kindCondition + ")";
    }
}
