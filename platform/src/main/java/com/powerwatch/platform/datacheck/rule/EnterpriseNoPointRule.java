package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** 无监管点位: an active enterprise without any active monitoring point. */
@Component
class EnterpriseNoPointRule extends EnterpriseRule {

    EnterpriseNoPointRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "ENTERPRISE_NO_POINT", "无监管点位", Category.COLLECTION_COMPLETENESS, Severity.ERROR);
    }

    @Override
    String condition() {
        return activePoints("") + " = 0";
    }

    @Override
    String evidence() {
        return "jsonb_build_object('activePoints', 0, 'activeFacilities', " + activeFacilities("") + ")";
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "在用企业没有任何在用的监测点位（任何设施下均无点位）。";
    }
}
