package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.emergency.EmergencyRoles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.powerwatch.platform.auth.AccessScope;

import java.util.List;
import java.util.Map;

/** 启动应急预警: start, upgrade / downgrade, extend / shorten, lift; every change kept. Reads: officers (scoped). */
@RestController
@RequestMapping("/api/emergency/warnings")
@PreAuthorize(EmergencyRoles.OFFICERS)
@Tag(name = "Emergency: warnings", description = "重污染天气预警：启动、升级/降级、延长/缩短、解除，变更记录，企业措施与限停产指令")
public class WarningController {

    private final Warnings warnings;
    private final WarningMeasureList measures;
    private final WarningOverrides overrides;
    private final com.powerwatch.platform.emergency.rotation.Rotation rotation;

    public WarningController(Warnings warnings, WarningMeasureList measures, WarningOverrides overrides,
                             com.powerwatch.platform.emergency.rotation.Rotation rotation) {
        this.warnings = warnings;
        this.measures = measures;
        this.overrides = overrides;
        this.rotation = rotation;
    }

    @GetMapping("/{id:\\d+}/rotation")
    @Operation(summary = "The rotation ledger: every activation's candidates in order (times limited, last date, grade), picked or not, overrides")
    public List<Map<String, Object>> rotation(@PathVariable long id) {
        warnings.get(id);
        AccessScope scope = AccessScope.current();
        return rotation.ledger(id).stream().filter(r -> scope.everything() || scope.districtPrefixes().stream()
                .anyMatch(p -> String.valueOf(r.get("districtCode")).startsWith(p))).toList();
    }

    @PostMapping("/{id:\\d+}/rotation/{pickId:\\d+}")
    @PreAuthorize(EmergencyRoles.PLAN_WRITE)
    @Operation(summary = "Override a pick of the activation in force: {picked: true (put in from now) | false (take out now), reason}")
    public Map<String, Object> override(@PathVariable long id, @PathVariable long pickId,
                                        @RequestBody(required = false) WarningOverrides.Override body) {
        return overrides.override(id, pickId, body);
    }

    @GetMapping
    @Operation(summary = "Warnings covering a district in the caller's scope (status ACTIVE | ENDED), latest first")
    public Map<String, Object> list(@RequestParam(required = false) String status, @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "20") int size) {
        return warnings.list(status, page, size);
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "A warning with its districts, its changes in order, and the measures in force now (or at its end)")
    public Map<String, Object> get(@PathVariable long id) {
        return warnings.get(id);
    }

    @GetMapping("/{id:\\d+}/measures")
    @Operation(summary = "The enterprises' measures of a warning with their production orders and baselines (filters: district, measure, current)")
    public Map<String, Object> measures(@PathVariable long id, @RequestParam(required = false) String district,
                                        @RequestParam(required = false) String measure,
                                        @RequestParam(defaultValue = "false") boolean current,
                                        @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        warnings.get(id);
        return measures.list(id, district, measure, current, page, size);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(EmergencyRoles.WARNING_WRITE)
    @Operation(summary = "Start: {level, startsAt, endsAt, document?, districtCodes, planYear?, reason?}: every participating plan of "
            + "that year and level in those districts becomes a measure, each STOP / LIMIT measure a production order (source EMERGENCY)")
    public Map<String, Object> start(@RequestBody(required = false) WarningRequests.Start body) {
        return warnings.start(body);
    }

    @PostMapping("/{id:\\d+}/level")
    @PreAuthorize(EmergencyRoles.WARNING_WRITE)
    @Operation(summary = "Upgrade or downgrade from effectiveAt (default now): the old level's measures end there, the new level's begin")
    public Map<String, Object> level(@PathVariable long id, @RequestBody(required = false) WarningRequests.Level body) {
        return warnings.changeLevel(id, body);
    }

    @PostMapping("/{id:\\d+}/end")
    @PreAuthorize(EmergencyRoles.WARNING_WRITE)
    @Operation(summary = "A new end time: later extends every running measure, earlier (still in the future) shortens them")
    public Map<String, Object> end(@PathVariable long id, @RequestBody(required = false) WarningRequests.End body) {
        return warnings.changeEnd(id, body);
    }

    @PostMapping("/{id:\\d+}/lift")
    @PreAuthorize(EmergencyRoles.WARNING_WRITE)
    @Operation(summary = "Lift (解除) at effectiveAt (default now): measures end there; those not started are cancelled")
    public Map<String, Object> lift(@PathVariable long id, @RequestBody(required = false) WarningRequests.Lift body) {
        return warnings.lift(id, body);
    }
}
