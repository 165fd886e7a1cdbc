package com.powerwatch.mobile;

import android.app.job.JobParameters;
import android.app.job.JobService;

import com.powerwatch.mobile.core.UpdateCheck;

/**
 * The periodic background check (JobScheduler): one request on a worker thread, notifications, done. A failed check
 * is not retried early — the next period comes soon enough and an early retry would wake the radio again.
 */
public class UpdateJobService extends JobService {

    @Override
    public boolean onStartJob(final JobParameters params) {
        new Thread(new Runnable() {
            @Override
            public void run() {
                UpdateCheck.Outcome outcome = UpdateCheck.Outcome.RETRY;
                try {
                    outcome = new UpdateCheck(Prefs.open(UpdateJobService.this), new AndroidNotifier(UpdateJobService.this),
                            new UpdateCheck.Visibility() {
                                @Override
                                public boolean appInFront() {
                                    return MainActivity.inFront;
                                }
                            }).run();
                } catch (RuntimeException e) {
                    // a bug must not leave the job hanging until the system kills it: the next period tries again
                } finally {
                    jobFinished(params, false);
                }
                if (outcome == UpdateCheck.Outcome.NOT_SIGNED_IN || outcome == UpdateCheck.Outcome.SESSION_ENDED) {
                    UpdateScheduler.stop(UpdateJobService.this);
                }
            }
        }, "powerwatch-check").start();
        return true;
    }

    @Override
    public boolean onStopJob(JobParameters params) {
        return false; // the request ends by its own time-out; the next period checks again
    }
}
