package com.powerwatch.mobile;

import android.app.job.JobInfo;
import android.app.job.JobScheduler;
import android.content.ComponentName;
import android.content.Context;

/**
 * Arms and disarms the background check. There is no Google push in China and no AndroidX WorkManager in this build,
 * so the framework's JobScheduler runs {@link UpdateJobService} periodically: every {@link #PERIOD_MS} (Android's
 * minimum for periodic jobs), within a flex window so the system can batch it with other apps' work, only with a
 * network, kept across reboots. Under Doze the system defers it to its maintenance windows. docs/mobile.md gives the
 * battery cost.
 */
final class UpdateScheduler {

    static final int JOB_ID = 2120;
    static final long PERIOD_MS = 15 * 60 * 1000L;
    static final long FLEX_MS = 5 * 60 * 1000L;

    private UpdateScheduler() {
    }

    static void start(Context context) {
        JobScheduler js = (JobScheduler) context.getSystemService(Context.JOB_SCHEDULER_SERVICE);
        for (JobInfo existing : js.getAllPendingJobs()) {
            if (existing.getId() == JOB_ID) {
                return; // already armed: re-scheduling would restart its period
            }
        }
        js.schedule(new JobInfo.Builder(JOB_ID, new ComponentName(context, UpdateJobService.class))
                .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                .setPersisted(true)
                .setPeriodic(PERIOD_MS, FLEX_MS)
                .build());
    }

    static void stop(Context context) {
        ((JobScheduler) context.getSystemService(Context.JOB_SCHEDULER_SERVICE)).cancel(JOB_ID);
    }
}
