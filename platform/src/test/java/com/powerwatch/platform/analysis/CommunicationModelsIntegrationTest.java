package com.powerwatch.platform.analysis;

import com.powerwatch.platform.telemetry.CanonicalSample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOGGER_OFFLINE / METER_OFFLINE against the clocks they are judged on (docs/analysis-models.md §4): a backlog read in
 * large batches, a frame dated ahead of its receive time, a silent logger judged on the wall clock and then on the data
 * clock. Each scenario runs on an engine of its own (its own data clock), fed samples with the receive times a journal
 * would carry; the recorder and PostgreSQL are real.
 */
class CommunicationModelsIntegrationTest extends EngineTestSupport {

    /** One receipt: a sample of {@code point} with data time {@code minute}, received at {@code receivedMinute}. */
    CanonicalSample receipt(long point, int minute, int receivedMinute) {
        return sample(point, minute, 20.0 + Math.floorMod(minute, 5), 225, null, false, ms(receivedMinute));
    }

    /** Hands {@code receipts} (in journal order) to the engine in batches of {@code batch}, data timers on. */
    static void replay(AlarmEngine engine, List<CanonicalSample> receipts, int batch, EngineTestSupport t) {
        for (int i = 0; i < receipts.size(); i += batch) {
            engine.apply(new ArrayList<>(receipts.subList(i, Math.min(receipts.size(), i + batch))), t.registry.snapshot(), true);
        }
    }

    @Test
    void aLoggerWhoseDataArrivesTwentyMinutesLateIsLateNotSilentWhileABacklogIsRead() throws Exception {
        // the journal after an outage: for two hours each minute brought a frame of the punctual logger, one of the
        // logger whose data runs 20 min behind (a buffer it empties steadily) and, for the first hour, one of a logger
        // that then fell silent. The engine reads it in batches of 30 minutes of receipts.
        Meters punctual = meters(1);
        Meters late = meters(1);
        Meters silent = meters(1);
        List<CanonicalSample> journal = new ArrayList<>();
        for (int m = 0; m < 120; m++) {
            journal.add(receipt(punctual.points().get(0), m, m));
            journal.add(receipt(late.points().get(0), m - 20, m));
            if (m < 60) {
                journal.add(receipt(silent.points().get(0), m, m));
            }
        }
        withFreshEngine("alarm-engine-backlog-test", Duration.ZERO, fresh -> replay(fresh, journal, 90, this));

        assertEquals(List.of(), alarms("LOGGER_OFFLINE", late.subject()), "late, not silent");
        assertEquals(0, alarmsOf("point:" + late.points().get(0)), "no alarm of its meter either");
        assertEquals(List.of(), alarms("LOGGER_OFFLINE", punctual.subject()));
        List<Map<String, Object>> s = alarms("LOGGER_OFFLINE", silent.subject());
        assertEquals(1, s.size(), s.toString());
        assertEquals(ms(59) + 5 * M, millis(s.get(0).get("started_at")), "last data time + max(3 × 1 min, 5 min)");
        assertEquals("ACTIVE", s.get(0).get("status"));
        assertEquals(0, (int) s.get(0).get("repeats"));
    }

    @Test
    void aFrameDatedMinutesAheadDoesNotMoveTheDataClockPastTheOfflineLimit() throws Exception {
        // three loggers report every minute; at minute 30 one of them sends a frame dated 8 minutes ahead (its clock
        // jumped), then its genuine frames again. Nobody is silent.
        List<Meters> fleet = List.of(meters(1), meters(2), meters(1));
        List<CanonicalSample> journal = new ArrayList<>();
        for (int m = 0; m < 50; m++) {
            for (Meters logger : fleet) {
                for (long point : logger.points()) {
                    journal.add(receipt(point, logger == fleet.get(0) && m == 30 ? 38 : m, m));
                }
            }
        }
        long[] clock = new long[1];
        withFreshEngine("alarm-engine-future-test", Duration.ZERO, fresh -> {
            replay(fresh, journal, 4, this);
            clock[0] = (long) fresh.stats().get("dataClockMillis");
        });
        for (Meters logger : fleet) {
            assertEquals(List.of(), alarms("LOGGER_OFFLINE", logger.subject()), logger.mn());
            for (long point : logger.points()) {
                assertEquals(List.of(), alarms("METER_OFFLINE", "point:" + point));
            }
        }
        assertTrue(clock[0] < ms(49) + 5 * M, "the data clock stays closer to the latest receive time than the offline limit");
    }

