package com.powerwatch.platform.alarm;

import com.powerwatch.platform.message.UserMessages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-app messages to the people concerned (the users named in the notification). Always on. Each message is first
 * stored in the recipient's inbox ({@code user_message}, read later through {@code /api/messages}), then pushed as a
 * {@code message} event on the user's open alarm streams, if any. Runs on the notifier's delivery thread like every
 * channel, so the insert never holds up the engine or an API request; a failed insert throws and is retried (nothing
 * is pushed before it is stored, so a retry cannot show a message twice).
 */
class InAppChannel implements NotificationChannel {

    private final AlarmStream stream;
    private final UserMessages inbox;

    InAppChannel(AlarmStream stream, UserMessages inbox) {
        this.stream = stream;
        this.inbox = inbox;
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
        return n.userIds().stream().map(Notification::userRecipient).toList();
    }

    @Override
    public void send(Notification n, String recipient) {
        long userId = Notification.userOf(recipient);
        UserMessages.Message stored = inbox.store(userId, n.alarmRef(), n.event().name(), n.title(), n.text(), n.level().name());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", stored.id());
        message.put("event", n.event().name());
        message.put("alarmId", n.alarmRef());
        message.put("title", n.title());
        message.put("text", n.text());
        message.put("level", n.level().name());
        message.put("at", stored.createdAt().toString());
        stream.message(userId, message); // false = not connected: the message waits in the inbox
    }
}
