package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.assertPayload;
import static com.powerwatch.ingest.journal.JournalTestSupport.payload;
import static com.powerwatch.ingest.journal.JournalTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRoundTripTest {
    private static final int SIZE = 100;

    @TempDir
    Path dir;

    @Test
    void appendPollCommitAcrossSegmentRolls() throws Exception {
        try (Journal journal = Journal.open(dir, JournalTestSupport.smallSegments().build())) {
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                acks.add(journal.append(payload(i, SIZE)));
            }
            for (int i = 0; i < acks.size(); i++) {
                assertEquals(i, acks.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(500, journal.headPosition());
            assertEquals(0, journal.oldestPosition());
            JournalMetrics m = journal.metrics();
            assertTrue(m.segmentCount() > 10, "segments rolled: " + m.segmentCount());
            assertEquals(500, m.recordsAppended());
            assertTrue(m.fsyncCount() >= 1);
            assertEquals(m.bytesOnDisk(), segmentFileBytes());

            try (JournalReader reader = journal.reader("store")) {
                List<JournalEntry> entries = read(reader, 500);
                long lastTs = 0;
                for (int i = 0; i < 500; i++) {
                    JournalEntry e = entries.get(i);
                    assertEquals(i, e.position());
                    assertPayload(i, SIZE, e.payload());
                    assertTrue(e.timestampMillis() >= lastTs && e.timestampMillis() > 0);
                    lastTs = e.timestampMillis();
                }
                assertEquals(500, reader.lag());
                reader.commit(499);
                assertEquals(0, reader.lag());
                assertEquals(499, reader.committedPosition());
                assertTrue(reader.poll(10, Duration.ZERO).isEmpty());
            }
        }
    }

    @Test
    void offsetsSurviveReopenAndConsumersAreIndependent() throws Exception {
        try (Journal journal = Journal.open(dir, JournalTestSupport.smallSegments().build())) {
            appendBlocking(journal, 0, 300);
            try (JournalReader a = journal.reader("a"); JournalReader b = journal.reader("b")) {
                assertEquals(0, read(a, 120).get(0).position());
                a.commit(119);
                read(b, 40);
                b.commit(39);
                assertEquals(180, a.lag());
                assertEquals(260, b.lag());
                JournalMetrics m = journal.metrics();
                assertEquals(119, m.consumers().get("a").committedPosition());
                assertEquals(260, m.consumers().get("b").lag());
                assertThrows(IllegalStateException.class, () -> journal.reader("a"), "one reader per consumer");
            }
        }
        try (Journal journal = Journal.open(dir, JournalTestSupport.smallSegments().build())) {
            assertEquals(300, journal.headPosition());
            appendBlocking(journal, 300, 50);
            try (JournalReader a = journal.reader("a"); JournalReader b = journal.reader("b")) {
                assertEquals(120, a.nextPosition());
                assertEquals(40, b.nextPosition());
                List<JournalEntry> ra = read(a, 230);
                List<JournalEntry> rb = read(b, 310);
                for (int i = 0; i < ra.size(); i++) {
                    assertEquals(120 + i, ra.get(i).position());
                    assertPayload(120 + i, SIZE, ra.get(i).payload());
                }
                for (int i = 0; i < rb.size(); i++) {
                    assertEquals(40 + i, rb.get(i).position());
                    assertPayload(40 + i, SIZE, rb.get(i).payload());
                }
                a.seek(10);
                assertEquals(10, a.poll(1, Duration.ZERO).get(0).position());
                assertEquals(119, a.committedPosition(), "seek does not move the committed position");
            }
        }
    }

    @Test
    void newConsumerCanStartAtHead() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().newConsumerStart(ConsumerStart.HEAD).build();
        try (Journal journal = Journal.open(dir, config)) {
            appendBlocking(journal, 0, 20);
            try (JournalReader r = journal.reader("live")) {
                assertEquals(20, r.nextPosition());
                assertTrue(r.poll(10, Duration.ZERO).isEmpty());
                appendBlocking(journal, 20, 1);
                JournalEntry e = read(r, 1).get(0);
                assertEquals(20, e.position());
            }
        }
    }

    @Test
    void pollWakesUpOnAppend() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults());
             JournalReader reader = journal.reader("waiter")) {
            CompletableFuture<List<JournalEntry>> polled = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.poll(10, Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            journal.append(payload(0, SIZE)).get(30, TimeUnit.SECONDS);
            List<JournalEntry> got = polled.get(60, TimeUnit.SECONDS);
            assertEquals(1, got.size());
            assertPayload(0, SIZE, got.get(0).payload());
        }
    }

    @Test
    void batchAppendGetsConsecutivePositions() throws Exception {
        try (Journal journal = Journal.open(dir, JournalTestSupport.smallSegments().build())) {
            journal.append(payload(0, SIZE)).get(30, TimeUnit.SECONDS);
            List<byte[]> batch = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                batch.add(payload(i, SIZE));
            }
            assertEquals(1, journal.appendAll(batch).get(30, TimeUnit.SECONDS));
            try (JournalReader r = journal.reader("r")) {
                List<JournalEntry> all = read(r, 101);
                for (int i = 0; i <= 100; i++) {
                    assertPayload(i, SIZE, all.get(i).payload());
                }
            }
        }
    }

    @Test
    void closedJournalFailsAppendsAndReaders() throws Exception {
        Journal journal = Journal.open(dir, JournalConfig.defaults());
        JournalReader reader = journal.reader("r");
        journal.append(payload(0, SIZE)).get(30, TimeUnit.SECONDS);
        journal.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> journal.append(payload(1, SIZE)).get(30, TimeUnit.SECONDS));
        assertInstanceOf(JournalClosedException.class, e.getCause());
        assertThrows(JournalClosedException.class, () -> reader.poll(1, Duration.ZERO));
        assertThrows(JournalClosedException.class, () -> journal.reader("other"));
        reader.close();
        journal.close(); // idempotent
        try (Journal again = Journal.open(dir, JournalConfig.defaults())) {
            assertEquals(1, again.headPosition());
        }
    }

    @Test
    void secondOpenOfSameDirectoryIsRefused() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            assertThrows(IOException.class, () -> Journal.open(dir, JournalConfig.defaults()));
        }
    }

    @Test
    void oversizePayloadIsRejected() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.builder().maxRecordBytes(64).build())) {
            assertThrows(IllegalArgumentException.class, () -> journal.append(new byte[65]));
            assertEquals(0, journal.append(new byte[64]).get(30, TimeUnit.SECONDS));
            assertEquals(1, journal.append(new byte[0]).get(30, TimeUnit.SECONDS));
        }
    }

    static void appendBlocking(Journal journal, int from, int count) throws Exception {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            acks.add(journal.append(payload(i, SIZE)));
        }
        for (int i = 0; i < count; i++) {
            assertEquals(from + i, acks.get(i).get(30, TimeUnit.SECONDS));
        }
    }

    private long segmentFileBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
