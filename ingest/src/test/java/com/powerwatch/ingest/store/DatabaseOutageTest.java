package com.powerwatch.ingest.store;

import com.powerwatch.ingest.Await;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.GatewayConfig;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL is stopped in the middle of a run and started again: the gateway keeps acknowledging,
 * the journal grows, and when the database returns every acknowledged frame is stored, none twice.
 */
class DatabaseOutageTest {

    private static final int FRAMES_BEFORE = 50;
    private static final int FRAMES_DURING = 200;
    private static final int FRAMES_AFTER = 50;
    private static final int VALUES_PER_FRAME = 4;
    private static final String VALUES_STORED =
            "select coalesce(sum((select count(*) from jsonb_object_keys(fields))), 0) from reading";

    @Test
    void everyAcknowledgedFrameIsStoredOnceAfterTheDatabaseReturns(@TempDir Path dir) throws Exception {
        int pgPort;
        try (ServerSocket free = new ServerSocket(0)) {
            pgPort = free.getLocalPort();
        }
        EmbeddedPostgres pg = startPostgres(dir.resolve("pg"), pgPort);
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(3);
        ds.setConnectionTimeout(1000);
        ds.setInitializationFailTimeout(-1);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        try (Journal journal = Journal.open(dir.resolve("journal"), JournalConfig.defaults());
             TcpGateway gateway = new TcpGateway(GatewayConfig.defaults().with(b -> b.port(0).bindAddress("127.0.0.1")),
                     f -> journal.append(f.encode()), Clock.systemUTC()).start();
             StoreWriter writer = new StoreWriter(ds, journal.reader("store-writer"), 500, Duration.ofMillis(500)).start();
             Socket device = new Socket("127.0.0.1", gateway.port())) {

            int sent = 0;
            sent = sendAndExpectAcks(device, sent, FRAMES_BEFORE);
            Await.until("first frames stored", Duration.ofSeconds(60), () -> count(ds, VALUES_STORED) == (long) FRAMES_BEFORE * VALUES_PER_FRAME);

            pg.close(); // the database goes away
            sent = sendAndExpectAcks(device, sent, FRAMES_DURING);
            Await.until("writer notices the outage", Duration.ofSeconds(60), () -> writer.stats().state() == StoreWriter.State.RETRYING);
            assertTrue(journal.metrics().consumers().get("store-writer").lag() > 0, "the journal holds what the database could not take");

            pg = startPostgres(dir.resolve("pg"), pgPort); // it comes back on the same port and data
            sent = sendAndExpectAcks(device, sent, FRAMES_AFTER);
            int total = sent;
            try {
                Await.until("catch-up", Duration.ofSeconds(60), () -> count(ds, VALUES_STORED) == (long) total * VALUES_PER_FRAME);
            } catch (AssertionError e) {
                fail("no catch-up within 60 s; the writer: " + writer.stats(), e);
            }
            Await.until("lag drains", Duration.ofSeconds(60), () -> writer.stats().lag() == 0);
            assertEquals((long) total, count(ds, "select count(*) from reading"), "one row per frame's factor, none twice");
            assertEquals((long) total, count(ds, "select count(*) from raw_frame where verdict = 'VALID'"));
            assertEquals(StoreWriter.State.RUNNING, writer.stats().state());

            // a replay of everything (what a crash between the database commit and the offset commit causes, for one
            // batch): a writer that starts from position 0 meets stored raw_frame rows in every batch, takes the
            // staging + ON CONFLICT path, and stores nothing twice
            try (StoreWriter replay = new StoreWriter(ds, journal.reader("store-writer-replay"), 100, Duration.ofMillis(500)).start()) {
                Await.until("replay drains", Duration.ofSeconds(60), () -> replay.stats().lag() == 0
                        && replay.stats().framesStored() >= total);
                assertTrue(replay.replayedBatches() >= total / 100, "every batch was recognised as a replay: " + replay.replayedBatches());
            }
            assertEquals((long) total, count(ds, "select count(*) from raw_frame where verdict = 'VALID'"), "no raw frame twice");
            assertEquals((long) total, count(ds, "select count(*) from reading"));
            assertEquals((long) total * VALUES_PER_FRAME, count(ds, VALUES_STORED));
        } finally {
            ds.close();
            pg.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    /**
     * Frame i carries DataTime BASE − i minutes, one base for the whole test: a base taken per call moved on when a
     * minute began between two calls, and two frames then shared a DataTime (one reading row less, the catch-up count
     * never reached — the test failed whenever the outage fell on a minute boundary).
     */
    private static final LocalDateTime BASE = LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai")).withSecond(0).withNano(0);

    /** Sends {@code n} frames with the A bit and waits for each 9014, as a device does. */
    private static int sendAndExpectAcks(Socket device, int first, int n) throws Exception {
        InputStream in = device.getInputStream();
        device.setSoTimeout(10_000);
        for (int i = first; i < first + n; i++) {
            String qn = String.format("20261123%09d", i);
            Cp cp = Cp.builder().dataTime(BASE.minusMinutes(i))
                    .value("100000", "Ia", Integer.toString(i)).value("100000", "Ub", "231.5")
                    .value("100000", "Pt", "12.5").value("100000", "Flag", "N").build();
            device.getOutputStream().write(FrameEncoder.encode(Packet.of(qn, "32", "2011", "123456", "OUTAGE01", 5, null, null, cp)));
            byte[] reply = new byte[87];
            int got = 0;
            while (got < 71 + 12) {
                int r = in.read(reply, got, reply.length - got);
                if (r < 0) {
                    fail("connection closed");
                }
                got += r;
            }
            String ack = new String(reply, 0, got, StandardCharsets.US_ASCII);
            assertTrue(ack.contains("QN=" + qn + ";ST=91;CN=9014"), ack);
        }
        return first + n;
    }

    private static long count(HikariDataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }
}
