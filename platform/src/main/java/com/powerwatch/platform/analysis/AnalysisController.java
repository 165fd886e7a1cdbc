package com.powerwatch.platform.analysis;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alarm engine as operators watch and steer it (CITY_ADMIN, OPERATOR; see SecurityConfig). */
@RestController
@RequestMapping("/api/analysis")
public class AnalysisController {

    private final ObjectProvider<AlarmEngine> engine;
    private final FacilityHistoryPeak peaks;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    public AnalysisController(ObjectProvider<AlarmEngine> engine, FacilityHistoryPeak peaks, JdbcTemplate jdbc, AuditLog audit) {
        this.engine = engine;
        this.peaks = peaks;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @GetMapping("/engine")
    @Operation(summary = "The alarm engine: state, journal lag, samples taken, raises and clears, its data clock, open alarms")
    public Map<String, Object> engine() {
        AlarmEngine e = engine.getIfAvailable();
        if (e == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "报警分析引擎未启用");
        }
        return e.stats();
    }

    /**
     * Recomputes OVER_CAPACITY's history reference now — after a facility was registered with back-filled data, or its
     * rule's window or percentile changed — instead of waiting for the daily run (peak-cron, 01:15).
     */
    @PostMapping("/history-peaks")
    @Operation(summary = "Recompute the OVER_CAPACITY history reference (p99 of running 15-min power over the rule's window) "
            + "of one production facility (facilityId), or of all when none is given; otherwise done daily at 01:15")
    public Map<String, Object> historyPeaks(@RequestParam(required = false) Long facilityId) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (facilityId == null) {
            out.put("facilities", peaks.refreshAll());
        } else {
            List<String> kind = jdbc.queryForList("select kind from facility where id = ?", String.class, facilityId);
            if (kind.isEmpty()) {
                throw ApiException.notFound("设施", facilityId);
            }
            if (!"PRODUCTION".equals(kind.get(0))) {
                throw ApiException.badRequest("facilityId", "只有生产设施有历史参照功率（该设施类型为 " + kind.get(0) + "）");
            }
            out.put("facilityId", facilityId);
            out.put("historyPeakKw", peaks.refresh(facilityId));
        }
        audit.record("HISTORY_PEAK_RECOMPUTED", facilityId == null ? "facility:*" : "facility:" + facilityId, out);
        return out;
    }
}
