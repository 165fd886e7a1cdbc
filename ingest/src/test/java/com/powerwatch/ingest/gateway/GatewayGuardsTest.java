package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.Await;
import com.powerwatch.ingest.frame.ReceivedFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gateway's guards against exhaustion, over real loopback sockets: connection caps in total and per address
 * (refused connections are closed before anything is read, and counted), a deadline for a started frame to
 * complete, an idle timeout that only valid frames reset, and junk coalesced into one trace record per run.
 */
class GatewayGuardsTest {

    private static final AtomicInteger QN = new AtomicInteger();
    private final List<ReceivedFrame> journaled = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = new ArrayList<>();
    private TcpGateway gateway;

    private TcpGateway start(GatewayConfig config) throws InterruptedException {
        gateway = new TcpGateway(config.with(b -> b.port(0).bindAddress("127.0.0.1")), f -> {
            journaled.add(f);
            return CompletableFuture.completedFuture((long) journaled.size());
        }, Clock.systemUTC()).start();
        return gateway;
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void connectionsBeyondTheCapOfTheirAddressAreRefusedAndCounted() throws Exception {
        start(GatewayConfig.defaults().with(b -> b.limits(new ConnectionLimits(100, 3, a -> false))));
        List<Socket> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(connect("127.0.0.1"));
        }
        for (Socket s : accepted) {
            assertAcked(s);
        }
        for (int i = 0; i < 2; i++) {
            assertClosedByServer(connect("127.0.0.1"));
        }
        assertEquals(2, gateway.stats().guards().refusedOverAddressCap());
        assertEquals(0, gateway.stats().guards().refusedOverTotal());
        assertAcked(connect("127.0.0.2")); // another address has its own cap

        accepted.get(0).close(); // a place frees up once the server has seen the close
        Await.until("the closed connection released", Duration.ofSeconds(30), () -> gateway.stats().connections() == 3);
        assertAcked(connect("127.0.0.1"));
        assertEquals(2, gateway.stats().guards().refusedOverAddressCap(), "nothing more refused");
    }

    @Test
    void theTotalCapRefusesWhateverTheAddress() throws Exception {
        start(GatewayConfig.defaults().with(b -> b.limits(new ConnectionLimits(4, 100, a -> false))));
        for (int i = 1; i <= 4; i++) {
            assertAcked(connect("127.0.0." + i));
        }
        assertClosedByServer(connect("127.0.0.5"));
        assertEquals(1, gateway.stats().guards().refusedOverTotal());
        assertEquals(4, gateway.stats().connections());
    }

    @Test
    void exemptAddressesAreNotCappedPerAddressButCountInTheTotal() throws Exception {
        // the bench and the demo fleet: thousands of loggers from loopback
        start(GatewayConfig.defaults().with(b -> b.limits(new ConnectionLimits(12, 2, InetAddress::isLoopbackAddress))));
        for (int i = 0; i < 12; i++) {
            assertAcked(connect("127.0.0.1"));
        }
        assertClosedByServer(connect("127.0.0.1"));
        assertEquals(0, gateway.stats().guards().refusedOverAddressCap());
        assertEquals(1, gateway.stats().guards().refusedOverTotal());
    }

    @Test
    void aFrameTrickledByteByByteIsCutAtTheDeadline() throws Exception {
        start(GatewayConfig.defaults().with(b -> b.frameDeadline(Duration.ofSeconds(1))));
        Socket slow = connect("127.0.0.1");
        Thread trickle = trickle(slow, FrameEncoder.encode(upload("SLOWLORIS01", "123456")));
        assertClosedByServer(slow);
        trickle.join(30_000);
        assertEquals(1, gateway.stats().guards().droppedSlowFrame());
        Await.until("the partial frame traced", Duration.ofSeconds(30), () -> !journaled.isEmpty());
        assertEquals("TRUNCATED", journaled.get(0).verdict(), journaled.get(0).reason());
        assertTrue(journaled.get(0).reason().contains("deadline"), journaled.get(0).reason());
        assertTrue(journaled.get(0).rawText().startsWith("##"), journaled.get(0).rawText());
    }

    @Test
    void bytesThatNeverMakeAFrameDoNotKeepAConnectionOpen() throws Exception {
        start(GatewayConfig.defaults().with(b -> b.idleTimeout(Duration.ofSeconds(1))));
        Socket junk = connect("127.0.0.1");
        Thread trickle = trickle(junk, "x".repeat(150).getBytes(StandardCharsets.US_ASCII));
        assertClosedByServer(junk);
        trickle.join(30_000);
        assertEquals(1, gateway.stats().guards().droppedIdle());
    }

