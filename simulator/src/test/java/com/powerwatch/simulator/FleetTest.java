package com.powerwatch.simulator;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DataTimes;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.ServerCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.powerwatch.simulator.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet against a tiny in-test platform. Waits on conditions with deadlines; never asserts durations. */
class FleetTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** On the hour, so the first record of an unstaggered logger is due at once. */
    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 2, 9, 0);

    private TestServer server;
    private Fleet fleet;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        server.close();
    }

    private FleetConfig.Builder config() {
        return FleetConfig.builder("127.0.0.1", server.port()).simulatedStart(START).seed(42)
                .interval(Duration.ofSeconds(60)).ioThreads(2).recordFrames(true).staggered(false)
                .reconnectMin(Duration.ofMillis(50)).reconnectMax(Duration.ofMillis(200));
    }

    private static boolean isData(Packet p) {
        return p.cn().equals("2011") || p.cn().equals("2051") || p.cn().equals("2061") || p.cn().equals("2031");
    }

    @Test
    void framesParseWithValidCrcAndAreAcknowledged() throws Exception {
        fleet = Fleet.start(config().loggers(4).family(FactorFamily.MIXED).speedup(600).staggered(true).build());
        await("5 records per logger", WAIT, () -> server.packets(FleetTest::isData).stream()
                .collect(Collectors.groupingBy(Packet::mn, Collectors.mapping(p -> p.cp().dataTime(), Collectors.toSet())))
                .values().stream().filter(s -> s.size() >= 5).count() == 4);
        assertTrue(fleet.drain(WAIT));
        assertTrue(server.rejected.isEmpty(), () -> "rejected: " + server.rejected);
        SimulatorReport r = fleet.report();
        assertEquals(r.framesSent(), r.framesAcked());
        assertEquals(0, r.framesResent());
        assertEquals(0, r.framesUnacked());
        assertEquals(4, r.connected());
        Set<String> families = new HashSet<>();
        for (Packet p : server.packets(FleetTest::isData)) {
            assertEquals("32", p.st());
            assertEquals(5, p.flag() & ~Packet.FLAG_SPLIT, "2017 + A bit");
            assertEquals(24, p.mn().length());
            assertTrue(p.mn().startsWith("SIM"));
            families.add(p.cp().values().keySet().iterator().next().startsWith("ea3001") ? "B" : "A");
        }
        assertEquals(Set.of("A", "B"), families);
        List<LoggerInfo> loggers = fleet.loggers();
        assertEquals(4, loggers.size());
        assertEquals(FacilityKind.TOTAL, loggers.get(0).meters().get(0).kind());
    }

    @Test
    void unacknowledgedFrameIsResentThreeTimesWithSameQnThenCounted() throws Exception {
        server.ackIf(p -> false);
        // One record per simulated hour at real speed: only the first record is ever due during the test.
        fleet = Fleet.start(config().loggers(1).family(FactorFamily.A).interval(Duration.ofHours(1))
                .ackTimeout(Duration.ofMillis(200)).maxDataLength(9999).build());
        await("frame given up", WAIT, () -> fleet.report().framesUnacked() == 1);
        List<Packet> data = server.packets(FleetTest::isData);
        assertEquals(4, data.size(), "original + 3 re-sends");
        Set<String> qns = data.stream().map(Packet::qn).collect(Collectors.toSet());
        assertEquals(1, qns.size(), "same QN every time");
        SimulatorReport r = fleet.report();
        assertEquals(1, r.framesSent());
        assertEquals(3, r.framesResent());
        assertEquals(0, r.framesAcked());
        assertEquals(0, r.framesPending());
        FrameRecord record = fleet.frames().get(0);
        assertEquals(FrameRecord.Outcome.UNACKED, record.outcome());
        assertEquals(4, record.attempts());
    }

    @Test
    void acknowledgedFrameIsNotResent() throws Exception {
        fleet = Fleet.start(config().loggers(1).family(FactorFamily.A).speedup(120)
                .ackTimeout(Duration.ofMillis(200)).build());
        // Records are 500 ms apart in real time, longer than the ack timeout: a missing ack would show.
        await("4 acknowledged", WAIT, () -> fleet.report().framesAcked() >= 4);
        List<String> qns = server.packets(FleetTest::isData).stream().map(Packet::qn).toList();
        assertEquals(new HashSet<>(qns).size(), qns.size(), "no QN arrives twice");
        SimulatorReport r = fleet.report();
        assertEquals(0, r.framesResent());
        assertEquals(0, r.unexpectedAcks());
    }

    @Test
    void setTimeCommandIsAnsweredAndApplied() throws Exception {
        fleet = Fleet.start(config().loggers(1).family(FactorFamily.B).speedup(600).build());
        String mn = fleet.loggers().get(0).mn();
        await("first record", WAIT, () -> !server.packets(FleetTest::isData).isEmpty());
        Packet first = server.packets(FleetTest::isData).get(0);
        String qn = "20300101000000123";
        server.send(mn, ServerCommands.setTime(ServerCommands.Target.of(first), qn, null, LocalDateTime.of(2030, 1, 1, 0, 0)));
        await("9012", WAIT, () -> !server.packets(p -> p.cn().equals("9012")).isEmpty());
        List<Packet> answers = server.packets(p -> p.cn().startsWith("901"));
        assertEquals("9011", answers.get(0).cn());
        assertEquals(qn, answers.get(0).qn());
        assertEquals("1", answers.get(0).cp().params().get("QnRtn"));
        assertEquals("9012", answers.get(1).cn());
        assertEquals(qn, answers.get(1).qn());
        assertEquals("1", answers.get(1).cp().params().get("ExeRtn"));
        assertEquals("91", answers.get(0).st());
        await("data on the new clock", WAIT,
                () -> server.packets(p -> isData(p) && p.cp().dataTime().startsWith("2030")).size() > 0);
    }

    @Test
    void historyRequestReuploadsTheRange() throws Exception {
        fleet = Fleet.start(config().loggers(1).family(FactorFamily.A).speedup(1200).build());
        String mn = fleet.loggers().get(0).mn();
        await("25 minutes of records", WAIT, () -> server.packets(p -> p.cn().equals("2011")).stream()
                .map(p -> p.cp().dataTime()).distinct().count() >= 25);
        Packet first = server.packets(FleetTest::isData).get(0);
        String qn = "20260302100000001";
        LocalDateTime begin = START;
        LocalDateTime end = START.plusMinutes(10);
        server.send(mn, ServerCommands.requestHistory(ServerCommands.Target.of(first), qn, "2051", begin, end));
        await("9012", WAIT, () -> !server.packets(p -> p.cn().equals("9012")).isEmpty());
        List<Packet> after = new ArrayList<>();
        boolean seen9011 = false;
        for (TestServer.Received r : server.received) {
            Packet p = r.packet();
            if (p.cn().equals("9011") && qn.equals(p.qn())) {
                seen9011 = true;
            } else if (seen9011 && !p.cn().equals("2011")) {
                after.add(p);
            }
        }
        assertTrue(seen9011);
        Packet last = after.get(after.size() - 1);
        assertEquals("9012", last.cn());
        assertEquals("1", last.cp().params().get("ExeRtn"));
        List<Packet> uploads = after.subList(0, after.size() - 1);
        Set<String> times = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Packet p : uploads) {
            keys.addAll(p.cp().values().keySet());
            assertEquals("2051", p.cn());
            assertTrue(p.ackRequested(), "history uploads want a 9014");
            LocalDateTime t = DataTimes.parse(p.cp().dataTime());
            assertFalse(t.isBefore(begin) || t.isAfter(end), "DataTime within the range");
            times.add(p.cp().dataTime());
        }
        assertTrue(keys.containsAll(Set.of("100000-Ept-Cou", "100000-Ept-Max", "100001-Pt-Avg", "100001-Pt-Min",
                "100001-Pt-Max", "100001-Flag")), () -> "aggregate items: " + keys);
        assertEquals(Set.of("20260302090000", "20260302091000"), times);
        await("history acked", WAIT, () -> fleet.report().historyFramesSent() == uploads.size()
                && fleet.report().framesPending() == 0);
    }

    @Test
    void sameSeedSendsSameFirstFrames() throws Exception {
        Map<String, List<String>> one = firstFrames();
        fleet.close();
        fleet = null;
        Map<String, List<String>> two = firstFrames();
        assertEquals(one, two);
        assertEquals(3, one.size());
    }

    private Map<String, List<String>> firstFrames() throws Exception {
        server.received.clear();
        fleet = Fleet.start(config().loggers(3).family(FactorFamily.MIXED).speedup(600).staggered(true).build());
        await("3 records per logger", WAIT, () -> server.packets(p -> p.cn().equals("2011")).stream()
                .collect(Collectors.groupingBy(Packet::mn, Collectors.mapping(p -> p.cp().dataTime(), Collectors.toSet())))
                .values().stream().filter(s -> s.size() >= 3).count() == 3);
        Map<String, List<String>> out = new HashMap<>();
        for (Packet p : server.packets(p -> p.cn().equals("2011"))) {
            List<String> list = out.computeIfAbsent(p.mn(), k -> new ArrayList<>());
            if (list.size() < 6) {
                // QN is the send instant, the only field that may differ between runs.
                list.add(p.withCp(p.cp()).toDataSegment().replaceFirst("QN=\\d+;", ""));
            }
        }
        return out;
    }

    @Test
    void faultsAreRejectedAndValidFramesStillArrive() throws Exception {
        fleet = Fleet.start(config().loggers(2).family(FactorFamily.MIXED).speedup(1200).faultRate(0.4).build());
        await("20 acknowledged", WAIT, () -> fleet.report().framesAcked() >= 20);
        assertTrue(fleet.drain(WAIT));
        SimulatorReport r = fleet.report();
        assertTrue(r.faultsInjected() > 0);
        assertTrue(server.rejected.size() >= r.faultsInjected(), "every fault rejected");
        Set<String> sent = fleet.frames().stream().map(f -> f.mn() + "/" + f.qn()).collect(Collectors.toSet());
        Set<String> decoded = server.packets(FleetTest::isData).stream().map(p -> p.mn() + "/" + p.qn())
                .collect(Collectors.toSet());
        assertEquals(sent, decoded, "faults never decode as data, valid frames always do");
        assertEquals(r.framesSent(), r.framesAcked());
    }

    @Test
    void reconnectResendsUnacknowledgedFrames() throws Exception {
        // The first connection is cut on the first data frame, before any ack.
        server.dropIf((p, connection) -> connection == 1 && isData(p));
        fleet = Fleet.start(config().loggers(1).family(FactorFamily.A).interval(Duration.ofHours(1))
                .maxDataLength(9999).build());
        await("acked after reconnect", WAIT, () -> fleet.report().framesAcked() == 1,
                () -> fleet.report().toJson() + " server saw " + server.received.stream()
                        .map(x -> x.connection() + ":" + x.packet().cn() + ":" + x.packet().qn()).toList());
        List<TestServer.Received> data = server.received.stream().filter(r -> isData(r.packet())).toList();
        assertEquals(2, data.size());
        assertEquals(data.get(0).packet().qn(), data.get(1).packet().qn(), "same frame, same QN");
        assertTrue(data.get(1).connection() > 1);
        SimulatorReport r = fleet.report();
        assertTrue(r.disconnects() >= 1);
        assertEquals(1, r.framesResent());
        assertEquals(0, r.framesUnacked());
    }

    @Test
    void timeRequestOnConnectIsAnswered() throws Exception {
        fleet = Fleet.start(config().loggers(1).timeRequestOnConnect(true).interval(Duration.ofHours(1)).build());
        await("9013 received", WAIT, () -> fleet.report().timeRequestsAnswered() == 1);
        Packet request = server.packets(p -> p.cn().equals("1013")).get(0);
        assertNotNull(request.qn());
        assertEquals(1, fleet.report().timeRequestsSent());
    }

    @Test
    void groundTruthMatchesWhatThePlatformAcknowledged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("truth.tsv");
        // Every third frame is left unacknowledged, so acked and unacked frames both appear.
        int[] n = {0};
        server.ackIf(p -> !isData(p) || n[0]++ % 3 != 0);
        fleet = Fleet.start(config().loggers(2).family(FactorFamily.MIXED).speedup(1200).maxRetries(0)
                .ackTimeout(Duration.ofMillis(300)).maxDataLength(600).groundTruth(file).build());
        await("15 acknowledged", WAIT, () -> fleet.report().framesAcked() >= 15);
        assertTrue(fleet.drain(WAIT));
        fleet.close();
        List<FrameRecord> records = GroundTruth.read(file);
        assertEquals(fleet.frames(), records, "file and memory agree");
        assertTrue(records.stream().anyMatch(r -> !r.acked()));
        assertTrue(records.stream().anyMatch(r -> r.pnum() != null), "split packets in the log");
        Set<Fleet.SentValue> fromPlatform = new HashSet<>();
        for (Packet p : server.acked) {
            p.cp().values().forEach((k, v) -> fromPlatform.add(new Fleet.SentValue(p.mn(), p.cn(), p.cp().dataTime(), k, v)));
        }
        assertEquals(fromPlatform, fleet.ackedValues(), "exactly the acknowledged values");
        SimulatorReport r = fleet.report();
        assertEquals(r.framesSent(), r.framesAcked() + r.framesUnacked());
        assertEquals(r.valuesAcked(), fleet.ackedValues().size());
    }

    @Test
    void commandLineOptionsBuildTheConfig() {
        FleetConfig c = SimulatorMain.parse(new String[]{"--host", "127.0.0.1", "--port", "9212", "--loggers", "100",
                "--interval", "60s", "--speedup", "60", "--duration", "5m", "--seed", "1", "--ack-timeout", "10s",
                "--family", "B", "--version", "2025", "--faults", "0.01", "--source-addresses", "4"}).config();
        assertEquals(100, c.loggers());
        assertEquals(Duration.ofSeconds(60), c.interval());
        assertEquals(FactorFamily.B, c.family());
        assertEquals(2, c.version().bits());
        assertEquals(4, c.sourceAddresses());
        assertEquals(Duration.ofMinutes(5), SimulatorMain.duration("5m"));
        assertEquals(Duration.ofMillis(500), SimulatorMain.duration("500ms"));
    }

    @SuppressWarnings("unused")
    private static Cp empty() {
        return Cp.EMPTY;
    }
}
