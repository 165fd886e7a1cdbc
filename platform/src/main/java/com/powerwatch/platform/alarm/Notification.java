package com.powerwatch.platform.alarm;

import java.util.List;

/**
 * A message about one alarm, before it is routed to channels.
 *
 * @param userIds people concerned (in-app messages): e.g. the enterprise's users and the assignee of a handled alarm
 * @param phones  phone numbers of the enterprise's contacts (used by SMS channels that opt in)
 */
public record Notification(NotificationEvent event, long alarmId, long enterpriseId, String enterpriseName,
                           String districtCode, String type, String typeName, String category, AlarmLevel level,
                           String title, String text, List<Long> userIds, List<String> phones) {

    public Notification {
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
        phones = phones == null ? List.of() : List.copyOf(phones);
    }
}
