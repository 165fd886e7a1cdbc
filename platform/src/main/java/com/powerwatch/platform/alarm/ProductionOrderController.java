package com.powerwatch.platform.alarm;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** 停产/限产令. Reads: every role, scoped. Create and revoke: administrators and district officers (in scope). */
@RestController
@RequestMapping("/api/production-orders")
@Tag(name = "Production orders", description = "停产、限产令：企业或指定生产设施、停/限比例、起止时间、来源")
public class ProductionOrderController {

    static final String WRITE = "hasAnyRole('CITY_ADMIN','DISTRICT_OFFICER')";

    /** Body of POST …/revoke. */
    public record RevokeRequest(String reason) {
    }

    private final ProductionOrders orders;

    public ProductionOrderController(ProductionOrders orders) {
        this.orders = orders;
    }

    @GetMapping
    @Operation(summary = "Orders visible to the caller (filters: enterpriseId, district, kind, status, activeAt; paged, latest first)")
    public ProductionOrders.Page list(@RequestParam(required = false) Long enterpriseId, @RequestParam(required = false) String district,
                                      @RequestParam(required = false) String kind, @RequestParam(required = false) String status,
                                      @RequestParam(required = false) String activeAt,
                                      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return orders.list(enterpriseId, district, kind, status, activeAt, page, size);
    }

    @GetMapping("/active")
    @Operation(summary = "The orders of an enterprise in force at a time (default now), as the analysis engine reads them")
    public List<ProductionOrders.ProductionOrder> active(@RequestParam long enterpriseId, @RequestParam(required = false) String at) {
        Instant when = at == null || at.isBlank() ? Instant.now() : AlarmQueries.parseTime("at", at).toInstant();
        return orders.activeForCaller(enterpriseId, when);
    }

    @GetMapping("/{orderId:\\d+}")
    public Map<String, Object> get(@PathVariable long orderId) {
        return orders.get(orderId);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(WRITE)
    @Operation(summary = "Create: {enterpriseId, kind STOP|LIMIT, limitPercent (LIMIT: required reduction 1–99 %), baselineKw?, "
            + "facilityIds? (production facilities; none = whole enterprise), validFrom, validTo, source, sourceRef?, reason?}. "
            + "Without baselineKw the baseline is computed from the enterprise's history at once (baselineMethod HISTORY_30D, "
            + "or RATED when history is too short) and shown in the answer")
    public Map<String, Object> create(@RequestBody(required = false) ProductionOrders.OrderRequest body) {
        return orders.create(body);
    }

    @PutMapping("/{orderId:\\d+}/baseline")
    @PreAuthorize(WRITE)
    @Operation(summary = "Set the baseline: {baselineKw: number} types it (MANUAL, never recomputed); {baselineKw: null} "
            + "computes it from history again")
    public Map<String, Object> baseline(@PathVariable long orderId, @RequestBody(required = false) ProductionOrders.BaselineRequest body) {
        orders.get(orderId); // 404 / 403 before anything else
        return orders.setBaseline(orderId, body);
    }

    @PostMapping("/{orderId:\\d+}/revoke")
    @PreAuthorize(WRITE)
    public Map<String, Object> revoke(@PathVariable long orderId, @RequestBody(required = false) RevokeRequest body) {
        orders.get(orderId); // 404 / 403 before anything else
        return orders.revoke(orderId, body == null ? null : body.reason());
    }
}
