package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CommandAnswer;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.ServerCommands;
import com.powerwatch.ingest.Await;
import com.powerwatch.ingest.frame.ReceivedFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway admits a frame only when the device proves who it is, over real loopback sockets: a refused frame is
 * journaled with its reason, never acknowledged and never binds a session; one connection cannot announce MNs
 * without end; sessions of silent devices are evicted.
 */
class DeviceAdmissionTest {

    /** M1 and M2 are registered with passwords; OLD1 has none and is accepted with a warning; anything else is unknown. */
    static final DeviceAuthenticator REGISTRY = (mn, pw, address) -> switch (mn) {
        case "M1" -> "goodpw1".equals(pw) ? DeviceAuthenticator.Verdict.VERIFIED : DeviceAuthenticator.Verdict.rejected("访问密码错误");
        case "M2" -> "goodpw2".equals(pw) ? DeviceAuthenticator.Verdict.VERIFIED : DeviceAuthenticator.Verdict.rejected("访问密码错误");
        case "OLD1" -> new DeviceAuthenticator.Verdict(DeviceAuthenticator.Outcome.WARNED, "未设置访问密码，告警放行");
        default -> DeviceAuthenticator.Verdict.UNREGISTERED;
    };

    final List<ReceivedFrame> journal = new CopyOnWriteArrayList<>();
    final FrameSink sink = frame -> {
        journal.add(frame);
        return CompletableFuture.completedFuture((long) journal.size());
    };
    final MovableClock clock = new MovableClock();
    TcpGateway gateway;

