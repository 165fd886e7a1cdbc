package com.powerwatch.platform.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * A production (产污), treatment (治污) or total-meter (总用电) facility with its state thresholds, in kW of active
 * power, or in A when {@code thresholdQuantity} is I. See docs/registry.md for the rules between the thresholds.
 */
public record FacilityRequest(
        @NotBlank(message = "请填写设施名称") @Size(max = 200, message = "设施名称不能超过200个字") String name,
        @NotBlank(message = "请选择设施类型") @Pattern(regexp = "PRODUCTION|TREATMENT|TOTAL",
                message = "设施类型须为 PRODUCTION（产污）、TREATMENT（治污）或 TOTAL（总用电）") String kind,
        Long productionLineId,
        @Size(max = 100, message = "工艺类型不能超过100个字") String processType,
        @Positive(message = "额定功率须大于 0") Double ratedKw,
        @Pattern(regexp = "P|I", message = "阈值量须为 P（有功功率 kW）或 I（电流 A）") String thresholdQuantity,
        @PositiveOrZero(message = "停机阈值不能为负数") Double stopBelow,
        @PositiveOrZero(message = "运行阈值不能为负数") Double runAbove,
        @PositiveOrZero(message = "异常低阈值不能为负数") Double abnormalBelow,
        @Pattern(regexp = "ACTIVE|RETIRED", message = "状态须为 ACTIVE（在用）或 RETIRED（停用）") String status) {
}
