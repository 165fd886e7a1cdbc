package com.powerwatch.mobile.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The token store and what a change of the page's session does to the background check. */
class SessionStoreTest {

    static String pageSession(String token, long userId) {
        return "{\"token\":\"" + token + "\",\"expiresAt\":\"2026-11-23T20:00:00+08:00\",\"user\":{\"id\":" + userId
                + ",\"username\":\"yanta\",\"displayName\":\"雁塔区 张三\",\"role\":\"DISTRICT_OFFICER\"}}";
    }

    @Test
    void thePagesSessionIsKeptAndItsChangesStartAndStopTheChecks() {
        MapStore store = new MapStore();
        SessionStore s = new SessionStore(store);
        assertEquals(SessionSync.Action.NONE, SessionSync.pageSession(store, null), "nobody signed in, nothing to stop");

        assertEquals(SessionSync.Action.START, SessionSync.pageSession(store, pageSession("t1", 7)));
        assertEquals("t1", s.token());
        assertEquals(7, s.userId());
        assertEquals("2026-11-23T20:00:00+08:00", s.expiresAt());
        assertEquals(pageSession("t1", 7), s.sessionJson(), "kept as the page wrote it, to hand back to a new page");

        assertEquals(SessionSync.Action.NONE, SessionSync.pageSession(store, pageSession("t1", 7)), "the same session again");

        new WatchState(40L, 9L, java.util.Arrays.asList("a40")).save(store);
        assertEquals(SessionSync.Action.START, SessionSync.pageSession(store, pageSession("t2", 7)));
        assertEquals(40L, WatchState.load(store).alarmCursor, "the same user signed in again: the watch goes on where it was");

        assertEquals(SessionSync.Action.START, SessionSync.pageSession(store, pageSession("t3", 8)));
        assertNull(WatchState.load(store).alarmCursor, "another user: a new baseline, the last user's cursors mean nothing");
        assertEquals(8, s.userId());

        new WatchState(41L, 9L, java.util.Arrays.asList("a41")).save(store);
        assertEquals(SessionSync.Action.STOP, SessionSync.pageSession(store, null), "signed out in the page");
        assertNull(s.token());
        assertNull(s.sessionJson());
        assertEquals(-1, s.userId());
        assertNull(WatchState.load(store).alarmCursor);
        assertEquals(0, WatchState.load(store).notified().size());
    }

    @Test
    void somethingElseInTheStorageKeyIsIgnoredAndAnEmptyTokenIsASignOut() {
        MapStore store = new MapStore();
        SessionStore s = new SessionStore(store);
        SessionSync.pageSession(store, pageSession("t1", 7));
        assertEquals(SessionSync.Action.NONE, SessionSync.pageSession(store, "not json"));
        assertEquals("t1", s.token());
        assertEquals(SessionSync.Action.STOP, SessionSync.pageSession(store, "{\"token\":\"\",\"user\":null}"));
        assertNull(s.token());
        assertEquals(SessionSync.Action.NONE, SessionSync.pageSession(store, "{\"token\":null,\"user\":{\"id\":3}}"));
    }

    @Test
    void anotherServerEndsTheSessionTheSameServerKeepsIt() {
        MapStore store = new MapStore();
        SessionStore s = new SessionStore(store);
        assertNull(s.server());
        s.setServer(ServerAddress.parse("http://10.1.2.3:8080/login"));
        SessionSync.pageSession(store, pageSession("t1", 7));
        s.setServer(ServerAddress.parse("10.1.2.3:8080"));
        assertEquals("t1", s.token());
        assertEquals("http://10.1.2.3:8080", s.server().base());
        s.setServer(ServerAddress.parse("http://10.9.9.9:8080"));
        assertNull(s.token(), "a token of one platform means nothing on another");
        assertEquals("http://10.9.9.9:8080", s.server().base());
    }
}
