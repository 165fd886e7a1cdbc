package com.powerwatch.mobile.core;

import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One answer of {@code GET /api/mobile/updates?alarmsAfter=&messagesAfter=} (platform: mobile/MobileUpdatesController):
 * the newest open alarms in the user's scope and the newest unread messages of the user past the cursors, how many
 * there are in all, and the newest ids (the next cursors).
 */
public final class Updates {

    public final long latestAlarmId;
    public final long latestMessageId;
    /** Open alarms past the cursor in all (the list holds only the newest few). */
    public final int newAlarms;
    /** Unread messages past the cursor in all. */
    public final int newMessages;
    public final List<Alarm> alarms;
    public final List<Message> messages;

    public Updates(long latestAlarmId, long latestMessageId, int newAlarms, int newMessages, List<Alarm> alarms,
                   List<Message> messages) {
        this.latestAlarmId = latestAlarmId;
        this.latestMessageId = latestMessageId;
        this.newAlarms = newAlarms;
        this.newMessages = newMessages;
        this.alarms = Collections.unmodifiableList(new ArrayList<>(alarms));
        this.messages = Collections.unmodifiableList(new ArrayList<>(messages));
    }

    /** An open alarm: what its notification says. */
    public static final class Alarm {
        public final long id;
        public final String levelName;
        public final String typeName;
        public final String enterpriseName;
        public final String districtName;
        public final String startedAt;

        public Alarm(long id, String levelName, String typeName, String enterpriseName, String districtName, String startedAt) {
            this.id = id;
            this.levelName = levelName;
            this.typeName = typeName;
            this.enterpriseName = enterpriseName;
            this.districtName = districtName;
            this.startedAt = startedAt;
        }
    }

    /** An unread message of the inbox (消息中心). */
    public static final class Message {
        public final long id;
        /** The alarm it is about, or null. */
        public final Long alarmId;
        public final String title;
        public final String text;

        public Message(long id, Long alarmId, String title, String text) {
            this.id = id;
            this.alarmId = alarmId;
            this.title = title;
            this.text = text;
        }
    }

    /** Parses the API's JSON; throws {@link JSONException} when it is not that shape. */
    public static Updates parse(String json) throws JSONException {
        JSONObject o = new JSONObject(json);
        List<Alarm> alarms = new ArrayList<>();
        JSONArray a = o.optJSONArray("alarms");
        for (int i = 0; a != null && i < a.length(); i++) {
            JSONObject x = a.getJSONObject(i);
            alarms.add(new Alarm(x.getLong("id"), text(x, "levelName"), text(x, "typeName"), text(x, "enterpriseName"),
                    text(x, "districtName"), text(x, "startedAt")));
        }
        List<Message> messages = new ArrayList<>();
        JSONArray m = o.optJSONArray("messages");
        for (int i = 0; m != null && i < m.length(); i++) {
            JSONObject x = m.getJSONObject(i);
            messages.add(new Message(x.getLong("id"), x.isNull("alarmId") ? null : x.getLong("alarmId"), text(x, "title"),
                    text(x, "text")));
        }
        return new Updates(o.getLong("latestAlarmId"), o.getLong("latestMessageId"), o.optInt("newAlarms", alarms.size()),
                o.optInt("newMessages", messages.size()), alarms, messages);
    }

    /** A string field; "" when missing or JSON null (Android's optString would give "null" for the latter). */
    private static String text(JSONObject o, String name) {
        return !o.has(name) || o.isNull(name) ? "" : o.optString(name, "");
    }
}
