package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.ContactDetails;

import java.util.List;
import java.util.Map;

/**
 * A message about one alarm, before it is routed to channels.
 *
 * @param userIds      people concerned (in-app messages): e.g. the enterprise's users and the assignee of a handled alarm
 * @param phones       phone numbers of the enterprise's contacts (used by SMS channels that opt in)
 * @param userContacts the phone / e-mail of those of {@code userIds} who gave one (SMS and e-mail channels with
 *                     {@code user-contacts}); looked up once when the notification is built, so channels need no database
 */
public record Notification(NotificationEvent event, long alarmId, long enterpriseId, String enterpriseName,
                           String districtCode, String type, String typeName, String category, AlarmLevel level,
                           String title, String text, List<Long> userIds, List<String> phones,
                           Map<Long, ContactDetails> userContacts) {

    public Notification {
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
        phones = phones == null ? List.of() : List.copyOf(phones);
        userContacts = userContacts == null ? Map.of() : Map.copyOf(userContacts);
    }

    /** Without user contacts. */
    public Notification(NotificationEvent event, long alarmId, long enterpriseId, String enterpriseName, String districtCode,
                        String type, String typeName, String category, AlarmLevel level, String title, String text,
                        List<Long> userIds, List<String> phones) {
        this(event, alarmId, enterpriseId, enterpriseName, districtCode, type, typeName, category, level, title, text, userIds,
                phones, Map.of());
    }

    /** The alarm behind the message, or null for one about no alarm (alarmId 0: an emergency warning). */
    public Long alarmRef() {
        return alarmId == 0 ? null : alarmId;
    }

    /** The recipient string that names a user (in notification_log: the id, never the user's phone or address). */
    static String userRecipient(long userId) {
        return "user:" + userId;
    }

    /** The user named by {@link #userRecipient}, or null when the recipient is a configured number or address. */
    static Long userOf(String recipient) {
        return recipient != null && recipient.startsWith("user:") ? Long.valueOf(recipient.substring("user:".length())) : null;
    }
}
