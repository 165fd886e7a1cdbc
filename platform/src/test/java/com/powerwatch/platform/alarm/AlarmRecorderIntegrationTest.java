package com.powerwatch.platform.alarm;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorder's guarantees: one open alarm per (type, subject), repeats, replays, stale clears, recovery, escalation. */
class AlarmRecorderIntegrationTest extends AlarmTestBase {

    private static final Instant T0 = Instant.parse("2025-01-10T01:00:00Z");

    private Map<String, Object> only(String key) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from alarm where subject_key = ? order by id", key);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private int count(String key) {
        return jdbc.queryForObject("select count(*) from alarm where subject_key = ?", Integer.class, key);
    }

    @Test
    void repeatsAreCountedAndReplaysChangeNothing() {
        Site s = site(YANTA);
        String key = subject();
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0, Map.of("treatmentKw", 0, "seq", 1)));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0.plusSeconds(60), Map.of("treatmentKw", 0.1, "seq", 2)));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0.plusSeconds(120), Map.of("treatmentKw", 0.2, "seq", 3)));
        Map<String, Object> a = only(key);
        assertEquals(2, a.get("repeats"));
        assertEquals("LEVEL_2", a.get("level"), "the type's default level");
        assertEquals("ACTIVE", a.get("status"));
        assertEquals(T0, ((java.sql.Timestamp) a.get("started_at")).toInstant());
        assertEquals(T0.plusSeconds(120), ((java.sql.Timestamp) a.get("last_seen_at")).toInstant());
        assertTrue(a.get("first_evidence").toString().contains("\"seq\": 1"), a.toString());
        assertTrue(a.get("last_evidence").toString().contains("\"seq\": 3"), a.toString());

        // the journal replays the same three readings after a crash: nothing changes
        String before = jdbc.queryForObject("select row(a.*)::text from alarm a where subject_key = ?", String.class, key);
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0, Map.of("seq", 1)));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0.plusSeconds(60), Map.of("seq", 2)));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, null, T0.plusSeconds(120), Map.of("seq", 3)));
        assertEquals(before, jdbc.queryForObject("select row(a.*)::text from alarm a where subject_key = ?", String.class, key));
        assertEquals(1, jdbc.queryForObject("select count(*) from alarm_step where alarm_id = ? and action = 'RAISED'",
                Integer.class, a.get("id")));
    }

    @Test
    void staleClearIsIgnoredAndRecoveryIsKeptInHistory() {
        Site s = site(YANTA);
        String key = subject();
        recorder.raise(signal("TREATMENT_STOPPED", key, s, null, T0, Map.of()));
        recorder.raise(signal("TREATMENT_STOPPED", key, s, null, T0.plusSeconds(600), Map.of()));
        recorder.clear("TREATMENT_STOPPED", key, T0.plusSeconds(300), Map.of("treatmentKw", 9)); // older than the last raise
        assertEquals("ACTIVE", only(key).get("status"));

        recorder.clear("TREATMENT_STOPPED", key, T0.plusSeconds(900), Map.of("treatmentKw", 9.5));
        Map<String, Object> a = only(key);
        assertEquals("RECOVERED", a.get("status"));
        assertEquals(T0.plusSeconds(900), ((java.sql.Timestamp) a.get("ended_at")).toInstant());
        assertTrue(a.get("end_evidence").toString().contains("9.5"));
        recorder.clear("TREATMENT_STOPPED", key, T0.plusSeconds(1200), Map.of()); // nothing open: a no-op
        assertEquals(1, count(key));
        assertEquals(List.of("RAISED", "RECOVERED"), jdbc.queryForList(
                "select action from alarm_step where alarm_id = ? order by id", String.class, a.get("id")));
    }

    @Test
    void aRaiseAfterRecoveryOpensANewAlarmButReplaysOfTheOldEpisodeDoNot() {
        Site s = site(YANTA);
        String key = subject();
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0, Map.of()));
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0.plusSeconds(60), Map.of()));
        recorder.clear("METER_OFFLINE", key, T0.plusSeconds(120), Map.of());

        // replay of the whole first episode: no resurrection, no second recovery
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0, Map.of()));
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0.plusSeconds(60), Map.of()));
        recorder.clear("METER_OFFLINE", key, T0.plusSeconds(120), Map.of());
        assertEquals(1, count(key));

        // the condition comes back later: a new alarm, the old one stays recovered in history
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0.plusSeconds(3600), Map.of()));
        List<Map<String, Object>> rows = jdbc.queryForList("select status, repeats from alarm where subject_key = ? order by id", key);
        assertEquals(2, rows.size());
        assertEquals("RECOVERED", rows.get(0).get("status"));
        assertEquals("ACTIVE", rows.get(1).get("status"));
        assertEquals(0, rows.get(1).get("repeats"));

        // and a replay of everything once more changes nothing
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0.plusSeconds(60), Map.of()));
        recorder.clear("METER_OFFLINE", key, T0.plusSeconds(120), Map.of());
        recorder.raise(signal("METER_OFFLINE", key, s, null, T0.plusSeconds(3600), Map.of()));
        assertEquals(rows, jdbc.queryForList("select status, repeats from alarm where subject_key = ? order by id", key));
    }

    @Test
    void concurrentRaisesFromManyThreadsGiveOneRow() throws Exception {
        Site s = site(YANTA);
        String key = subject();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                start.await();
                // half the threads report the same data time (a device re-send), the others later ones
                recorder.raise(signal("TREATMENT_ABNORMAL", key, s, null, T0.plusSeconds(n % 2 == 0 ? 0 : 60L * n), Map.of("n", n)));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<String, Object> a = only(key);
        assertEquals("ACTIVE", a.get("status"));
        // distinct data times: 0, 60, 180, 300, 420 → one opening and at most four later ones
        assertTrue(((Integer) a.get("repeats")) <= 4, a.toString());
        assertEquals(T0.plusSeconds(420), ((java.sql.Timestamp) a.get("last_seen_at")).toInstant());
    }

    @Test
    void theUniqueIndexRefusesASecondActiveAlarm() {
        Site s = site(YANTA);
        String key = subject();
        recorder.raise(signal("PHASE_LOSS", key, s, null, T0, Map.of()));
        assertThrows(org.springframework.dao.DuplicateKeyException.class, () -> jdbc.update("""
                insert into alarm (type, subject_key, enterprise_id, level, initial_level, started_at, last_seen_at)
                values ('PHASE_LOSS', ?, ?, 'NOTICE', 'NOTICE', now(), now())""", key, s.enterpriseId()));
    }

    @Test
    void aMoreSevereSignalRaisesTheLevelButALessSevereOneDoesNotLowerIt() {
        Site s = site(YANTA);
        String key = subject();
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, AlarmLevel.LEVEL_2, T0, Map.of()));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, AlarmLevel.LEVEL_1, T0.plusSeconds(60), Map.of()));
        recorder.raise(signal("TREATMENT_NOT_STARTED", key, s, AlarmLevel.LEVEL_3, T0.plusSeconds(120), Map.of()));
        Map<String, Object> a = only(key);
        assertEquals("LEVEL_1", a.get("level"));
        assertEquals("LEVEL_2", a.get("initial_level"));
        assertEquals(1, jdbc.queryForObject("select count(*) from alarm_step where alarm_id = ? and action = 'LEVEL_RAISED'",
                Integer.class, a.get("id")));
    }

    @Test
    void unknownTypesAndMissingDataTimesAreRefused() {
        Site s = site(YANTA);
        assertThrows(IllegalArgumentException.class, () -> recorder.raise(signal("NO_SUCH_TYPE", subject(), s, null, T0, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> recorder.raise(signal("PHASE_LOSS", subject(), s, null, null, Map.of())));
    }

    @Test
    void escalationMovesUnconfirmedAlarmsUpOneLevelPerPeriodUpToTheCeiling() {
        Site s = site(YANTA);
        long treatment = openAlarm(s, "TREATMENT_NOT_STARTED", AlarmLevel.LEVEL_3); // rule TREATMENT: 2 h, ceiling LEVEL_1
        long confirmed = openAlarm(s, "TREATMENT_STOPPED", AlarmLevel.LEVEL_3);
        jdbc.update("update alarm set handling = 'CONFIRMED' where id = ?", confirmed);

        alarms.escalateDue(Instant.now().plusSeconds(3600)); // 1 h: not yet
        assertEquals("LEVEL_3", level(treatment));
        alarms.escalateDue(Instant.now().plusSeconds(2 * 3600 + 60));
        assertEquals("LEVEL_2", level(treatment), "one level per period, not straight to the top");
        alarms.escalateDue(Instant.now().plusSeconds(5 * 3600));
        assertEquals("LEVEL_1", level(treatment));
        alarms.escalateDue(Instant.now().plusSeconds(10 * 3600));
        assertEquals("LEVEL_1", level(treatment), "never above LEVEL_1");
        assertEquals("LEVEL_3", level(confirmed), "a confirmed alarm is not escalated");
        List<Map<String, Object>> steps = jdbc.queryForList(
                "select actor_username, result, text from alarm_step where alarm_id = ? and action = 'ESCALATED' order by id", treatment);
        assertEquals(2, steps.size(), steps.toString());
        assertEquals("system", steps.get(0).get("actor_username"));
        assertEquals("LEVEL_2", steps.get(0).get("result"));
        assertTrue(steps.get(0).get("text").toString().contains("2小时"), steps.toString());
    }

    @Test
    void theEscalationTimerRunsWithAShortConfiguredDelayAndStopsAtItsCeiling() {
        Site s = site(YANTA);
        long id = openAlarm(s, "PATTERN_ANOMALY", AlarmLevel.NOTICE); // rule: 2 s, ceiling LEVEL_3
        await("the timer escalates the notice to LEVEL_3", () -> "LEVEL_3".equals(level(id)));
        alarms.escalateDue(Instant.now().plusSeconds(86_400));
        assertEquals("LEVEL_3", level(id), "the rule's ceiling");
        assertNull(jdbc.queryForObject("select max(actor_user_id) from alarm_step where alarm_id = ?", Long.class, id));
    }

    private String level(long id) {
        return jdbc.queryForObject("select level from alarm where id = ?", String.class, id);
    }
}
