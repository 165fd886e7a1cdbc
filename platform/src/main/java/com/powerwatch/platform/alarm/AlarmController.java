package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AccessScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * 实时报警 / 历史报警 and their handling. Reads: every role, scoped in SQL. Actions: by role and scope as in
 * docs/alarms.md (API clients never write: SecurityConfig refuses every non-GET request of theirs).
 */
@RestController
@RequestMapping("/api/alarms")
@Tag(name = "Alarms", description = "实时报警、历史报警、确认/取消/处理、派发-反馈-核查-审核、企业说明与照片")
public class AlarmController {

    private final AlarmQueries queries;
    private final AlarmHandling handling;
    private final AlarmAttachments attachments;
    private final AlarmCatalogue catalogue;
    private final AlarmStream stream;
    private final AlarmExport export;
    private final DispatchCandidates candidates;

    public AlarmController(AlarmQueries queries, AlarmHandling handling, AlarmAttachments attachments, AlarmCatalogue catalogue,
                           AlarmStream stream, AlarmExport export, DispatchCandidates candidates) {
        this.queries = queries;
        this.handling = handling;
        this.attachments = attachments;
        this.catalogue = catalogue;
        this.stream = stream;
        this.export = export;
        this.candidates = candidates;
    }

    @GetMapping
    @Operation(summary = "The real-time list (status=active: open and not cancelled; default) or history (recovered, cancelled, all), "
            + "filters: from/to (start time), level, type (repeatable), category, handling, workflow, district (region prefix), "
            + "industry (with its sub-codes), enterpriseId, facilityId, minCount (occurrences); paged; sort=severity (most severe "
            + "first, default) or time (latest start first)")
    public AlarmQueries.Page list(@RequestParam(required = false) String status, @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to, @RequestParam(required = false) List<String> level,
                                  @RequestParam(required = false) List<String> type, @RequestParam(required = false) String category,
                                  @RequestParam(required = false) String handling, @RequestParam(required = false) String workflow,
                                  @RequestParam(required = false) String district, @RequestParam(required = false) String industry,
                                  @RequestParam(required = false) Long enterpriseId, @RequestParam(required = false) Long facilityId,
                                  @RequestParam(required = false) Integer minCount,
                                  @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                                  @RequestParam(required = false) String sort) {
        return queries.list(new AlarmQueries.Filter(status, from, to, level, type, category, handling, workflow, district, industry,
                enterpriseId, facilityId, minCount), page, size, sort);
    }

    @GetMapping("/counts")
    @Operation(summary = "Counts for the header badges: total, by level, category, type and district (same filters as the list)")
    public Map<String, Object> counts(@RequestParam(required = false) String status, @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to, @RequestParam(required = false) List<String> level,
                                      @RequestParam(required = false) List<String> type, @RequestParam(required = false) String category,
                                      @RequestParam(required = false) String handling, @RequestParam(required = false) String workflow,
                                      @RequestParam(required = false) String district, @RequestParam(required = false) String industry,
                                      @RequestParam(required = false) Long enterpriseId, @RequestParam(required = false) Long facilityId,
                                      @RequestParam(required = false) Integer minCount) {
        return queries.counts(new AlarmQueries.Filter(status, from, to, level, type, category, handling, workflow, district, industry,
                enterpriseId, facilityId, minCount));
    }

    @GetMapping("/export")
    @Operation(summary = "The search as Excel (.xlsx, Chinese headers), same filters, scope and order as the list; at most 100,000 rows "
            + "(X-Total-Count: alarms matched, X-Exported-Rows: rows written; the sheet 导出说明 says so too)")
    public ResponseEntity<byte[]> export(@RequestParam(required = false) String status, @RequestParam(required = false) String from,
                                         @RequestParam(required = false) String to, @RequestParam(required = false) List<String> level,
                                         @RequestParam(required = false) List<String> type, @RequestParam(required = false) String category,
                                         @RequestParam(required = false) String handling, @RequestParam(required = false) String workflow,
                                         @RequestParam(required = false) String district, @RequestParam(required = false) String industry,
                                         @RequestParam(required = false) Long enterpriseId, @RequestParam(required = false) Long facilityId,
                                         @RequestParam(required = false) Integer minCount, @RequestParam(required = false) String sort) {
        AlarmExport.Result r = export.export(new AlarmQueries.Filter(status, from, to, level, type, category, handling, workflow,
                district, industry, enterpriseId, facilityId, minCount), sort);
        String name = "报警记录-" + java.time.LocalDateTime.now(AlarmQueries.CHINA).format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")) + ".xlsx";
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
                .header("X-Total-Count", String.valueOf(r.matched()))
                .header("X-Exported-Rows", String.valueOf(r.rows()))
                .body(r.bytes());
    }

