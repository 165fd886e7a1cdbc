package com.powerwatch.platform.dashboard;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * 首页一张图 and 情况总览: the map's enterprises, the KPI cards and charts, the base-map settings, the overview list.
 * Every read is limited to the caller's scope (docs/web.md).
 */
@RestController
class DashboardController {

    private final DashboardService dashboard;
    private final OverviewService overview;

    DashboardController(DashboardService dashboard, OverviewService overview) {
        this.dashboard = dashboard;
        this.overview = overview;
    }

    /** Every supervised enterprise in scope as a compact row for the map: place, names, mapState, open alarms. */
    @GetMapping("/api/dashboard/map")
    List<Map<String, Object>> map() {
        return dashboard.map();
    }

    /** KPI cards and the home page's charts, optionally for one region (any level). */
    @GetMapping("/api/dashboard/summary")
    Map<String, Object> summary(@RequestParam(required = false) String district) {
        return dashboard.summary(district);
    }

    /** The base map: city, centre, zoom, district boundaries and the optional tile source. */
    @GetMapping("/api/dashboard/map-config")
    Map<String, Object> mapConfig() {
        return dashboard.mapConfig();
    }

    /** 情况总览: enterprises with their four status icons, filtered, sorted and paged on the server. */
    @GetMapping("/api/overview/enterprises")
    Map<String, Object> enterprises(@RequestParam(required = false) String q,
                                    @RequestParam(required = false) String district,
                                    @RequestParam(required = false) String industry,
                                    @RequestParam(required = false) String abnormality,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size,
                                    @RequestParam(required = false) String sort) {
        return overview.list(new OverviewService.Query(q, district, industry, abnormality,
                page, size, sort));
    }
}
