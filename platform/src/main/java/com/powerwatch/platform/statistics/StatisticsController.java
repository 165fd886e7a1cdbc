package com.powerwatch.platform.statistics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * 综合分析: alarm statistics over a period (from/to: China days, both included; default the last 30 days; at most
 * 366 days) and a region (district: any region code, everything below it), scoped to the caller. See
 * docs/statistics.md.
 */
@RestController
@RequestMapping("/api/statistics")
@Tag(name = "Statistics", description = "综合分析：报警趋势、企业/区县/行业报警排名、报警统计、企业按行业/区域占比")
class StatisticsController {

    private final AlarmStatistics statistics;

    StatisticsController(AlarmStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/alarms/trend")
    @Operation(summary = "Alarms per day (by start, China time) and level: days[{day, LEVEL_1, LEVEL_2, LEVEL_3, NOTICE, total}]")
    Map<String, Object> trend(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                              @RequestParam(required = false) String district) {
        return statistics.trend(StatisticsPeriod.parse(from, to), district);
    }

    @GetMapping("/alarms/ranking")
    @Operation(summary = "Ranking by=enterprise|district|industry (GB/T 4754 大类): items[{rank, key, name, count, per level, open}], most first")
    Map<String, Object> ranking(@RequestParam(required = false) String by, @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to, @RequestParam(required = false) String district,
                                @RequestParam(defaultValue = "10") int limit) {
        return statistics.ranking(by, StatisticsPeriod.parse(from, to), district, limit);
    }

    @GetMapping("/alarms/breakdown")
    @Operation(summary = "Counts by=type|category|level|handling|workflow|status, every value listed (zeros too)")
    Map<String, Object> breakdown(@RequestParam(required = false) String by, @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to, @RequestParam(required = false) String district) {
        return statistics.breakdown(by, StatisticsPeriod.parse(from, to), district);
    }

    @GetMapping("/enterprises/share")
    @Operation(summary = "Supervised enterprises by=industry|district, with those that had alarms in the period and their alarms")
    Map<String, Object> enterpriseShare(@RequestParam(required = false) String by, @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to, @RequestParam(required = false) String district) {
        return statistics.enterpriseShare(by, StatisticsPeriod.parse(from, to), district);
    }

    @GetMapping("/dimensions")
    @Operation(summary = "The districts and industries (大类) of the enterprises in the caller's scope, and the region holding them all")
    Map<String, Object> dimensions() {
        return statistics.dimensions();
    }
}
