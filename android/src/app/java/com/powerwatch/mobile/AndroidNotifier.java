package com.powerwatch.mobile;

import android.app.Notification;
import android.app.NotificationChannel;
import android.app.NotificationManager;
import android.app.PendingIntent;
import android.content.Context;
import android.content.Intent;
import android.os.Build;

import com.powerwatch.mobile.core.NotificationSpec;
import com.powerwatch.mobile.core.Notifier;

/**
 * Shows what {@link com.powerwatch.mobile.core.UpdatePolicy} decided. Three channels (Android 8+), so the person can
 * silence messages and keep alarms: 报警提醒 (high: sound and heads-up), 消息提醒, 登录状态. A tap opens the page in
 * the app ({@link MainActivity#EXTRA_PATH}) and removes the notification.
 */
final class AndroidNotifier implements Notifier {

    private final Context context;
    private final NotificationManager manager;

    AndroidNotifier(Context context) {
        this.context = context.getApplicationContext();
        this.manager = (NotificationManager) context.getSystemService(Context.NOTIFICATION_SERVICE);
        if (Build.VERSION.SDK_INT >= 26) {
            channel(NotificationSpec.Channel.ALARMS, R.string.channel_alarms, R.string.channel_alarms_desc, NotificationManager.IMPORTANCE_HIGH);
            channel(NotificationSpec.Channel.MESSAGES, R.string.channel_messages, R.string.channel_messages_desc, NotificationManager.IMPORTANCE_DEFAULT);
            channel(NotificationSpec.Channel.ACCOUNT, R.string.channel_account, R.string.channel_account_desc, NotificationManager.IMPORTANCE_LOW);
        }
    }

    private void channel(NotificationSpec.Channel c, int name, int description, int importance) {
        NotificationChannel ch = new NotificationChannel(c.name(), context.getString(name), importance);
        ch.setDescription(context.getString(description));
        if (c == NotificationSpec.Channel.ALARMS) {
            ch.enableLights(true);
            ch.setLightColor(0xFFD32F2F);
        }
        manager.createNotificationChannel(ch); // idempotent; keeps what the person changed
    }

    @Override
    public void show(NotificationSpec n) {
        Intent open = new Intent(context, MainActivity.class).putExtra(MainActivity.EXTRA_PATH, n.path)
                .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK);
        PendingIntent tap = PendingIntent.getActivity(context, (n.tag + ":" + n.id).hashCode(), open,
                PendingIntent.FLAG_UPDATE_CURRENT | PendingIntent.FLAG_IMMUTABLE);
        Notification.Builder b = Build.VERSION.SDK_INT >= 26 ? new Notification.Builder(context, n.channel.name())
                : legacyBuilder(n.channel);
        b.setSmallIcon(R.drawable.ic_notify)
                .setContentTitle(n.title)
                .setContentText(n.text)
                .setStyle(new Notification.BigTextStyle().bigText(n.text))
                .setContentIntent(tap)
                .setAutoCancel(true)
                .setShowWhen(true)
                .setWhen(System.currentTimeMillis())
                .setCategory(n.channel == NotificationSpec.Channel.ACCOUNT ? Notification.CATEGORY_STATUS : Notification.CATEGORY_EVENT);
        if (n.channel == NotificationSpec.Channel.ALARMS) {
            b.setColor(0xFFD32F2F);
        }
        manager.notify(n.tag, n.id, b.build());
    }

    @SuppressWarnings("deprecation")
    private Notification.Builder legacyBuilder(NotificationSpec.Channel c) {
        Notification.Builder b = new Notification.Builder(context);
        if (c == NotificationSpec.Channel.ALARMS) {
            b.setPriority(Notification.PRIORITY_HIGH).setDefaults(Notification.DEFAULT_ALL);
        }
        return b;
    }
}
