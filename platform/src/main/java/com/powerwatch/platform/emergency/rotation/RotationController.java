package com.powerwatch.platform.emergency.rotation;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.EmergencyRoles;
import com.powerwatch.platform.emergency.Times;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** 企业轮循设置: the rotation of each year × level, and what it would pick now. */
@RestController
@RequestMapping("/api/emergency/rotation")
@PreAuthorize(EmergencyRoles.OFFICERS)
@Tag(name = "Emergency: rotation", description = "企业轮循设置：按绩效等级与已限停次数轮流限停；轮循台账见 /api/emergency/warnings/{id}/rotation")
public class RotationController {

    private final RotationSettings settings;
    private final Rotation rotation;
    private final NamedParameterJdbcTemplate jdbc;

    public RotationController(RotationSettings settings, Rotation rotation, NamedParameterJdbcTemplate jdbc) {
        this.settings = settings;
        this.rotation = rotation;
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<Map<String, Object>> list(@RequestParam int year) {
        return settings.list(year);
    }

    @PutMapping("/{year:\\d{4}}/{level}")
    @PreAuthorize("hasRole('CITY_ADMIN')")
    @Operation(summary = "Save: {enabled, mode ORDER|GROUPS, targetKind COUNT|CAPACITY|BASELINE, targetValue, seasonStart MM-dd}")
    public Map<String, Object> save(@PathVariable int year, @PathVariable String level, @RequestBody(required = false) RotationSettings.Input body) {
        return settings.save(year, level(level), body);
    }

    @GetMapping("/{year:\\d{4}}/{level}/preview")
    @Operation(summary = "The candidates in rotation order and whom an activation now would pick (districts: codes; none = the caller's)")
    public Map<String, Object> preview(@PathVariable int year, @PathVariable String level,
                                       @RequestParam(required = false) List<String> districts) {
        EmergencyLevel l = level(level);
        AccessScope scope = AccessScope.current();
        List<String> codes = jdbc.queryForList("select code from region where level = 3 order by code", Map.of(), String.class).stream()
                .filter(c -> districts == null || districts.isEmpty() || districts.stream().anyMatch(d -> c.startsWith(AccessScope.regionPrefix("districts", d))))
                .filter(c -> scope.everything() || scope.districtPrefixes().stream().anyMatch(c::startsWith)).toList();
        Rotation.Picks picks = rotation.pick(year, l, Instant.now(), codes, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", picks != null);
        out.put("group", picks == null ? null : picks.group());
        out.put("candidates", picks == null ? List.of() : picks.ordered().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enterpriseId", c.enterpriseId());
            m.put("enterpriseName", c.enterpriseName());
            m.put("districtName", c.districtName());
            m.put("grade", c.grade());
            m.put("group", c.group());
            m.put("timesLimited", c.timesLimited());
            m.put("lastLimitedAt", Times.china(c.lastLimitedAt()));
            m.put("ratedKw", c.ratedKw());
            m.put("weight", c.weight());
            m.put("picked", picks.picked().contains(c.enterpriseId()));
            return m;
        }).toList());
        return out;
    }

    private static EmergencyLevel level(String text) {
        EmergencyLevel l = EmergencyLevel.parse(text);
        if (l == null) {
            throw ApiException.badRequest("level", "预警级别须为 YELLOW（黄色）、ORANGE（橙色）或 RED（红色）");
        }
        return l;
    }
}
