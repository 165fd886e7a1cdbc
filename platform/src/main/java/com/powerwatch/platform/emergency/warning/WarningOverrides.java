package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.emergency.AfterCommit;
import com.powerwatch.platform.emergency.EmergencyLevel;
import com.powerwatch.platform.emergency.board.Board;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An officer's override of a rotation pick (轮循调整), with a reason, audited: putting an enterprise in opens its measure
 * (and order) from now to the warning's end; taking one out ends it now. Only picks of the activation in force.
 */
@Service
public class WarningOverrides {

    /** Body of POST …/rotation/{pickId}. */
    public record Override(Boolean picked, String reason) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Warnings warnings;
    private final WarningMeasures measures;
    private final WarningFollowUp followUp;
    private final Board board;
    private final AuditLog audit;

    WarningOverrides(NamedParameterJdbcTemplate jdbc, Warnings warnings, WarningMeasures measures, WarningFollowUp followUp,
                     Board board, AuditLog audit) {
        this.jdbc = jdbc;
        this.warnings = warnings;
        this.measures = measures;
        this.followUp = followUp;
        this.board = board;
        this.audit = audit;
    }

    @Transactional
    public Map<String, Object> override(long warningId, long pickId, Override r) {
        Warnings.Warning w = warnings.active(warningId);
        if (r == null || r.picked() == null) {
            throw ApiException.badRequest("picked", "请选择调入（true）或调出（false）");
        }
        if (r.reason() == null || r.reason().isBlank()) {
            throw ApiException.badRequest("reason", "请填写调整原因");
        }
        if (r.reason().length() > 500) {
            throw ApiException.badRequest("reason", "调整原因不超过 500 个字符");
        }
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select k.enterprise_id, k.picked, k.change_id, e.district_code, e.name from emergency_rotation_pick k
                join enterprise e on e.id = k.enterprise_id where k.id = :id and k.warning_id = :w""",
                Map.of("id", pickId, "w", warningId));
        if (rows.isEmpty()) {
            throw ApiException.notFound("轮循记录", pickId);
        }
        Map<String, Object> row = rows.get(0);
        long enterpriseId = ((Number) row.get("enterprise_id")).longValue();
        AccessScope.current().require((String) row.get("district_code"), enterpriseId);
        Long latest = jdbc.queryForObject("""
                select max(id) from emergency_warning_change where warning_id = :w and kind in ('START', 'UPGRADE', 'DOWNGRADE')""",
                Map.of("w", warningId), Long.class);
        if (((Number) row.get("change_id")).longValue() != latest) {
            throw ApiException.conflict("只能调整当前级别的轮循结果");
        }
        boolean picked = r.picked();
        if (picked == (Boolean) row.get("picked")) {
            throw ApiException.badRequest("picked", picked ? "该企业已在本次轮循中" : "该企业本次未被轮循选中");
        }
        PowerWatchUser user = AccessScope.currentUser();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant at = now.isBefore(w.startsAt()) ? w.startsAt() : now;
        List<Long> pending = List.of();
        if (picked) {
            pending = measures.open(warningId, w.level(), w.planYear(), at, w.endsAt(), List.of(), List.of(enterpriseId), enterpriseId,
                    Warnings.reasonText(w.level(), w.document()) + "（轮循调整：" + r.reason().trim() + "）", user.id(), user.username());
        } else {
            measures.close(warningId, at, "轮循调整：" + r.reason().trim(), enterpriseId);
        }
        jdbc.update("""
                update emergency_rotation_pick set picked = :picked, overridden_at = now(), override_by = :user, override_reason = :reason
                where id = :id""", new MapSqlParameterSource("picked", picked).addValue("user", user.username())
                .addValue("reason", r.reason().trim()).addValue("id", pickId));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("warningId", warningId);
        detail.put("enterpriseId", enterpriseId);
        detail.put("picked", picked);
        detail.put("reason", r.reason().trim());
        detail.put("effectiveAt", at.toString());
        audit.record("EMERGENCY_ROTATION_OVERRIDDEN", "emergency-rotation-pick:" + pickId, detail);
        List<Long> waiting = pending;
        AfterCommit.run(() -> {
            board.invalidate(warningId);
            followUp.baselines(waiting);
        });
        return Map.of("id", pickId, "enterpriseId", enterpriseId, "picked", picked, "level", EmergencyLevel.valueOf(w.level().name()).name());
    }
}
