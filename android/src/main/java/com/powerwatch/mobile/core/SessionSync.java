package com.powerwatch.mobile.core;

/**
 * What the app does when the page's session changes: a new sign-in starts the background check afresh (a new
 * baseline: what was open before is not news), signing out stops it and forgets where it stood.
 */
public final class SessionSync {

    /** What the background check should do now. */
    public enum Action { NONE, START, STOP }

    private SessionSync() {
    }

    /** {@code pageSession}: what {@link SessionHandoff#READ_SCRIPT} returned (decoded), null when the page has none. */
    public static Action pageSession(KeyValueStore store, String pageSession) {
        switch (new SessionStore(store).takeFromPage(pageSession)) {
            case SIGNED_IN:
                WatchState.fresh().save(store);
                return Action.START;
            case NEW_TOKEN:
                return Action.START;
            case SIGNED_OUT:
                WatchState.fresh().save(store);
                return Action.STOP;
            default:
                return Action.NONE;
        }
    }
}
