package com.powerwatch.mobile.core;

import org.json.JSONException;

import java.io.IOException;

/**
 * One background check for new alarms and messages (run by the app's JobScheduler job every 15 minutes or so):
 * one small request, then the notifications {@link UpdatePolicy} decides, then the new cursors are stored. A network
 * failure changes nothing (the next run tries again); a token the platform refuses ends the session, says so once and
 * stops the checks until the person signs in again.
 */
public final class UpdateCheck {

    /** How a check ended; the job reschedules or stops on it. */
    public enum Outcome {
        /** Checked; notifications shown if any. */
        DONE,
        /** Not signed in (or no server): nothing to check, the job should stop. */
        NOT_SIGNED_IN,
        /** The platform refused the token: the session was cleared and the person told; the job should stop. */
        SESSION_ENDED,
        /** The network or the platform failed: try again later. */
        RETRY
    }

    /** Whether the app is in front (its page shows alarms live, so nothing is notified). */
    public interface Visibility {
        boolean appInFront();
    }

    private final SessionStore session;
    private final KeyValueStore store;
    private final Notifier notifier;
    private final Visibility visibility;

    public UpdateCheck(KeyValueStore store, Notifier notifier, Visibility visibility) {
        this.session = new SessionStore(store);
        this.store = store;
        this.notifier = notifier;
        this.visibility = visibility;
    }

    public Outcome run() {
        ServerAddress server = session.server();
        String token = session.token();
        if (server == null || token == null) {
            return Outcome.NOT_SIGNED_IN;
        }
        WatchState state = WatchState.load(store);
        PlatformApi.Response r;
        try {
            r = PlatformApi.get(PlatformApi.updatesUrl(server, state), token);
        } catch (IOException e) {
            return Outcome.RETRY;
        }
        if (r.status == 401) {
            if (token.equals(session.token())) { // not replaced by a new login meanwhile
                session.clearSession();
                WatchState.fresh().save(store);
                notifier.show(UpdatePolicy.sessionEnded());
            }
            return Outcome.SESSION_ENDED;
        }
        if (r.status != 200) {
            return Outcome.RETRY; // 403 PASSWORD_CHANGE_REQUIRED, 5xx, a proxy's error page: later
        }
        Updates updates;
        try {
            updates = Updates.parse(r.body);
        } catch (JSONException e) {
            return Outcome.RETRY;
        }
        UpdatePolicy.Decision d = UpdatePolicy.decide(state, updates, visibility.appInFront());
        for (NotificationSpec n : d.notifications) {
            notifier.show(n);
        }
        d.next.save(store);
        return Outcome.DONE;
    }
}
