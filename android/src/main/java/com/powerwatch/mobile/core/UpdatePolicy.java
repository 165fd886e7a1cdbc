package com.powerwatch.mobile.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When to notify, and what. Pure: given where the watch stands and what the platform answered, it says which
 * notifications to show and where the watch stands next.
 *
 * <ul>
 *   <li>The first answer after signing in only sets the cursors: what was open before is not news (the page shows it).</li>
 *   <li>While the app is in front, the page shows alarms live (SSE, with sound): cursors move, nothing is notified.</li>
 *   <li>Each new open alarm and each new unread message is notified once ({@link WatchState#wasNotified}), the
 *       newest {@link #SHOWN_EACH} of each kind one by one, the rest in one summary ("另有 N 条…").</li>
 *   <li>A message about an alarm takes the alarm's place in the shade (one entry per alarm, the latest news).</li>
 *   <li>A cursor ahead of the platform's newest id (a restored database) is set back without notifying.</li>
 * </ul>
 */
public final class UpdatePolicy {

    /** How many alarms, and how many messages, get a notification of their own in one check. */
    public static final int SHOWN_EACH = 3;

    /** The phone pages a notification opens (web/src, routes under /m/). */
    public static final String ALARM_PAGE = "/m/alarms/";
    public static final String ALARMS_PAGE = "/m/alarms";
    public static final String MESSAGES_PAGE = "/m/messages";

    static final String SUMMARY_TAG = "summary";
    static final String ALARM_TAG = "alarm";
    static final String MESSAGE_TAG = "message";
    static final String ACCOUNT_TAG = "account";

    /** What a check decided. */
    public static final class Decision {
        public final List<NotificationSpec> notifications;
        public final WatchState next;

        Decision(List<NotificationSpec> notifications, WatchState next) {
            this.notifications = notifications;
            this.next = next;
        }
    }

    private UpdatePolicy() {
    }

    public static Decision decide(WatchState state, Updates u, boolean appInFront) {
        Set<String> none = new LinkedHashSet<>();
        if (!state.hasBaseline() || appInFront || state.alarmCursor > u.latestAlarmId || state.messageCursor > u.latestMessageId) {
            return new Decision(new ArrayList<NotificationSpec>(), state.advance(u.latestAlarmId, u.latestMessageId, none));
        }
        // one entry per place in the shade; a message about an alarm replaces the alarm's own entry
        Map<String, NotificationSpec> byPlace = new LinkedHashMap<>();
        Set<String> notified = new LinkedHashSet<>();
        int alarmsShown = 0;
        int alarmsLeft = 0;
        for (Updates.Alarm a : u.alarms) {
            if (a.id <= state.alarmCursor || state.wasNotified("a" + a.id)) {
                continue;
            }
            if (alarmsShown == SHOWN_EACH) {
                alarmsLeft++;
                continue;
            }
            alarmsShown++;
            notified.add("a" + a.id);
            byPlace.put(ALARM_TAG + a.id, new NotificationSpec(NotificationSpec.Channel.ALARMS, ALARM_TAG, (int) a.id,
                    "【" + nonEmpty(a.levelName, "新") + "报警】" + a.typeName,
                    join(" · ", a.enterpriseName, a.districtName, a.startedAt.isEmpty() ? "" : "开始于 " + shortTime(a.startedAt)),
                    ALARM_PAGE + a.id));
        }
        int messagesShown = 0;
        int messagesLeft = 0;
        for (Updates.Message m : u.messages) {
            if (m.id <= state.messageCursor || state.wasNotified("m" + m.id)) {
                continue;
            }
            if (messagesShown == SHOWN_EACH) {
                messagesLeft++;
                continue;
            }
            messagesShown++;
            notified.add("m" + m.id);
            NotificationSpec spec = m.alarmId != null
                    ? new NotificationSpec(NotificationSpec.Channel.MESSAGES, ALARM_TAG, (int) (long) m.alarmId, m.title, m.text,
                    ALARM_PAGE + m.alarmId)
                    : new NotificationSpec(NotificationSpec.Channel.MESSAGES, MESSAGE_TAG, (int) m.id, m.title, m.text, MESSAGES_PAGE);
            byPlace.put(spec.tag + spec.id, spec);
        }
        // those the lists did not carry (more than the platform sends at once) count as left over too
        alarmsLeft += Math.max(0, u.newAlarms - u.alarms.size());
        messagesLeft += Math.max(0, u.newMessages - u.messages.size());
        List<NotificationSpec> out = new ArrayList<>(byPlace.values());
        if (alarmsLeft + messagesLeft > 0) {
            String what = alarmsLeft > 0 && messagesLeft > 0 ? alarmsLeft + " 条新报警、" + messagesLeft + " 条新消息"
                    : alarmsLeft > 0 ? alarmsLeft + " 条新报警" : messagesLeft + " 条新消息";
            out.add(new NotificationSpec(alarmsLeft > 0 ? NotificationSpec.Channel.ALARMS : NotificationSpec.Channel.MESSAGES,
                    SUMMARY_TAG, 0, "另有 " + what, "点击查看全部", alarmsLeft > 0 ? ALARMS_PAGE : MESSAGES_PAGE));
        }
        return new Decision(out, state.advance(u.latestAlarmId, u.latestMessageId, notified));
    }

    /** The one notification when the platform no longer accepts the session. */
    public static NotificationSpec sessionEnded() {
        return new NotificationSpec(NotificationSpec.Channel.ACCOUNT, ACCOUNT_TAG, 0, "登录已过期",
                "报警提醒已暂停，请打开 App 重新登录", "/m/");
    }

    /** {@code 2026-11-23T08:15:30.123+08:00} → {@code 11-23 08:15} (the platform sends Beijing time). */
    static String shortTime(String iso) {
        return iso.length() >= 16 && iso.charAt(10) == 'T' ? iso.substring(5, 10) + " " + iso.substring(11, 16) : iso;
    }

    private static String nonEmpty(String s, String otherwise) {
        return s == null || s.isEmpty() ? otherwise : s;
    }

    private static String join(String sep, String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                b.append(b.length() == 0 ? "" : sep).append(p);
            }
        }
        return b.toString();
    }
}
