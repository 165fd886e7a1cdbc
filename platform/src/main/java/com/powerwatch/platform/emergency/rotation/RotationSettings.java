package com.powerwatch.platform.emergency.rotation;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.emergency.EmergencyLevel;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** 企业轮循设置: how the rotatable enterprises of a year × level are picked at each activation (docs/emergency.md §2). */
@Service
public class RotationSettings {

    public enum Mode { ORDER, GROUPS }

    public enum Target { COUNT, CAPACITY, BASELINE }

    /** The rotation of one year × level. seasonStart: the month-day the season begins. */
    public record Setting(int year, EmergencyLevel level, boolean enabled, Mode mode, Target targetKind, Double targetValue,
                          MonthDay seasonStart) {

        /** The start of the season {@code day} lies in: the latest season start on or before it. */
        public LocalDate seasonOf(LocalDate day) {
            LocalDate start = seasonStart.atYear(day.getYear());
            return start.isAfter(day) ? seasonStart.atYear(day.getYear() - 1) : start;
        }
    }

    /** Body of PUT /api/emergency/rotation/{year}/{level}. seasonStart "MM-dd" (default 10-01: the autumn-winter campaign). */
    public record Input(Boolean enabled, Mode mode, Target targetKind, Double targetValue, String seasonStart) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AuditLog audit;

    RotationSettings(NamedParameterJdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** The setting of a year × level, or null when none (no rotation: every participating plan applies). */
    public Setting find(int year, EmergencyLevel level) {
        List<Setting> found = jdbc.query("select * from emergency_rotation where year = :y and level = :l",
                Map.of("y", year, "l", level.name()), (rs, i) -> new Setting(rs.getInt("year"), EmergencyLevel.valueOf(rs.getString("level")),
                        rs.getBoolean("enabled"), Mode.valueOf(rs.getString("mode")), Target.valueOf(rs.getString("target_kind")),
                        (Double) rs.getObject("target_value"), MonthDay.parse("--" + rs.getString("season_start"))));
        return found.isEmpty() ? null : found.get(0);
    }

    public List<Map<String, Object>> list(int year) {
        return jdbc.query("select * from emergency_rotation where year = :y order by level", Map.of("y", year), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("year", rs.getInt("year"));
            m.put("level", rs.getString("level"));
            m.put("enabled", rs.getBoolean("enabled"));
            m.put("mode", rs.getString("mode"));
            m.put("targetKind", rs.getString("target_kind"));
            m.put("targetValue", rs.getObject("target_value"));
            m.put("seasonStart", rs.getString("season_start"));
            m.put("updatedBy", rs.getString("updated_by_name"));
            return m;
        });
    }

    public Map<String, Object> save(int year, EmergencyLevel level, Input in) {
        if (in == null) {
            throw ApiException.badRequest("mode", "请填写轮循设置");
        }
        Mode mode = in.mode() == null ? Mode.ORDER : in.mode();
        Target target = in.targetKind() == null ? Target.COUNT : in.targetKind();
        if (mode == Mode.ORDER && (in.targetValue() == null || !(in.targetValue() > 0))) {
            throw ApiException.badRequest("targetValue", "请填写轮循目标（企业数、产能 kW 或基准负荷 kW，须大于 0）");
        }
        if (target == Target.COUNT && in.targetValue() != null && in.targetValue() != Math.floor(in.targetValue())) {
            throw ApiException.badRequest("targetValue", "按企业数轮循时目标须为整数");
        }
        MonthDay day;
        try {
            day = in.seasonStart() == null || in.seasonStart().isBlank() ? MonthDay.of(10, 1) : MonthDay.parse("--" + in.seasonStart().trim());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("seasonStart", "季节起始日须为 月-日，如 10-01");
        }
        String season = String.format("%02d-%02d", day.getMonthValue(), day.getDayOfMonth());
        jdbc.update("""
                insert into emergency_rotation (year, level, enabled, mode, target_kind, target_value, season_start, updated_by_name)
                values (:y, :l, :enabled, :mode, :target, :value, :season, :user)
                on conflict (year, level) do update set enabled = excluded.enabled, mode = excluded.mode, target_kind = excluded.target_kind,
                    target_value = excluded.target_value, season_start = excluded.season_start,
                    updated_by_name = excluded.updated_by_name, updated_at = now()""",
                new MapSqlParameterSource("y", year).addValue("l", level.name()).addValue("enabled", in.enabled() == null || in.enabled())
                        .addValue("mode", mode.name()).addValue("target", target.name()).addValue("value", in.targetValue())
                        .addValue("season", season).addValue("user", AccessScope.currentUser().username()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("enabled", in.enabled() == null || in.enabled());
        detail.put("mode", mode.name());
        detail.put("targetKind", target.name());
        detail.put("targetValue", in.targetValue());
        detail.put("seasonStart", season);
        audit.record("EMERGENCY_ROTATION_SAVED", "emergency-rotation:" + year + "-" + level.name(), detail);
        return list(year).stream().filter(m -> level.name().equals(m.get("level"))).findFirst().orElseThrow();
    }
}
