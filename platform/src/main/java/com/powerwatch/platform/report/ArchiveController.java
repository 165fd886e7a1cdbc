package com.powerwatch.platform.report;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 报表归档: 日报 / 周报 / 月报 (and scheduled custom reports) as generated and kept — the caller's own scope only —
 * downloads, generating one now, and the caller's subscriptions.
 */
@RestController
@RequestMapping("/api/reports")
@Tag(name = "Report archive", description = "日报、周报、月报：归档列表、下载、立即生成、订阅")
class ArchiveController {

    private final ReportArchive archive;
    private final ReportScheduler scheduler;
    private final ReportSubscriptions subscriptions;

    ArchiveController(ReportArchive archive, ReportScheduler scheduler, ReportSubscriptions subscriptions) {
        this.archive = archive;
        this.scheduler = scheduler;
        this.subscriptions = subscriptions;
    }

    @GetMapping("/archive")
    @Operation(summary = "Archived reports of the caller's scope, newest first; kind=DAILY|WEEKLY|MONTHLY|TEMPLATE; before = the last id of the previous page")
    List<ReportArchive.Entry> list(@RequestParam(required = false) String kind, @RequestParam(required = false) Long before,
                                   @RequestParam(defaultValue = "50") int limit) {
        return archive.list(AccessScope.current(), kind == null || kind.isBlank() ? null : kind, before, limit);
    }

    @GetMapping("/archive/{id}/excel")
    @Operation(summary = "An archived report's Excel workbook (404 outside the caller's scope)")
    ResponseEntity<byte[]> excel(@PathVariable long id) {
        Map.Entry<String, byte[]> f = archive.file(AccessScope.current(), id, "xlsx");
        return ReportController.file(f.getValue(), ReportController.XLSX, f.getKey() + ".xlsx");
    }

    @GetMapping("/archive/{id}/pdf")
    @Operation(summary = "An archived report's PDF (404 outside the caller's scope)")
    ResponseEntity<byte[]> pdf(@PathVariable long id) {
        Map.Entry<String, byte[]> f = archive.file(AccessScope.current(), id, "pdf");
        return ReportController.file(f.getValue(), MediaType.APPLICATION_PDF, f.getKey() + ".pdf");
    }

    record GenerateRequest(String kind, String day) {
    }

    @PostMapping("/archive/generate")
    @Operation(summary = "Generate a 日报/周报/月报 now for the caller's scope: kind, day = any day of the period (default: the last ended one); replaces the archived one")
    ReportArchive.Entry generate(@RequestBody GenerateRequest body) {
        PeriodicKind kind = kind(body.kind());
        PowerWatchUser me = AccessScope.currentUser();
        LocalDate today = LocalDate.now(ReportQuery.CHINA);
        LocalDate start;
        if (body.day() == null || body.day().isBlank()) {
            start = kind.lastEnded(today);
        } else {
            try {
                start = kind.periodStart(LocalDate.parse(body.day().trim()));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("day", "日期应为 yyyy-MM-dd 格式：" + body.day());
            }
            if (start.isAfter(today)) {
                throw ApiException.badRequest("day", "所选周期尚未开始：" + body.day());
            }
        }
        AccessScope scope = me.scope();
        long id = scheduler.generate(kind, start, scope, ReportScopes.key(scope), me.username(), Instant.now()).id();
        return archive.list(scope, null, id + 1, 1).get(0);
    }

    @GetMapping("/subscriptions")
    @Operation(summary = "The caller's subscriptions: which of DAILY, WEEKLY, MONTHLY they receive")
    Map<String, Object> mine() {
        return subscriptionView(AccessScope.currentUser().id());
    }

    record SubscriptionRequest(List<String> kinds) {
    }

    @PutMapping("/subscriptions")
    @Operation(summary = "Set the caller's subscriptions (kinds: DAILY, WEEKLY, MONTHLY; empty = none); reports come to the inbox and the channels configured for REPORT")
    Map<String, Object> subscribe(@RequestBody SubscriptionRequest body) {
        PowerWatchUser me = AccessScope.currentUser();
        if (me.role() == Role.API_CLIENT) {
            throw ApiException.badRequest("kinds", "接口账号不能订阅报表");
        }
        List<PeriodicKind> kinds = new ArrayList<>();
        for (String k : body.kinds() == null ? List.<String>of() : body.kinds()) {
            kinds.add(kind(k));
        }
        subscriptions.set(me.id(), kinds);
        return subscriptionView(me.id());
    }

    private Map<String, Object> subscriptionView(long userId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kinds", subscriptions.of(userId).stream().map(Enum::name).toList());
        List<Map<String, String>> all = new ArrayList<>();
        for (PeriodicKind k : PeriodicKind.values()) {
            all.add(Map.of("kind", k.name(), "label", k.label()));
        }
        out.put("available", all);
        return out;
    }

    private static PeriodicKind kind(String s) {
        try {
            return PeriodicKind.valueOf(s == null ? "" : s.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("kind", "报表类型应为 DAILY（日报）、WEEKLY（周报）或 MONTHLY（月报）：" + s);
        }
    }
}