    TcpGateway start(DeviceAdmission admission) throws InterruptedException {
        gateway = new TcpGateway(GatewayConfig.defaults().with(b -> b.port(0).bindAddress("127.0.0.1")), sink, clock, admission);
        return gateway.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static byte[] upload(String mn, String pw, String qn) {
        return FrameEncoder.encode(Packet.of(qn, "32", "2011", pw, mn, 5, null, null,
                Cp.builder().dataTime("20261123100000").value("100000", "Pt", "1.5").build()));
    }

    /** Reads until an answer carrying {@code qn} has arrived; returns everything read so far. */
    static String readUntil(Socket s, String qn) throws IOException {
        s.setSoTimeout(10_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (!out.toString(StandardCharsets.US_ASCII).contains("QN=" + qn)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    ReceivedFrame journaled(String qn) {
        return journal.stream().filter(f -> qn.equals(f.qn())).findFirst().orElse(null);
    }

    @Test
    void aFrameWithTheWrongPasswordIsJournaledWithItsReasonButNeverAckedNorBound() throws Exception {
        start(new DeviceAdmission(REGISTRY, 32, 5, Duration.ofDays(1)));
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(upload("M1", "123456", "20261123100000001"));
            s.getOutputStream().write(upload("M2", "goodpw2", "20261123100000002"));
            String replies = readUntil(s, "20261123100000002");
            assertFalse(replies.contains("20261123100000001"), "the impostor's frame is not acked: " + replies);
            assertTrue(replies.contains("QN=20261123100000002;ST=91;CN=9014"), replies);
        }
        ReceivedFrame refused = journaled("20261123100000001");
        assertNotNull(refused, "the refused frame is journaled all the same");
        assertEquals(DeviceAdmission.AUTH_FAILED, refused.verdict());
        assertEquals("访问密码错误", refused.reason());
        assertEquals("M1", refused.mn());
        assertTrue(journaled("20261123100000002").valid());
        assertNull(gateway.session("M1"), "a refused frame binds no session");
        assertNotNull(gateway.session("M2"));
        assertEquals(1L, gateway.stats().rejectedByReason().get(DeviceAdmission.AUTH_FAILED));
    }

    @Test
    void aWarnedFrameIsAcceptedAndTracedWithItsWarning() throws Exception {
        start(new DeviceAdmission(REGISTRY, 32, 5, Duration.ofDays(1)));
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(upload("OLD1", "123456", "20261123100000011"));
            assertTrue(readUntil(s, "20261123100000011").contains("CN=9014"));
        }
        ReceivedFrame warned = journaled("20261123100000011");
        assertTrue(warned.valid(), "accepted: the consumers take it");
        assertEquals("未设置访问密码，告警放行", warned.reason());
        assertEquals(DeviceAuthenticator.Outcome.WARNED, gateway.session("OLD1").admission());
    }

    @Test
    void anImpostorNeitherTakesOverTheSessionNorAnswersTheCommand() throws Exception {
        start(new DeviceAdmission(REGISTRY, 32, 5, Duration.ofDays(1)));
        try (Socket device = new Socket("127.0.0.1", gateway.port());
             Socket impostor = new Socket("127.0.0.1", gateway.port());
             Socket otherDevice = new Socket("127.0.0.1", gateway.port())) {
            device.getOutputStream().write(upload("M1", "goodpw1", "20261123100000021"));
            readUntil(device, "20261123100000021");
            String devicePeer = gateway.session("M1").peer();
            // the impostor knows the MN, not the password; its frames must not move the session to its connection
            impostor.getOutputStream().write(upload("M1", "123456", "20261123100000022"));
            impostor.getOutputStream().write(upload("NEWMN1", "123456", "20261123100000023"));
            readUntil(impostor, "20261123100000023");
            assertEquals(devicePeer, gateway.session("M1").peer(), "the session stays with the device");

            ServerCommands.Target target = gateway.session("M1").target();
            assertEquals("goodpw1", target.pw(), "commands carry the device's own password, never an impostor's");
            CommandExchange exchange = gateway.sendCommand("M1", ServerCommands.setTime(target, gateway.nextQn(), null,
                    java.time.LocalDateTime.of(2026, 11, 23, 10, 0)));
            String qn = exchange.command().qn();
            assertTrue(readUntil(device, qn).contains("CN=1012"), "the command went to the device");

            // forged answers: from the impostor (wrong password) and from another authenticated device (other MN)
            impostor.getOutputStream().write(FrameEncoder.encode(answer("M1", "123456", qn, "9012", "ExeRtn=1")));
            impostor.getOutputStream().write(upload("NEWMN1", "123456", "20261123100000026"));
            readUntil(impostor, "20261123100000026"); // answered in order: the forged 9012 has been handled
            otherDevice.getOutputStream().write(upload("M2", "goodpw2", "20261123100000024"));
            otherDevice.getOutputStream().write(FrameEncoder.encode(answer("M2", "goodpw2", qn, "9012", "ExeRtn=1")));
            otherDevice.getOutputStream().write(upload("M2", "goodpw2", "20261123100000025"));
            readUntil(otherDevice, "20261123100000025");
            assertEquals(2L, journal.stream().filter(f -> qn.equals(f.qn()) && !f.cn().equals("1012")).count(),
                    "both forged answers journaled");
            assertFalse(exchange.executed().isDone(), "no forged 9012 completes the command");

            device.getOutputStream().write(FrameEncoder.encode(answer("M1", "goodpw1", qn, "9011", "QnRtn=1")));
            device.getOutputStream().write(FrameEncoder.encode(answer("M1", "goodpw1", qn, "9012", "ExeRtn=1")));
            CommandAnswer executed = exchange.executed().get(10, TimeUnit.SECONDS);
            assertTrue(executed.success());
        }
    }

    static Packet answer(String mn, String pw, String qn, String cn, String field) {
        String[] kv = field.split("=");
        return Packet.of(qn, "91", cn, pw, mn, 4, null, null, Cp.builder().param(kv[0], kv[1]).build());
    }

    @Test
    void oneConnectionCannotAnnounceMnsWithoutEnd() throws Exception {
        start(new DeviceAdmission(REGISTRY, 3, 5, Duration.ofDays(1)));
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            for (int i = 1; i <= 3; i++) {
                s.getOutputStream().write(upload("FAKE" + i, "x", "2026112310000003" + i));
                readUntil(s, "2026112310000003" + i);
            }
            // the same MNs again are fine
            s.getOutputStream().write(upload("FAKE1", "x", "20261123100000035"));
            readUntil(s, "20261123100000035");
            assertEquals(3, gateway.sessions().size());
            s.getOutputStream().write(upload("FAKE4", "x", "20261123100000034"));
            String rest = readUntil(s, "20261123100000034");
            assertFalse(rest.contains("20261123100000034"), "the fourth MN is not acked");
            assertEquals(-1, s.getInputStream().read(), "and the connection is closed");
        }
        ReceivedFrame refused = journaled("20261123100000034");
        assertEquals(DeviceAdmission.TOO_MANY_MNS, refused.verdict());
        assertNotNull(refused.reason());
        assertNull(gateway.session("FAKE4"));
        Await.until("sessions of unregistered MNs end with their connection", Duration.ofSeconds(10),
                () -> gateway.sessions().isEmpty());
    }

    @Test
    void repeatedPasswordFailuresCloseTheConnection() throws Exception {
        start(new DeviceAdmission(REGISTRY, 32, 3, Duration.ofDays(1)));
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            for (int i = 1; i <= 3; i++) {
                s.getOutputStream().write(upload("M1", "guess" + i, "2026112310000004" + i));
            }
            s.setSoTimeout(10_000);
            assertEquals(-1, s.getInputStream().read(), "closed after the third wrong password, nothing acked");
        }
        Await.until("all three journaled", Duration.ofSeconds(10),
                () -> journal.stream().filter(f -> DeviceAdmission.AUTH_FAILED.equals(f.verdict())).count() == 3);
    }

    @Test
    void silentRegisteredDevicesAreEvictedAfterTheConfiguredTime() throws Exception {
        start(new DeviceAdmission(REGISTRY, 32, 5, Duration.ofHours(2)));
        try (Socket online = new Socket("127.0.0.1", gateway.port())) {
            try (Socket gone = new Socket("127.0.0.1", gateway.port())) {
                gone.getOutputStream().write(upload("M1", "goodpw1", "20261123100000051"));
                readUntil(gone, "20261123100000051");
            }
            online.getOutputStream().write(upload("M2", "goodpw2", "20261123100000052"));
            readUntil(online, "20261123100000052");
            Await.until("M1 offline", Duration.ofSeconds(10), () -> !gateway.session("M1").online());

            clock.advance(Duration.ofHours(1));
            assertEquals(0, gateway.evictStaleSessions());
            assertNotNull(gateway.session("M1"), "a registered device stays listed while offline for less than the eviction time");
            clock.advance(Duration.ofHours(2));
            assertEquals(1, gateway.evictStaleSessions());
            assertNull(gateway.session("M1"));
            assertNotNull(gateway.session("M2"), "an online device is never evicted");
        }
    }

    /** A clock the test moves by hand (eviction is judged against the gateway's clock). */
    static final class MovableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-23T02:00:00Z").toEpochMilli());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }
}
