package com.powerwatch.platform.mobile;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Android app's background check (there is no Google push in China: the app asks every 15 minutes). One small
 * answer: what is new for the caller past the cursors the app keeps. Read-only; marks nothing read.
 */
@RestController
@RequestMapping("/api/mobile")
@Tag(name = "Mobile", description = "手机App：后台检查新报警与新消息（本人范围内）")
public class MobileUpdatesController {

    private final MobileUpdates updates;
    private final MobileProperties properties;

    public MobileUpdatesController(MobileUpdates updates, MobileProperties properties) {
        this.updates = updates;
        this.properties = properties;
    }

    @GetMapping("/updates")
    @Operation(summary = "New open alarms in the caller's scope with id > alarmsAfter and the caller's unread messages with "
            + "id > messagesAfter, newest first (at most powerwatch.mobile.updates-limit of each, all counted), and the newest "
            + "ids as the next cursors; without cursors only the newest ids")
    public MobileUpdates.Answer updates(@RequestParam(required = false) Long alarmsAfter,
                                        @RequestParam(required = false) Long messagesAfter) {
        if ((alarmsAfter == null) != (messagesAfter == null)) {
            throw ApiException.badRequest(alarmsAfter == null ? "alarmsAfter" : "messagesAfter",
                    "alarmsAfter 与 messagesAfter 须同时给出（首次检查时都不给）");
        }
        if (alarmsAfter != null && (alarmsAfter < 0 || messagesAfter < 0)) {
            throw ApiException.badRequest(alarmsAfter < 0 ? "alarmsAfter" : "messagesAfter", "游标不能为负数");
        }
        return updates.since(AccessScope.currentUser().id(), AccessScope.current(), alarmsAfter, messagesAfter,
                properties.updatesLimit());
    }
}
