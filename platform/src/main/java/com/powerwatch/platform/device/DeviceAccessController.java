package com.powerwatch.platform.device;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.registry.PointService;
import com.powerwatch.platform.registry.RegistryRoles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Data loggers' access passwords (HJ 212 {@code PW}) and policies: for one logger, and in bulk for the roll-out to a
 * fleet (docs/ingest.md "Device access"). Passwords are shown only in the answer that generated them.
 */
@RestController
@RequestMapping("/api/registry/data-loggers")
@Tag(name = "Registry: device access", description = "数采仪访问密码与接入策略")
@PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
public class DeviceAccessController {

    private static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final DeviceAccessService service;
    private final PointService points;

    public DeviceAccessController(DeviceAccessService service, PointService points) {
        this.service = service;
        this.points = points;
    }

    /** {@code password}: the one set on the device; without it one is generated ({@code length}, default 9) and returned once. */
    public record PasswordRequest(String password, Integer length) {
    }

    /** A bulk action's selection (at least one of region, enterprise, MNs) and its payload. */
    public record BulkPasswords(String regionCode, Long enterpriseId, List<String> mns, Boolean onlyWithoutPassword, Integer length) {
    }

    public record BulkAccess(String regionCode, Long enterpriseId, List<String> mns, String policy, List<String> allowedAddresses) {
    }

    @PostMapping("/{mn}/password")
    @Operation(summary = "Set the logger's access password (given) or generate one (returned once)")
    public ResponseEntity<Map<String, Object>> password(@PathVariable String mn, @RequestBody(required = false) PasswordRequest request) {
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(service.setPassword(mn, request == null ? null : request.password(), request == null ? null : request.length()));
    }

    @PutMapping("/{mn}/access")
    @Operation(summary = "Set the logger's access policy: WARN, ALLOWLIST (with allowedAddresses) or REJECT")
    public Map<String, Object> access(@PathVariable String mn, @RequestBody DeviceAccessService.AccessRequest request) {
        service.setAccess(mn, request);
        return points.dataLogger(mn);
    }

    @PostMapping("/passwords")
    @Operation(summary = "Generate passwords for the selected loggers: the installers' workbook (format=xlsx) or JSON (format=json)")
    public ResponseEntity<?> passwords(@RequestBody BulkPasswords request, @RequestParam(defaultValue = "xlsx") String format) {
        if (!format.equals("xlsx") && !format.equals("json")) {
            throw ApiException.badRequest("format", "format 须为 xlsx 或 json");
        }
        List<DeviceAccessService.NewPassword> generated = service.generate(new DeviceAccessService.Selection(request.regionCode(),
                request.enterpriseId(), request.mns(), request.onlyWithoutPassword()), request.length(), format);
        if (format.equals("json")) {
            return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .body(Map.of("count", generated.size(), "passwords", generated));
        }
        return ResponseEntity.ok().contentType(XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("数采仪访问密码.xlsx", StandardCharsets.UTF_8).build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(DevicePasswordSheet.write(generated));
    }

    @PostMapping("/access")
    @Operation(summary = "Set one access policy for the selected loggers")
    public Map<String, Object> access(@RequestBody BulkAccess request) {
        int updated = service.setAccess(new DeviceAccessService.Selection(request.regionCode(), request.enterpriseId(),
                request.mns(), null), new DeviceAccessService.AccessRequest(request.policy(), request.allowedAddresses()));
        return Map.of("updated", updated);
    }
}
