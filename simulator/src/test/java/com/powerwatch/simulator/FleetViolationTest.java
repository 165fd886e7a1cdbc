package com.powerwatch.simulator;

import com.powerwatch.hj212.DataTimes;
import com.powerwatch.hj212.Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import static com.powerwatch.simulator.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fleet with violations against the in-test platform: a logger really goes silent, the files are written. */
class FleetViolationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** 20:00 on a Monday: the warm-up ends at 22:00, so day-0 violations fall in the last two hours. */
    private static final LocalDateTime START = LocalDateTime.of(2026, 11, 23, 20, 0);

    private TestServer server;
    private Fleet fleet;

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loggerOfflineSendsNothingInItsWindowAndFilesMatchThePlan(@TempDir Path dir) throws Exception {
        server = new TestServer();
        FleetConfig.Builder builder = null;
        Violation offline = null;
        for (long seed = 1; seed < 500 && offline == null; seed++) {
            FleetConfig.Builder b = FleetConfig.builder("127.0.0.1", server.port()).seed(seed).loggers(6)
                    .simulatedStart(START).interval(Duration.ofSeconds(60)).speedup(1800).staggered(false)
                    .ioThreads(2).violations(0.9).negatives(0.1)
                    .violationsFile(dir.resolve("truth.jsonl")).ordersFile(dir.resolve("orders.jsonl"));
            for (Violation v : ViolationPlan.plan(b.build()).positives()) {
                if (v.type() == ViolationType.LOGGER_OFFLINE && v.end().isBefore(START.plusHours(4))) {
                    offline = v;
                    builder = b;
                    break;
                }
            }
        }
        assertTrue(offline != null, "some seed has a logger offline on the first evening");
        FleetConfig config = builder.build();
        Violation window = offline;
        fleet = Fleet.start(config);
        assertEquals(ViolationPlan.plan(config).violations(), fleet.violations(), "the fleet injects the plan");
        assertEquals(ViolationPlan.plan(config).orders(), fleet.orders());
        assertEquals(fleet.violations().size(), Files.readAllLines(dir.resolve("truth.jsonl")).size());
        assertEquals(fleet.orders().size(), Files.readAllLines(dir.resolve("orders.jsonl")).size());

        await("30 min of records after the window", WAIT, () -> server.packets(p -> p.cn().equals("2011")
                && p.mn().equals(window.mn()) && !time(p).isBefore(window.end().plusMinutes(30))).size() > 0);
        List<Packet> frames = server.packets(p -> p.cn().equals("2011") && p.mn().equals(window.mn()));
        assertTrue(frames.stream().noneMatch(p -> window.covers(time(p))), () -> "nothing sent in " + window.toJson());
        assertTrue(frames.stream().anyMatch(p -> time(p).equals(window.start().minusMinutes(1))), "sent up to the window");
        assertTrue(frames.stream().anyMatch(p -> time(p).equals(window.end())), "sent again from its end");
        assertTrue(fleet.report().disconnects() >= 1, "the logger disconnected");
        // the other loggers kept sending through the window
        assertFalse(server.packets(p -> p.cn().equals("2011") && !p.mn().equals(window.mn())
                && window.covers(time(p))).isEmpty());
    }

    private static LocalDateTime time(Packet p) {
        return DataTimes.parse(p.cp().dataTime());
    }
}
