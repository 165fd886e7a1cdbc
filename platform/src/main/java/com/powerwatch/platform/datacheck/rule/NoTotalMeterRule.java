package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** 无总用电监测点: no active point on an active TOTAL facility. */
@Component
class NoTotalMeterRule extends EnterpriseRule {

    NoTotalMeterRule(NamedParameterJdbcTemplate jdbc) {
        super(jdbc, "NO_TOTAL_METER", "无总用电监测点", Category.COLLECTION_COMPLETENESS, Severity.ERROR);
    }

    @Override
    String condition() {
        return activePoints(" and f.kind = 'TOTAL'") + " = 0";
    }

    @Override
    String evidence() {
        return "jsonb_build_object('totalFacilities', " + activeFacilities(" and f.kind = 'TOTAL'")
                + ", 'totalPoints', 0, 'activePoints', " + activePoints("") + ")";
    }

    @Override
    public String definition(DataCheckProperties s) {
        return "企业没有总用电（TOTAL）设施下的在用监测点位，无法核对企业总电量。";
    }
}
