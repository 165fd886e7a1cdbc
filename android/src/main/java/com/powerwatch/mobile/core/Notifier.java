package com.powerwatch.mobile.core;

/** Shows notifications: on the phone the NotificationManager (AndroidNotifier), in the tests a list. */
public interface Notifier {

    void show(NotificationSpec notification);
}