    @GetMapping("/types")
    @Operation(summary = "The alarm type catalogue: code, Chinese name, category, default level")
    public List<AlarmCatalogue.AlarmType> types() {
        return catalogue.all();
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: 'alarm' (a state change of an alarm in the caller's scope) and 'message' "
            + "(a message to the caller, e.g. a handling opinion); ?access_token= for EventSource")
    public SseEmitter stream() throws IOException {
        return stream.subscribe(AccessScope.current(), AccessScope.currentUser().id());
    }

    @GetMapping("/{alarmId:\\d+}")
    @Operation(summary = "One alarm with its evidence, handling steps and attachments")
    public Map<String, Object> get(@PathVariable long alarmId) {
        return queries.detail(alarmId);
    }

    @GetMapping("/{alarmId:\\d+}/assignees")
    @Operation(summary = "Whom the alarm can be dispatched to: users (officers covering its district, administrators) and units "
            + "(its district and the regions above); officers and administrators")
    public Map<String, Object> assignees(@PathVariable long alarmId) {
        return candidates.of(alarmId);
    }

    @PostMapping("/{alarmId:\\d+}/confirm")
    @Operation(summary = "确认: the alarm has been seen (officers, administrators; operators for data-quality alarms). Body {text?}")
    public Map<String, Object> confirm(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.confirm(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/cancel")
    @Operation(summary = "取消: off the real-time list, kept in history. Body {text?}")
    public Map<String, Object> cancel(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.cancel(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/handle")
    @Operation(summary = "处理: an opinion {text}, sent as a message to the enterprise's users and the assignee")
    public Map<String, Object> handle(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.handle(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/dispatch")
    @Operation(summary = "派发: {assigneeUserId | assigneeRegion, deadline, text?}")
    public Map<String, Object> dispatch(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.dispatch(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/feedback")
    @Operation(summary = "反馈 by the assignee: {text, result?}")
    public Map<String, Object> feedback(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.feedback(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/verify")
    @Operation(summary = "核查: {result: ENTERPRISE_ABNORMAL | DEVICE_ABNORMAL | NO_ABNORMALITY, text?}")
    public Map<String, Object> verify(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.verify(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/review")
    @Operation(summary = "审核: {result: PASSED | REJECTED, text (required when rejected)}; rejected goes back to the assignee")
    public Map<String, Object> review(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.review(alarmId, body);
    }

    @PostMapping("/{alarmId:\\d+}/reason")
    @Operation(summary = "异常申报 by the enterprise's users: {text}")
    public Map<String, Object> reason(@PathVariable long alarmId, @RequestBody(required = false) AlarmHandling.ActionRequest body) {
        return handling.reason(alarmId, body);
    }

    @PostMapping(path = "/{alarmId:\\d+}/attachments", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a photo (multipart 'file', JPEG/PNG/WebP by content; 'note' optional): 415 other types, 413 too large")
    public Map<String, Object> upload(@PathVariable long alarmId, @RequestPart("file") MultipartFile file,
                                      @RequestParam(required = false) String note) {
        return attachments.add(alarmId, file, note);
    }

    @GetMapping("/{alarmId:\\d+}/attachments/{attachmentId:\\d+}")
    @Operation(summary = "The photo's bytes")
    public ResponseEntity<Resource> attachment(@PathVariable long alarmId, @PathVariable long attachmentId) {
        AlarmAttachments.Stored s = attachments.get(alarmId, attachmentId);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(s.contentType()))
                .contentLength(s.size())
                .cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", ContentDisposition.inline().filename(s.fileName(), StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(s.path()));
    }
}
