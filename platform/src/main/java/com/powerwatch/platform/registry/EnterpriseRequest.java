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
        @NotBlank(message = "请填写企业名称") @Size(max = 200, message = "企业名称不能超过200个字") String name,
        @Size(max = 18, message = "统一社会信用代码须为18位") String creditCode,
        @Size(max = 500, message = "地址不能超过500个字") String address,
        @DecimalMin(value = "-180", message = "经度须在 -180 到 180 之间") @DecimalMax(value = "180", message = "经度须在 -180 到 180 之间") Double longitude,
        @DecimalMin(value = "-90", message = "纬度须在 -90 到 90 之间") @DecimalMax(value = "90", message = "纬度须在 -90 到 90 之间") Double latitude,
        Coordinates.System coordinateSystem,
        @NotBlank(message = "请选择所在区县") @Pattern(regexp = "\\d{6}", message = "区县代码须为6位行政区划代码（GB/T 2260）") String districtCode,
        @Pattern(regexp = "[A-T]|\\d{2,4}", message = "行业代码须为国民经济行业分类代码（GB/T 4754：门类字母或2–4位数字）") String industryCode,
        @Pattern(regexp = "KEY|SIMPLIFIED|REGISTERED", message = "排污许可管理类别须为 KEY（重点）、SIMPLIFIED（简化）或 REGISTERED（登记）") String permitClass,
        @Pattern(regexp = "A|B|C|D|LEADING", message = "绩效分级须为 A、B、C、D 或 LEADING（引领性）") String emergencyGrade,
        @Valid @Size(max = 20, message = "联系人最多20个") List<Contact> contacts,
        @Pattern(regexp = "ACTIVE|SUSPENDED|CLOSED", message = "状态须为 ACTIVE（正常）、SUSPENDED（停产）或 CLOSED（关闭）") String status) {

    public record Contact(@NotBlank(message = "请填写联系人姓名") @Size(max = 50, message = "联系人姓名不能超过50个字") String name,
                          @Size(max = 50, message = "联系人职务不能超过50个字") String role,
                          @Pattern(regexp = "[0-9+\\- ]{5,20}", message = "联系电话格式不正确（5–20位数字，可含 +、- 和空格）") String phone) {
    }
}
