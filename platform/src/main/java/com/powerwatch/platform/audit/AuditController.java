package com.powerwatch.platform.audit;

import com.powerwatch.platform.api.ApiException;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.util.Map;

/** 系统日志 search for the city administrator. */
@RestController
@RequestMapping("/api/admin/audit")
@PreAuthorize("hasRole('CITY_ADMIN')")
public class AuditController {

    private final AuditSearch search;
    private final AuditLog audit;

    public AuditController(AuditSearch search, AuditLog audit) {
        this.search = search;
        this.audit = audit;
    }

    /**
     * Newest first. All filters are optional and combine with AND.
     *
     * @param from     inclusive, ISO-8601 with offset
     * @param to       exclusive
     * @param username exact, case-insensitive
     * @param action   e.g. LOGIN, LOGIN_FAILED, ACCOUNT_LOCKED, API_REQUEST, USER_CREATED (case-insensitive)
     * @param outcome  SUCCESS, FAILURE, DENIED or PENDING
     * @param q        free text in target, path and detail
     */
    @GetMapping
    public AuditSearch.Page search(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
                                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
                                   @RequestParam(required = false) String username,
                                   @RequestParam(required = false) String action,
                                   @RequestParam(required = false) String outcome,
                                   @RequestParam(required = false) String q,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw ApiException.badRequest("page", "页码不能为负数");
        }
        if (size < 1 || size > 500) {
            throw ApiException.badRequest("size", "每页条数须在 1 到 500 之间");
        }
        AuditLog.Outcome o = null;
        if (outcome != null && !outcome.isBlank()) {
            try {
                o = AuditLog.Outcome.valueOf(outcome.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("outcome", "结果须为 SUCCESS（成功）、FAILURE（失败）、DENIED（拒绝）或 PENDING（未完成）");
            }
        }
        AuditSearch.Page found = search.find(new AuditSearch.Criteria(from, to, username, action, o, q), page, size);
        // who read the audit log is on record too (written after the search, so it is not among its own results)
        audit.recordExport("audit-log", found.items().size(), Map.of("total", found.total()));
        return found;
    }
}
