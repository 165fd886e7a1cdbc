package com.powerwatch.platform.alarm;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-app messages to the people concerned (the users named in the notification), as {@code message} events on
 * their open alarm streams. Always on. A user without an open stream is logged as such in notification_log
 * (outcome SENT, error "not connected"); the mobile client's push will use the same log as its inbox.
 */
class InAppChannel implements NotificationChannel {

    private final AlarmStream stream;

    InAppChannel(AlarmStream stream) {
        this.stream = stream;
    }

    @Override
    public String name() {
        return "in-app";
    }

    @Override
    public Kind kind() {
        return Kind.IN_APP;
    }

    @Override
    public boolean accepts(Notification n) {
        return !n.userIds().isEmpty();
    }

    @Override
    public List<String> recipients(Notification n) {
        return n.userIds().stream().map(id -> "user:" + id).toList();
    }

    @Override
    public void send(Notification n, String recipient) {
        long userId = Long.parseLong(recipient.substring("user:".length()));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", n.event().name());
        message.put("alarmId", n.alarmId());
        message.put("title", n.title());
        message.put("text", n.text());
        message.put("level", n.level().name());
        message.put("at", Instant.now().toString());
        stream.message(userId, message);
    }
}
