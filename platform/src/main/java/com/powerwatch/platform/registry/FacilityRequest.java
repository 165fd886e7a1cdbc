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
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Pattern(regexp = "PRODUCTION|TREATMENT|TOTAL", message = "must be PRODUCTION (产污), TREATMENT (治污) or TOTAL (总用电)") String kind,
        Long productionLineId,
        @Size(max = 100) String processType,
        @Positive Double ratedKw,
        @Pattern(regexp = "P|I", message = "must be P (kW) or I (A)") String thresholdQuantity,
        @PositiveOrZero Double stopBelow,
        @PositiveOrZero Double runAbove,
        @PositiveOrZero Double abnormalBelow,
        @Pattern(regexp = "ACTIVE|RETIRED", message = "must be ACTIVE or RETIRED") String status) {
}
