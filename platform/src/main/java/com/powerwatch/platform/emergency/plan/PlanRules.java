package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.emergency.Measure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules every plan obeys, whether typed in a form or imported from Excel (one piece of validation for both).
 * Pure: the enterprise's lines and production facilities are handed in.
 */
final class PlanRules {

    /** A rule broken by one field of a plan. */
    record Problem(String field, String message) {
    }

    /** What the rules need to know of the plan's enterprise. */
    record EnterpriseFacts(long id, String name, String districtCode, String grade, Set<Long> lineIds,
                           Set<Long> productionFacilityIds) {
    }

    static final Map<String, String> GRADES = Map.of("A", "A", "B", "B", "C", "C", "D", "D", "引领性", "LEADING",
            "LEADING", "LEADING", "B-", "B");
    static final int MAX_TEXT = 2000;
    static final int MAX_CODE = 100;

    private PlanRules() {
    }

    /** The grade code of a 绩效分级 as written (A, B, C, D, 引领性 / LEADING; B- counts as B); null when unknown. */
    static String grade(String text) {
        return text == null ? null : GRADES.get(text.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** The Chinese name of a grade code. */
    static String gradeLabel(String code) {
        return "LEADING".equals(code) ? "引领性" : code;
    }

    /** Every rule {@code in} breaks for enterprise {@code e} (null = not found, reported by the caller). */
    static List<Problem> check(PlanInput in, EnterpriseFacts e) {
        List<Problem> out = new ArrayList<>();
        if (in.year() == null) {
            out.add(new Problem("year", "请填写年度"));
        } else if (in.year() < 2000 || in.year() > 2100) {
            out.add(new Problem("year", "年度须在 2000 到 2100 之间"));
        }
        if (in.level() == null) {
            out.add(new Problem("level", "请选择预警级别：黄色、橙色或红色"));
        }
        if (in.enterpriseId() == null) {
            out.add(new Problem("enterpriseId", "请选择企业"));
        }
        String grade = in.grade() != null ? in.grade() : e == null ? null : e.grade();
        if (in.grade() != null && !GRADES.containsValue(in.grade())) {
            out.add(new Problem("grade", "绩效分级须为 A、B、C、D 或 引领性"));
        }
        boolean participates = in.participates() == null || in.participates();
        Scope scope = in.scope() == null ? Scope.ENTERPRISE : in.scope();
        if (!participates) {
            if (in.measure() != null) {
                out.add(new Problem("measure", "不参与应急的企业不填写减排措施"));
            }
            if (in.limitPercent() != null) {
                out.add(new Problem("limitPercent", "不参与应急的企业不填写限产比例"));
            }
            if (!in.targetIds().isEmpty() || scope != Scope.ENTERPRISE) {
                out.add(new Problem("scope", "不参与应急的企业不填写限停方式和限停对象"));
            }
        } else if (in.measure() == null) {
            out.add(new Problem("measure", "参与应急的企业须选择减排措施：停产、限产或自主减排"));
        } else {
            measureRules(in, grade, out);
        }
        if (participates && in.measure() != null && in.measure() != Measure.SELF) {
            targetRules(in, scope, e, out);
        } else if (participates && in.measure() == Measure.SELF && !in.targetIds().isEmpty()) {
            out.add(new Problem("targetIds", "自主减排不指定限停对象"));
        }
        if (in.baselineKw() != null && !(in.baselineKw() > 0)) {
            out.add(new Problem("baselineKw", "核定基准负荷须大于 0（不填则按历史用电计算）"));
        }
        if (in.economicLoss() != null && in.economicLoss().signum() < 0) {
            out.add(new Problem("economicLoss", "经济损失预估不能为负数"));
        }
        if (in.reductionCode() != null && in.reductionCode().length() > MAX_CODE) {
            out.add(new Problem("reductionCode", "减排清单编码不超过 " + MAX_CODE + " 个字符"));
        }
        if (in.measureText() != null && in.measureText().length() > MAX_TEXT) {
            out.add(new Problem("measureText", "减排措施说明不超过 " + MAX_TEXT + " 个字符"));
        }
        if (in.rotationGroup() != null && in.rotationGroup().length() > 20) {
            out.add(new Problem("rotationGroup", "轮循分组不超过 20 个字符"));
        }
        if (in.note() != null && in.note().length() > MAX_TEXT) {
            out.add(new Problem("note", "备注不超过 " + MAX_TEXT + " 个字符"));
        }
        return out;
    }

    private static void measureRules(PlanInput in, String grade, List<Problem> out) {
        BigDecimal pct = in.limitPercent();
        boolean pctRange = pct == null || (pct.compareTo(BigDecimal.ONE) >= 0 && pct.compareTo(BigDecimal.valueOf(99)) <= 0);
        switch (in.measure()) {
            case STOP -> {
                if (pct != null) {
                    out.add(new Problem("limitPercent", "停产措施不填写限产比例（限停对象全部停产）"));
                }
            }
            case LIMIT -> {
                if (pct == null) {
                    out.add(new Problem("limitPercent", "限产措施须填写限产比例（要求削减的百分比，1–99）"));
                } else if (!pctRange) {
                    out.add(new Problem("limitPercent", "限产比例须在 1 到 99 之间"));
                }
            }
            case SELF -> {
                if (!"A".equals(grade) && !"LEADING".equals(grade)) {
                    out.add(new Problem("measure", "自主减排仅适用于绩效分级为 A 级或引领性的企业"));
                }
                if (!pctRange) {
                    out.add(new Problem("limitPercent", "自主减排比例须在 1 到 99 之间"));
                }
            }
        }
    }

    private static void targetRules(PlanInput in, Scope scope, PlanRules.EnterpriseFacts e, List<Problem> out) {
        if (scope == Scope.ENTERPRISE) {
            if (!in.targetIds().isEmpty()) {
                out.add(new Problem("targetIds", "整厂限停不指定生产线或设施"));
            }
            return;
        }
        if (in.targetIds().isEmpty()) {
            out.add(new Problem("targetIds", scope == Scope.LINE ? "按生产线限停须至少选择一条生产线" : "按设施限停须至少选择一台生产设施"));
            return;
        }
        if (e == null) {
            return;
        }
        Set<Long> own = scope == Scope.LINE ? e.lineIds() : e.productionFacilityIds();
        List<Long> foreign = in.targetIds().stream().filter(id -> id == null || !own.contains(id)).toList();
        if (!foreign.isEmpty()) {
            out.add(new Problem("targetIds", (scope == Scope.LINE ? "以下生产线不属于该企业：" : "以下设施不是该企业的生产设施：") + foreign));
        }
    }
}
