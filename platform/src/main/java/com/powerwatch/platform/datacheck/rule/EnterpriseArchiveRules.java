package com.powerwatch.platform.datacheck.rule;

import com.powerwatch.platform.datacheck.Category;
import com.powerwatch.platform.datacheck.DataCheckProperties;
import com.powerwatch.platform.datacheck.Severity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The enterprise archive fields the requirement names: industry 小类 and the unified social credit code. */
final class EnterpriseArchiveRules {

    private EnterpriseArchiveRules() {
    }

    /** 行业未选择行业小类: industry_code null, unknown, or not a level-4 (4-digit 小类) code of GB/T 4754. */
    @Component
    static class IndustryNotSubclass extends EnterpriseRule {
        IndustryNotSubclass(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "INDUSTRY_NOT_SUBCLASS", "行业未选择行业小类", Category.ARCHIVE_COMPLETENESS, Severity.WARNING);
        }

        @Override
        String joins() {
            return "left join industry i on i.code = e.industry_code";
        }

        @Override
        String condition() {
            return "i.level is distinct from 4";
        }

        @Override
        String evidence() {
            return "jsonb_build_object('industryCode', e.industry_code, 'industryName', i.name, 'level', i.level, 'requiredLevel', 4)";
        }

        @Override
        public String definition(DataCheckProperties s) {
            return "企业所属行业为空，或不是国民经济行业分类（GB/T 4754）的小类（4 位代码）。";
        }
    }

    /** 社会信用代码为空. */
    @Component
    static class EmptyCreditCode extends EnterpriseRule {
        EmptyCreditCode(NamedParameterJdbcTemplate jdbc) {
            super(jdbc, "EMPTY_CREDIT_CODE", "社会信用代码为空", Category.ARCHIVE_COMPLETENESS, Severity.WARNING);
        }

        @Override
        String condition() {
            return "coalesce(trim(e.credit_code), '') = ''";
        }

        @Override
        String evidence() {
            return "jsonb_build_object('creditCode', e.credit_code)";
        }

        @Override
        public String definition(DataCheckProperties s) {
            return "企业的统一社会信用代码为空。";
        }
    }
}
