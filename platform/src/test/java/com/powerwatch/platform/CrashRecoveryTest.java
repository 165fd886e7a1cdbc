package com.powerwatch.platform;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The platform in a child JVM is killed with SIGKILL while devices are sending, then restarted on the
 * same data directory: every frame that got its 9014 is stored, none twice. PostgreSQL runs in this test
 * JVM and the child uses it as an external database (spring.datasource.url), as production does.
 */
class CrashRecoveryTest {

    private static final int VALUES = 3;

    @Test
    void everyAcknowledgedFrameSurvivesKillMinus9(@TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        int gatewayPort = freePort();
        int httpPort = freePort();
        List<String> acked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("external-pg")).start()) {
            run(dir, gatewayPort, pg.getPort(), httpPort, acked);
        }
    }

    private void run(Path dir, int gatewayPort, int pgPort, int httpPort, List<String> acked) throws Exception {

        Process platform = start(dir, gatewayPort, pgPort, httpPort);
        try {
            awaitPort(gatewayPort, platform);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger seq = new AtomicInteger();
            List<Thread> devices = new ArrayList<>();
            for (int d = 0; d < 4; d++) {
                String mn = "CRASHMN0" + d;
                Thread t = new Thread(() -> sendUntilDead(mn, gatewayPort, seq, stop, acked));
                t.start();
                devices.add(t);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acked.size() < 400 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(acked.size() >= 400, "devices got acks before the crash: " + acked.size());
            platform.destroyForcibly().waitFor(); // SIGKILL, mid-stream
            stop.set(true);
            for (Thread t : devices) {
                t.join(10_000);
            }
        } finally {
            platform.destroyForcibly().waitFor();
        }

        Process again = start(dir, gatewayPort, pgPort, httpPort);
        try {
            awaitPort(gatewayPort, again);
            String url = "jdbc:postgresql://localhost:" + pgPort + "/postgres";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long missing = Long.MAX_VALUE;
            String lastError = null;
            while (System.nanoTime() < deadline) {
                assertTrue(again.isAlive(), "restarted platform exited; see the platform-*.log files in " + dir);
                try {
                    missing = missing(url, acked);
                    if (missing == 0) {
                        break;
                    }
                } catch (java.sql.SQLException e) {
                    lastError = e.getMessage();
                }
                Thread.sleep(200);
            }
            assertEquals(0, missing, "acknowledged frames missing after restart (of " + acked.size() + ")"
                    + (lastError == null ? "" : "; last query error: " + lastError));
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) - count(distinct fields->>'Ia') from reading where mn like 'CRASHMN%'")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "nothing stored twice");
            }
        } finally {
            again.destroyForcibly().waitFor();
        }
    }

    private static long missing(String url, List<String> acked) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create temp table acked (mn text, ia text)");
            StringBuilder values = new StringBuilder();
            for (String a : acked) {
                String[] p = a.split(":");
                values.append(values.length() == 0 ? "" : ",").append("('").append(p[0]).append("','").append(p[1]).append("')");
            }
            s.execute("insert into acked values " + values);
            try (ResultSet rs = s.executeQuery("select count(*) from acked a where not exists (select 1 from reading r "
                    + "where r.mn = a.mn and r.factor = '100000' and r.fields->>'Ia' = a.ia)")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Sends like a data logger: a frame that gets no answer within 5 s is given up and the logger reconnects (the
     * gateway opens before the registry's passwords are read on a new installation, and refuses frames it cannot
     * judge yet without answering them).
     */
    private static void sendUntilDead(String mn, int port, AtomicInteger seq, AtomicBoolean stop, List<String> acked) {
        while (!stop.get()) {
            try {
                sendOnOneConnection(mn, port, seq, stop, acked);
            } catch (java.net.SocketTimeoutException noAnswer) {
                // reconnect and go on
            } catch (IOException e) {
                return; // the platform died: exactly what this test does to it
            }
        }
    }

    private static void sendOnOneConnection(String mn, int port, AtomicInteger seq, AtomicBoolean stop, List<String> acked)
            throws IOException {
        LocalDateTime base = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            while (!stop.get()) {
                int i = seq.incrementAndGet();
                String qn = String.format("20261123%09d", i);
                Cp cp = Cp.builder().dataTime(base.minusSeconds(i)).value("100000", "Ia", Integer.toString(i))
                        .value("100000", "Pt", "1.5").value("100000", "Flag", "N").build();
                s.getOutputStream().write(FrameEncoder.encode(Packet.of(qn, "32", "2011", "123456", mn, 5, null, null, cp)));
                byte[] buf = new byte[256];
                int got = 0;
                String text = "";
                while (!text.endsWith("\r\n")) {
                    int r = in.read(buf, got, buf.length - got);
                    if (r < 0) {
                        return;
                    }
                    got += r;
                    text = new String(buf, 0, got, StandardCharsets.US_ASCII);
                }
                if (text.contains("QN=" + qn + ";ST=91;CN=9014")) {
                    acked.add(mn + ":" + i);
                }
            }
        }
    }

    private static Process start(Path dir, int gatewayPort, int pgPort, int httpPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                PowerWatchApplication.class.getName(),
                "--powerwatch.data-dir=" + dir, "--powerwatch.gateway.port=" + gatewayPort,
                "--powerwatch.gateway.bind-address=127.0.0.1",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "--spring.datasource.username=postgres",
                "--server.port=" + httpPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("platform-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private static void awaitPort(int port, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("platform exited with " + p.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        fail("platform did not open port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
