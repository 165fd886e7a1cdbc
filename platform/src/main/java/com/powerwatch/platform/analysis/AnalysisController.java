package com.powerwatch.platform.analysis;

import com.powerwatch.platform.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The alarm engine as operators watch it (CITY_ADMIN, OPERATOR; see SecurityConfig). */
@RestController
@RequestMapping("/api/analysis")
public class AnalysisController {

    private final ObjectProvider<AlarmEngine> engine;

    public AnalysisController(ObjectProvider<AlarmEngine> engine) {
        this.engine = engine;
    }

    @GetMapping("/engine")
    @Operation(summary = "The alarm engine: state, journal lag, samples taken, raises and clears, its data clock, open alarms")
    public Map<String, Object> engine() {
        AlarmEngine e = engine.getIfAvailable();
        if (e == null) {
            throw ApiException.notFound("alarm engine", "(switched off: powerwatch.analysis.enabled=false)");
        }
        return e.stats();
    }
}
