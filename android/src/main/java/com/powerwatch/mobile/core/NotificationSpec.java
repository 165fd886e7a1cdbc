package com.powerwatch.mobile.core;

/**
 * One notification to show. {@code tag}+{@code id} name its place in the notification shade: a newer notification
 * about the same alarm replaces the older one instead of piling up. {@code path} is the platform page a tap opens.
 */
public final class NotificationSpec {

    /** The notification channels (Android 8+: the person can silence each in the system settings). */
    public enum Channel { ALARMS, MESSAGES, ACCOUNT }

    public final Channel channel;
    public final String tag;
    public final int id;
    public final String title;
    public final String text;
    public final String path;

    public NotificationSpec(Channel channel, String tag, int id, String title, String text, String path) {
        this.channel = channel;
        this.tag = tag;
        this.id = id;
        this.title = title;
        this.text = text;
        this.path = path;
    }

    @Override
    public String toString() {
        return channel + " " + tag + ":" + id + " " + title + " | " + text + " -> " + path;
    }
}
