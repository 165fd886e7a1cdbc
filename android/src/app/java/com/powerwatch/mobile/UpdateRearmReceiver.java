package com.powerwatch.mobile;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

import com.powerwatch.mobile.core.SessionStore;

/** After the app is updated, the background check is armed again if someone is signed in. */
public class UpdateRearmReceiver extends BroadcastReceiver {

    @Override
    public void onReceive(Context context, Intent intent) {
        if (Intent.ACTION_MY_PACKAGE_REPLACED.equals(intent.getAction()) && new SessionStore(Prefs.open(context)).token() != null) {
            UpdateScheduler.start(context);
        }
    }
}
