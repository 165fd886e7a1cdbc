package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.Measure;

import java.math.BigDecimal;
import java.util.List;

/**
 * One emergency plan as the API takes it (POST / PUT /api/emergency/plans) and as an Excel row becomes once its names
 * are resolved. {@code participates} null = true; {@code grade} null = the enterprise's 绩效分级 in the registry;
 * {@code scope} null = ENTERPRISE; {@code targetIds}: line ids (LINE) or production facility ids (FACILITY);
 * {@code rotationGroup}: the fixed rotation group (甲 / 乙 / 丙 …) of a rotatable plan.
 */
public record PlanInput(Integer year, EmergencyLevel level, Long enterpriseId, Boolean participates, String grade,
                        String reductionCode, Measure measure, Scope scope, List<Long> targetIds, BigDecimal limitPercent,
                        Boolean rotatable, Double baselineKw, String measureText, BigDecimal economicLoss, String note,
                        String rotationGroup) {

    public PlanInput {
        targetIds = targetIds == null ? List.of() : List.copyOf(targetIds.stream().distinct().toList());
    }
}