    @Test
    void consecutiveJunkFromOneConnectionIsOneTraceRecordPerRun() throws Exception {
        start(GatewayConfig.defaults());
        Socket s = connect("127.0.0.1");
        OutputStream out = s.getOutputStream();
        byte[] badCrc = FrameEncoder.encode(upload("BADCRC0001", "123456"));
        badCrc[badCrc.length - 3] = (byte) (badCrc[badCrc.length - 3] == '0' ? '1' : '0');
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            first.writeBytes("##xx\r\n".getBytes(StandardCharsets.US_ASCII)); // 1,000 framing errors from no device
        }
        first.writeBytes("noise between frames".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < first.size(); i += 64) { // in many small pieces
            out.write(first.toByteArray(), i, Math.min(64, first.size() - i));
            out.flush();
        }
        out.write(badCrc); // attributable to an MN: a record of its own
        out.write("more junk".getBytes(StandardCharsets.US_ASCII));
        String qn = nextQn();
        out.write(FrameEncoder.encode(upload("GOODDEV001", qn)));
        out.flush();
        assertTrue(readReply(s).contains("QN=" + qn), "the good frame is acked");
        for (int i = 0; i < 300; i++) {
            out.write("##yy\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        s.close();
        Await.until("five records", Duration.ofSeconds(30), () -> journaled.size() >= 5);
        Thread.sleep(200);
        List<ReceivedFrame> r = List.copyOf(journaled);
        assertEquals(5, r.size(), () -> r.stream().limit(6).map(f -> f.verdict() + " " + f.reason()).toList() + " …");

        ReceivedFrame run = r.get(0);
        assertEquals("BAD_FRAMING", run.verdict(), "a run keeps the verdict of its first piece");
        assertNull(run.mn());
        // the 1,000 framing errors are exact; the noise may reach the server in one piece or two
        assertTrue(run.reason().contains("6,020 bytes") && run.reason().contains("BAD_FRAMING ×1,000")
                && run.reason().contains("GARBAGE_SKIPPED ×"), run.reason());
        assertTrue(run.rawText().startsWith("##xx\r\n##xx\r\n"), run.rawText());
        assertTrue(run.raw().length <= 256, "only the first bytes are kept");

        assertEquals("BAD_CRC", r.get(1).verdict());
        assertEquals("BADCRC0001", r.get(1).mn());
        assertEquals("GARBAGE_SKIPPED", r.get(2).verdict());
        assertEquals("more junk", r.get(2).rawText());
        assertTrue(r.get(3).valid());
        assertEquals("GOODDEV001", r.get(3).mn());
        assertEquals("BAD_FRAMING", r.get(4).verdict(), "the run at the close");
        assertTrue(r.get(4).reason().contains("300 rejected pieces") && r.get(4).reason().contains("1,800 bytes"),
                r.get(4).reason());
        assertEquals(3, gateway.stats().guards().junkRuns(), "three junk records, one per run");
        assertTrue(gateway.stats().framesRejected() >= 1302, "each piece still counts as rejected");
    }

    // ----------------------------------------------------------------------------------------------

    private Socket connect(String localAddress) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
        return s;
    }

    /** Sends {@code bytes} one at a time, 200 ms apart, until done or the server hangs up. */
    private static Thread trickle(Socket s, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException closed) {
                // the server hung up: what the deadlines are for
            }
        });
        t.start();
        return t;
    }

    private void assertAcked(Socket s) throws IOException {
        String qn = nextQn();
        s.getOutputStream().write(FrameEncoder.encode(upload("GUARD" + qn.substring(9), qn)));
        s.getOutputStream().flush();
        assertTrue(readReply(s).contains("QN=" + qn), "acked");
    }

    /** The gateway's next answer on {@code s} (one line), within 10 s. */
    static String readReply(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[512];
        int got = 0;
        while (got < 2 || buf[got - 1] != '\n') {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                fail("the connection was closed instead of answered: " + new String(buf, 0, got, StandardCharsets.US_ASCII));
            }
            got += n;
        }
        return new String(buf, 0, got, StandardCharsets.US_ASCII);
    }

    /** The server closes the connection (end of stream or reset) before a generous timeout. */
    private static void assertClosedByServer(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the server sends nothing a refused or cut peer should keep
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept the connection open");
        } catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    private static String nextQn() {
        return String.format("20261123%09d", QN.incrementAndGet());
    }

    private static Packet upload(String mn, String qn) {
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0);
        return Packet.of(qn, "32", "2011", "123456", mn, 5, null, null,
                Cp.builder().dataTime(now).value("100000", "Ia", "1.5").value("100000", "Flag", "N").build());
    }
}
