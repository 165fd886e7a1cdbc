package com.powerwatch.platform.report;

import com.powerwatch.platform.alarm.AlarmLevel;
import com.powerwatch.platform.alarm.Notification;
import com.powerwatch.platform.alarm.NotificationEvent;
import com.powerwatch.platform.alarm.Notifier;
import com.powerwatch.platform.auth.ContactDetails;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the recipients of a generated report that it is there, through the existing notifier: the in-app inbox (and
 * the live stream) always, and the external channels (WeCom/DingTalk, SMS, e-mail) configured with the REPORT event.
 * The message names the report, its key figures and where to download it; the files stay in the archive, behind the
 * recipient's scope.
 */
@Component
class ReportDelivery {

    private final Notifier notifier;
    private final NamedParameterJdbcTemplate jdbc;

    ReportDelivery(Notifier notifier, NamedParameterJdbcTemplate jdbc) {
        this.notifier = notifier;
        this.jdbc = jdbc;
    }

    void deliver(long archiveId, String title, Map<String, Object> summary, List<Long> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(title).append("已生成");
        int shown = 0;
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (shown++ >= 6) {
                break;
            }
            text.append(shown == 1 ? "：" : "，").append(e.getKey()).append(' ').append(e.getValue());
        }
        text.append("。请在 统计报表 → 报表归档 查看或下载（编号 ").append(archiveId).append("）。");
        Map<Long, ContactDetails> contacts = new HashMap<>();
        jdbc.query("select id, phone, email from app_user where id in (:ids) and (phone is not null or email is not null)",
                new MapSqlParameterSource("ids", userIds),
                rs -> { contacts.put(rs.getLong(1), new ContactDetails(rs.getString(2), rs.getString(3))); });
        notifier.publish(new Notification(NotificationEvent.REPORT, 0, 0, "", null, "REPORT", "定期报表", "REPORT",
                AlarmLevel.NOTICE, "报表：" + title, text.toString(), userIds, List.of(), contacts));
    }
}
