package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.CheckContext;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import com.powerwatch.platform.datacheck.SqlCheckRule;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Shape of the archive rules about a facility: one finding per active facility of one kind (alias f) of a checked
 * enterprise matching a condition. Concrete rules are the nested classes.
 */
abstract class FacilityRule extends SqlCheckRule {

    final String kind;

    FacilityRule(NamedParameterJdbcTemplate jdbc, String code, String nameZh, Category category, Severity severity, String kind) {
        super(jdbc, code, nameZh, category, severity);
        this.kind = kind;
    }

    abstract String condition();

    abstract String evidence();

    @Override
    protected String sql(CheckContext ctx) {
        return """
                select e.id as enterprise_id, 'FACILITY' as object_type, f.id as object_id, f.name as object_name,
                       (%s)::text as evidence
                from facility f
                join enterprise e on e.id = f.enterprise_id
                where f.status = 'ACTIVE' and f.kind = '%s' and %s and (%s)
                order by f.id""".formatted(evidence(), kind, ctx.enterpriseFilter("e"), condition());
    }

    /** 产污设施无对应监管点 / 治污设施无对应监管点: an active facility without an active point. */
    abstract static class WithoutPoint extends FacilityRule {
        WithoutPoint(NamedParameterJdbcTemplate jdbc, String code, String nameZh, String kind) {
            super(jdbc, code, nameZh, Category.COLLECTION_COMPLETENESS, Severity.WARNING, kind);
        }

        @Override
        String condition() {
            return "not exists (select 1 from monitoring_point mp where mp.facility_id = f.id and mp.status = 'ACTIVE')";
        }

        @Override
        String evidence() {
            return "jsonb_build_object('kind', f.kind, 'activePoints', 0, 'retiredPoints', "
                    + "(select count(*) from monitoring_point mp where mp.facility_id = f.id and mp.status <> 'ACTIVE'))";
        }

        @Override
        public String definition(DataCheckProperties s) {
            return ("PRODUCTION".equals(kind) ? "产污" : "治污") + "设施没有对应的在用监测点位，设施用电无法监控。";
        }
    }

    @Component
    static class ProductionNoPoint extends WithoutPoint {
        ProductionNoPoint(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "PRODUCTION_FACILITY_NO_POINT", "产污设施无对应监管点", "PRODUCTION");
        }
    }

    @Component
    static class TreatmentNoPoint extends WithoutPoint {
        TreatmentNoPoint(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "TREATMENT_FACILITY_NO_POINT", "治污设施无对应监管点", "TREATMENT");
        }
    }

    /** 产污设施未设置阈值 / 治污设施未设置阈值: neither stop_below nor run_above is set. */
    abstract static class WithoutThreshold extends FacilityRule {
        WithoutThreshold(NamedParameterJdbcTemplate jdbc, String code, String nameZh, String kind) {
            super(jdbc, code, nameZh, Category.ARCHIVE_COMPLETENESS, Severity.WARNING, kind);
        }

        @Override
        String condition() {
            return "f.stop_below is null and f.run_above is null";
        }

        @Override
        String evidence() {
            return "jsonb_build_object('kind', f.kind, 'stopBelow', f.stop_below, 'runAbove', f.run_above, "
                    + "'abnormalBelow', f.abnormal_below, 'thresholdQuantity', f.threshold_quantity, 'ratedKw', f.rated_kw)";
        }

        @Override
        public String definition(DataCheckProperties s) {
            return ("PRODUCTION".equals(kind) ? "产污" : "治污")
                    + "设施未设置启停阈值（停机阈值 stop_below 与运行阈值 run_above 均为空），无法判断运行状态。";
        }
    }

    @Component
    static class ProductionNoThreshold extends WithoutThreshold {
        ProductionNoThreshold(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "PRODUCTION_NO_THRESHOLD", "产污设施未设置阈值", "PRODUCTION");
        }
    }

    @Component
    static class TreatmentNoThreshold extends WithoutThreshold {
        TreatmentNoThreshold(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "TREATMENT_NO_THRESHOLD", "治污设施未设置阈值", "TREATMENT");
        }
    }
}
