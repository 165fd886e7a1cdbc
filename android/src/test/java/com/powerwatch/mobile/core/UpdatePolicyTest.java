package com.powerwatch.mobile.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When to notify, and the deduplication of notifications. */
class UpdatePolicyTest {

    static Updates.Alarm alarm(long id) {
        return new Updates.Alarm(id, "一级", "治污设施停运", "秦岭水泥有限公司", "雁塔区", "2026-11-23T08:15:00+08:00");
    }

    static Updates.Message message(long id, Long alarmId) {
        return new Updates.Message(id, alarmId, "任务派发：请核查", "市局 李四：请今天到现场核查");
    }

    static Updates updates(long latestAlarm, long latestMessage, List<Updates.Alarm> alarms, List<Updates.Message> messages) {
        return new Updates(latestAlarm, latestMessage, alarms.size(), messages.size(), alarms, messages);
    }

    private static final WatchState AT_40_9 = new WatchState(40L, 9L, Collections.<String>emptyList());

    @Test
    void theFirstAnswerAfterSigningInOnlySetsTheCursors() {
        UpdatePolicy.Decision d = UpdatePolicy.decide(WatchState.fresh(),
                updates(40, 9, Arrays.asList(alarm(40), alarm(39)), Arrays.asList(message(9, null))), false);
        assertEquals(0, d.notifications.size(), "what was open before signing in is not news");
        assertEquals(40L, d.next.alarmCursor);
        assertEquals(9L, d.next.messageCursor);
    }

    @Test
    void aNewAlarmIsNotifiedOnceAndATapOpensIt() {
        UpdatePolicy.Decision d = UpdatePolicy.decide(AT_40_9, updates(41, 9, Arrays.asList(alarm(41)),
                Collections.<Updates.Message>emptyList()), false);
        assertEquals(1, d.notifications.size());
        NotificationSpec n = d.notifications.get(0);
        assertEquals(NotificationSpec.Channel.ALARMS, n.channel);
        assertEquals("【一级报警】治污设施停运", n.title);
        assertEquals("秦岭水泥有限公司 · 雁塔区 · 开始于 11-23 08:15", n.text);
        assertEquals("/m/alarms/41", n.path);
        assertEquals(41L, d.next.alarmCursor);

        // the platform answers the same again (a check that raced the cursor's save, a restart before it): no repeat
        UpdatePolicy.Decision again = UpdatePolicy.decide(new WatchState(40L, 9L, d.next.notified()),
                updates(41, 9, Arrays.asList(alarm(41)), Collections.<Updates.Message>emptyList()), false);
        assertEquals(0, again.notifications.size());
    }

    @Test
    void nothingIsNotifiedWhileTheAppIsInFrontButTheCursorsMove() {
        UpdatePolicy.Decision d = UpdatePolicy.decide(AT_40_9, updates(42, 10, Arrays.asList(alarm(42), alarm(41)),
                Arrays.asList(message(10, 42L))), true);
        assertEquals(0, d.notifications.size());
        assertEquals(42L, d.next.alarmCursor);
        assertEquals(10L, d.next.messageCursor);
    }

    @Test
    void aMessageAboutAnAlarmTakesTheAlarmsPlaceOneEntryPerAlarm() {
        UpdatePolicy.Decision d = UpdatePolicy.decide(AT_40_9, updates(41, 11, Arrays.asList(alarm(41)),
                Arrays.asList(message(11, 41L), message(10, null))), false);
        assertEquals(2, d.notifications.size(), d.notifications.toString());
        NotificationSpec aboutAlarm = d.notifications.get(0);
        assertEquals("alarm", aboutAlarm.tag);
        assertEquals(41, aboutAlarm.id);
        assertEquals(NotificationSpec.Channel.MESSAGES, aboutAlarm.channel);
        assertEquals("任务派发：请核查", aboutAlarm.title);
        assertEquals("/m/alarms/41", aboutAlarm.path);
        NotificationSpec plain = d.notifications.get(1);
        assertEquals("message", plain.tag);
        assertEquals("/m/messages", plain.path);

        // a later message about the same alarm is new news: it is shown (in the same place)
        UpdatePolicy.Decision later = UpdatePolicy.decide(d.next, updates(41, 12, Collections.<Updates.Alarm>emptyList(),
                Arrays.asList(message(12, 41L))), false);
        assertEquals(1, later.notifications.size());
        assertEquals("alarm", later.notifications.get(0).tag);
        assertEquals(41, later.notifications.get(0).id);
    }

    @Test
    void manyAtOnceTheNewestThreeOfEachAndOneSummary() {
        List<Updates.Alarm> alarms = new ArrayList<>();
        for (long id = 60; id > 40; id--) {
            alarms.add(alarm(id)); // newest first, as the platform sends them
        }
        // the platform sends the newest 20 of 25
        Updates u = new Updates(65, 9, 25, 0, alarms, Collections.<Updates.Message>emptyList());
        UpdatePolicy.Decision d = UpdatePolicy.decide(AT_40_9, u, false);
        assertEquals(4, d.notifications.size());
        assertEquals(Arrays.asList("/m/alarms/60", "/m/alarms/59", "/m/alarms/58", "/m/alarms"),
                Arrays.asList(d.notifications.get(0).path, d.notifications.get(1).path, d.notifications.get(2).path,
                        d.notifications.get(3).path));
        assertEquals("另有 22 条新报警", d.notifications.get(3).title);
        assertEquals(65L, d.next.alarmCursor);
    }

    @Test
    void aCursorAheadOfThePlatformIsSetBackSilently() {
        // the platform's database was restored from an older backup: its newest ids are below ours
        UpdatePolicy.Decision d = UpdatePolicy.decide(AT_40_9, updates(12, 3, Arrays.asList(alarm(12)),
                Collections.<Updates.Message>emptyList()), false);
        assertEquals(0, d.notifications.size());
        assertEquals(12L, d.next.alarmCursor);
        assertEquals(3L, d.next.messageCursor);
    }

    @Test
    void theMemoryOfWhatWasNotifiedIsBoundedAndSurvivesARestart() {
        WatchState s = AT_40_9;
        long alarmId = 40;
        for (int round = 0; round < 100; round++) {
            Updates u = updates(alarmId + 3, 9, Arrays.asList(alarm(alarmId + 3), alarm(alarmId + 2), alarm(alarmId + 1)),
                    Collections.<Updates.Message>emptyList());
            s = UpdatePolicy.decide(s, u, false).next;
            alarmId += 3;
        }
        assertEquals(WatchState.REMEMBERED, s.notified().size());
        assertTrue(s.wasNotified("a" + alarmId) && !s.wasNotified("a41"), "the newest are kept, the oldest forgotten");

        MapStore store = new MapStore();
        s.save(store);
        WatchState loaded = WatchState.load(store);
        assertEquals(s.alarmCursor, loaded.alarmCursor);
        assertEquals(s.messageCursor, loaded.messageCursor);
        assertEquals(s.notified(), loaded.notified());
    }

    @Test
    void theSessionEndsWithOneNotificationThatOpensTheApp() {
        NotificationSpec n = UpdatePolicy.sessionEnded();
        assertEquals(NotificationSpec.Channel.ACCOUNT, n.channel);
        assertEquals("登录已过期", n.title);
        assertEquals("/m/", n.path);
    }
}
