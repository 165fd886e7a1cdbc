package com.powerwatch.platform.alarm;

import java.util.List;

/**
 * A way to tell people about alarms. The {@link Notifier} asks each channel whether a notification is for it and
 * to whom, then calls {@link #send} once per recipient on its own delivery threads (with retries), never on the
 * caller's thread. {@code send} throws when the delivery failed and may be retried.
 */
public interface NotificationChannel {

    enum Kind { IN_APP, WECOM, DINGTALK, SMS, EMAIL }

    /** The configured name (in notification_log). */
    String name();

    Kind kind();

    /** Whether this notification goes through this channel (levels, types, regions, events). */
    boolean accepts(Notification n);

    /** One delivery per recipient; a channel without per-recipient sending (a robot webhook) returns one null. */
    List<String> recipients(Notification n);

    void send(Notification n, String recipient) throws Exception;
}
