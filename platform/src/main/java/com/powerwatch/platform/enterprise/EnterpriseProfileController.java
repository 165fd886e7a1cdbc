package com.powerwatch.platform.enterprise;

import com.powerwatch.platform.telemetry.HistoryController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** 一企一档: the enterprise page's data (docs/enterprise.md). Every read is limited to the caller's scope. */
@RestController
@RequestMapping("/api/enterprises")
@Tag(name = "Enterprise profile", description = "一企一档：企业基本信息、实时状态、用电量、工艺流程、限停产令、报警、通讯信息、生产负荷曲线")
public class EnterpriseProfileController {

    private final EnterpriseProfile profiles;

    EnterpriseProfileController(EnterpriseProfile profiles) {
        this.profiles = profiles;
    }

    @GetMapping("/{id}/profile")
    @Operation(summary = "Everything the enterprise page shows: basic information, real-time state, energy today/month/year per "
            + "class, facilities with live state, power and thresholds, lines and associations (工艺流程), recent production "
            + "orders, open alarms and those awaiting the enterprise's explanation, data loggers with frames today")
    public Map<String, Object> profile(@PathVariable long id) {
        return profiles.profile(id);
    }

    @GetMapping("/{id}/load")
    @Operation(summary = "生产负荷曲线: total, production and treatment power over [from, to) (or the listed facilityIds of "
            + "the enterprise), with each single facility's thresholds in force and the production orders in force to shade; "
            + "grain and maxPoints as /api/history/series")
    public Map<String, Object> load(@PathVariable long id, @RequestParam String from, @RequestParam String to,
                                    @RequestParam(defaultValue = "auto") String grain,
                                    @RequestParam(defaultValue = "1500") int maxPoints,
                                    @RequestParam(required = false) List<Long> facilityIds) {
        return profiles.load(id, HistoryController.instant("from", from), HistoryController.instant("to", to), grain, maxPoints, facilityIds);
    }
}
