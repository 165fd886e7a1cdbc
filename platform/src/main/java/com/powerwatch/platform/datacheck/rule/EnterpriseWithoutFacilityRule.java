package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** 无产污设施 / 无治污设施: an enterprise without an active facility of one kind. */
abstract class EnterpriseWithoutFacilityRule extends EnterpriseRule {

    private final String kind;
    private final String kindZh;

    EnterpriseWithoutFacilityRule(NamedParameterJdbcTemplate jdbc, String code, String nameZh, String kind, String kindZh) {
        super(jdbc, code, nameZh, Category.COLLECTION_COMPLETENESS, Severity.WARNING);
        this.kind = kind;
        this.kindZh = kindZh;
    }

    @Override
    String condition() {
        return activeFacilities(" and f.kind = '" + kind + "'") + " = 0";
    }

    @Override
    String evidence() {
        return "jsonb_build_object('facilityKind', '" + kind + "', 'facilitiesOfKind', 0, 'activeFacilities', "
                + activeFacilities("") + ")";
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "企业没有在用的" + kindZh + "档案。";
    }

    @Component
    static class ProductionNoFacility extends EnterpriseWithoutFacilityRule {
        ProductionNoFacility(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "PRODUCTION_NO_FACILITY", "无产污设施", "PRODUCTION", "产污（生产）设施");
        }
    }

    @Component
    static class NoTreatmentFacility extends EnterpriseWithoutFacilityRule {
        NoTreatmentFacility(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "NO_TREATMENT_FACILITY", "无治污设施", "TREATMENT", "治污（治理）设施");
        }
    }
}