    @Test
    void aSilentLoggerRaisesOneLoggerAlarmAndNoMeterAlarmsOnEitherClock() throws Exception {
        // a logger with two meters falls silent after minute 2. The wall-clock timer finds it first (LOGGER_OFFLINE);
        // the data-clock timer that runs in the next batch — the fleet's data time has not moved that far yet — must
        // not report its meters one by one.
        Meters logger = meters(2);
        long a = logger.points().get(0);
        long b = logger.points().get(1);
        withFreshEngine("alarm-engine-one-cause-test", Duration.ZERO, fresh -> {
            List<CanonicalSample> journal = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                journal.add(receipt(a, m, m));
                journal.add(receipt(b, m, m));
            }
            replay(fresh, journal, 100, this);
            fresh.checkTimers(ms(2) + 6 * M);   // wall clock: silent 6 min
            fresh.checkTimers(0);                // data clock: silent 0 min
            fresh.checkTimers(ms(2) + 7 * M);

            assertEquals(1, alarms("LOGGER_OFFLINE", logger.subject()).size());
            assertEquals(List.of(), alarms("METER_OFFLINE", "point:" + a), "one cause, one alarm");
            assertEquals(List.of(), alarms("METER_OFFLINE", "point:" + b));

            // the logger is back at minute 20 with meter a only: the logger alarm clears, meter b is now silent while
            // its logger reports (METER_OFFLINE from then on), until it reports at minute 30
            List<CanonicalSample> back = new ArrayList<>();
            for (int m = 20; m < 30; m++) {
                back.add(receipt(a, m, m));
            }
            back.add(receipt(a, 30, 30));
            back.add(receipt(b, 30, 30));
            replay(fresh, back, 100, this);
        });
        List<Map<String, Object>> l = alarms("LOGGER_OFFLINE", logger.subject());
        assertEquals(1, l.size(), l.toString());
        assertEquals("RECOVERED", l.get(0).get("status"));
        assertEquals(ms(20), millis(l.get(0).get("ended_at")));
        assertEquals(List.of(), alarms("METER_OFFLINE", "point:" + a));
        List<Map<String, Object>> x = alarms("METER_OFFLINE", "point:" + b);
        assertEquals(1, x.size(), x.toString());
        assertEquals(ms(20), millis(x.get(0).get("started_at")), "silent while its logger reports: from the logger's return");
        assertEquals("RECOVERED", x.get(0).get("status"));
        assertEquals(ms(30), millis(x.get(0).get("ended_at")));
    }

    @Test
    void offlineAlarmsOpenAtARestartAreClearedWhenTheirLoggerAndMeterReportAgain() throws Exception {
        Meters whole = meters(1);   // falls silent after minute 2
        Meters partial = meters(2); // meter b falls silent after minute 2 while meter a reports
        long a = partial.points().get(0);
        long b = partial.points().get(1);
        withFreshEngine("alarm-engine-before-restart", Duration.ZERO, before -> {
            List<CanonicalSample> journal = new ArrayList<>();
            for (int m = 0; m < 20; m++) {
                if (m < 3) {
                    journal.add(receipt(whole.points().get(0), m, m));
                    journal.add(receipt(b, m, m));
                }
                journal.add(receipt(a, m, m));
            }
            replay(before, journal, 100, this);
        });
        assertEquals("ACTIVE", alarms("LOGGER_OFFLINE", whole.subject()).get(0).get("status"));
        assertEquals("ACTIVE", alarms("METER_OFFLINE", "point:" + b).get(0).get("status"));

        // the platform restarts; the silent logger and meter report again
        withFreshEngine("alarm-engine-after-restart", Duration.ZERO, after -> {
            after.rebuild();
            replay(after, List.of(receipt(whole.points().get(0), 30, 30), receipt(a, 30, 30), receipt(b, 30, 30)), 100, this);
        });
        List<Map<String, Object>> l = alarms("LOGGER_OFFLINE", whole.subject());
        assertEquals(1, l.size(), l.toString());
        assertEquals("RECOVERED", l.get(0).get("status"));
        assertEquals(ms(30), millis(l.get(0).get("ended_at")));
        List<Map<String, Object>> x = alarms("METER_OFFLINE", "point:" + b);
        assertEquals(1, x.size(), x.toString());
        assertEquals("RECOVERED", x.get(0).get("status"));
        assertEquals(ms(30), millis(x.get(0).get("ended_at")));
    }

    @Test
    void theFutureToleranceMustStayBelowEverySilenceLimitInForce() {
        assertDoesNotThrow(() -> new SilenceLimits(Duration.ofMinutes(2)).checkAtStart(jdbc));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SilenceLimits(Duration.ofMinutes(5)).checkAtStart(jdbc), "the default minimum is 5 min");
        assertTrue(e.getMessage().contains("powerwatch.analysis.future-tolerance") && e.getMessage().contains("minimumMinutes"),
                e.getMessage());
        // a rule saved before the tolerance was raised (or written to the table directly)
        Meters logger = meters(1);
        long rule = jdbc.queryForObject("""
                insert into alarm_rule (type, scope_level, scope_key, params) values ('METER_OFFLINE', 'FACILITY', ?,
                '{"unknownIntervalMinutes": 2}') returning id""", Long.class, String.valueOf(logger.facility()));
        try {
            e = assertThrows(IllegalStateException.class, () -> new SilenceLimits(Duration.ofMinutes(2)).checkAtStart(jdbc));
            assertTrue(e.getMessage().contains("alarm_rule " + rule) && e.getMessage().contains("unknownIntervalMinutes"),
                    e.getMessage());
            assertDoesNotThrow(() -> new SilenceLimits(Duration.ofSeconds(90)).checkAtStart(jdbc));
        } finally {
            jdbc.update("delete from alarm_rule where id = ?", rule);
        }
    }
}
