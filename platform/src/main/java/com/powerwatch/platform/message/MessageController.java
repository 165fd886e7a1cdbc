package com.powerwatch.platform.message;

import com.powerwatch.platform.auth.AccessScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * 消息中心: the signed-in user's own in-app messages (handling opinions, dispatched tasks …), whatever the role.
 * There is no user parameter: every call works on the caller's inbox only, and another user's message id is 404.
 * The same messages arrive live as {@code message} events on {@code GET /api/alarms/stream}.
 */
@RestController
@RequestMapping("/api/messages")
@Tag(name = "Messages", description = "消息中心：本人的站内消息（处理意见、任务派发等），未读数，标记已读")
public class MessageController {

    private final UserMessages messages;

    public MessageController(UserMessages messages) {
        this.messages = messages;
    }

    @GetMapping
    @Operation(summary = "The caller's messages, newest first; unread=true for the unread ones only; keyset paging: "
            + "before = nextBefore of the previous page; limit 1-200 (default 50)")
    public UserMessages.Page list(@RequestParam(defaultValue = "false") boolean unread, @RequestParam(required = false) Long before,
                                  @RequestParam(defaultValue = "50") int limit) {
        return messages.list(me(), unread, before, limit);
    }

    @GetMapping("/unread-count")
    @Operation(summary = "How many of the caller's messages are unread (the badge)")
    public Map<String, Object> unreadCount() {
        return Map.of("unread", messages.unreadCount(me()));
    }

    @PostMapping("/{id}/read")
    @Operation(summary = "Mark one of the caller's messages read (idempotent; 404 for a message that is not the caller's)")
    public UserMessages.Message read(@PathVariable long id) {
        return messages.markRead(me(), id);
    }

    @PostMapping("/read-all")
    @Operation(summary = "Mark all the caller's unread messages read, or only those with id <= upTo (the newest one shown)")
    public Map<String, Object> readAll(@RequestParam(required = false) Long upTo) {
        long me = me();
        int marked = messages.markAllRead(me, upTo);
        return Map.of("marked", marked, "unread", messages.unreadCount(me));
    }

    private static long me() {
        return AccessScope.currentUser().id();
    }
}
