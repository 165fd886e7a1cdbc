package com.powerwatch.platform.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * An enterprise as written by the API and the Excel import. Coordinates may be given in GCJ-02 (what AMap shows);
 * they are stored in WGS-84.
 */
public record EnterpriseRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 18) String creditCode,
        @Size(max = 500) String address,
        @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @DecimalMin("-90") @DecimalMax("90") Double latitude,
        Coordinates.System coordinateSystem,
        @NotBlank @Pattern(regexp = "\\d{6}", message = "must be a 6-digit GB/T 2260 code") String districtCode,
        @Pattern(regexp = "[A-T]|\\d{2,4}", message = "must be a GB/T 4754 code (letter or 2-4 digits)") String industryCode,
        @Pattern(regexp = "KEY|SIMPLIFIED|REGISTERED", message = "must be KEY (重点), SIMPLIFIED (简化) or REGISTERED (登记)") String permitClass,
        @Pattern(regexp = "A|B|C|D|LEADING", message = "must be A, B, C, D or LEADING (引领性)") String emergencyGrade,
        @Valid @Size(max = 20) List<Contact> contacts,
        @Pattern(regexp = "ACTIVE|SUSPENDED|CLOSED", message = "must be ACTIVE, SUSPENDED or CLOSED") String status) {

    public record Contact(@NotBlank @Size(max = 50) String name, @Size(max = 50) String role,
                          @Pattern(regexp = "[0-9+\\- ]{5,20}", message = "must be a phone number") String phone) {
    }
}
