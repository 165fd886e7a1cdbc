package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.indexOf;
import static com.powerwatch.ingest.journal.JournalTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalConcurrencyTest {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 5000;
    private static final int SIZE = 150;

    @TempDir
    Path dir;

    @Test
    void concurrentProducersOneReaderEveryRecordOnceInOrder() throws Exception {
        JournalConfig config = JournalConfig.builder().segmentBytes(64 * 1024)
                .enqueueTimeout(Duration.ofSeconds(30)).build();
        int total = PRODUCERS * PER_PRODUCER;
        try (Journal journal = Journal.open(dir, config); JournalReader reader = journal.reader("r")) {
            CompletableFuture<List<JournalEntry>> consumed = CompletableFuture.supplyAsync(() -> {
                try {
                    return JournalTestSupport.read(reader, total);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Map<Long, Long> positionByIndex = new ConcurrentHashMap<>();
            List<Thread> producers = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int t = 0; t < PRODUCERS; t++) {
                long base = t * 1_000_000L;
                Thread p = new Thread(() -> {
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        long index = base + i;
                        acks.add(journal.append(payload(index, SIZE)).thenAccept(pos -> positionByIndex.put(index, pos)));
                    }
                    try {
                        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                producers.add(p);
                p.start();
            }
            for (Thread p : producers) {
                p.join();
            }
            assertTrue(errors.isEmpty(), () -> "producer errors: " + errors);
            List<JournalEntry> entries = consumed.get(120, TimeUnit.SECONDS);

            assertEquals(total, entries.size());
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < total; i++) {
                JournalEntry e = entries.get(i);
                assertEquals(i, e.position(), "position order, no gaps");
                long index = indexOf(e.payload());
                assertTrue(seen.add(index), "read once: " + index);
                assertEquals(e.position(), positionByIndex.get(index), "ack position matches the record");
                JournalTestSupport.assertPayload(index, SIZE, e.payload());
            }
            assertEquals(total, positionByIndex.size());
            assertTrue(reader.poll(1, Duration.ZERO).isEmpty());
            assertTrue(journal.metrics().fsyncCount() <= total);
        }
    }

    @Test
    void fullQueueFailsFastWithOverloadedException() throws Exception {
        JournalConfig config = JournalConfig.builder().maxQueuedBytes(10_000).build();
        try (Journal journal = Journal.open(dir, config)) {
            CountDownLatch release = new CountDownLatch(1);
            journal.holdWriter(release);
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            CompletableFuture<Long> rejected = null;
            for (int i = 0; i < 100_000 && rejected == null; i++) {
                CompletableFuture<Long> f = journal.append(payload(i, 1000));
                if (f.isCompletedExceptionally()) {
                    rejected = f;
                } else {
                    accepted.add(f);
                }
            }
            assertTrue(rejected != null, "the bounded queue must refuse at some point");
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    rejected::get);
            assertInstanceOf(JournalOverloadedException.class, e.getCause());
            JournalMetrics m = journal.metrics();
            assertEquals(1, m.appendsRejected());
            assertTrue(m.appendQueueBytes() <= 10_000, "queue stays bounded: " + m.appendQueueBytes());
            assertTrue(m.appendQueueDepth() > 0);

            release.countDown();
            for (int i = 0; i < accepted.size(); i++) {
                assertEquals(i, accepted.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(accepted.size(), journal.headPosition(), "the rejected record was not appended");
        }
    }

    @Test
    void withEnqueueTimeoutAFullQueueBlocksTheProducerInstead() throws Exception {
        JournalConfig config = JournalConfig.builder().maxQueuedBytes(3 * (1000 + Journal.QUEUED_RECORD_OVERHEAD))
                .enqueueTimeout(Duration.ofMinutes(5)).build();
        try (Journal journal = Journal.open(dir, config)) {
            CountDownLatch release = new CountDownLatch(1);
            journal.holdWriter(release);
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(journal.append(payload(i, 1000))); // exactly at the bound
            }
            CompletableFuture<CompletableFuture<Long>> blocked = new CompletableFuture<>();
            Thread producer = new Thread(() -> blocked.complete(journal.append(payload(3, 1000))));
            producer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (producer.getState() != Thread.State.TIMED_WAITING) {
                assertTrue(System.nanoTime() < deadline, "producer should block on the full queue");
                Thread.onSpinWait();
            }
            assertTrue(!blocked.isDone());
            release.countDown();
            futures.add(blocked.get(60, TimeUnit.SECONDS));
            for (int i = 0; i < 4; i++) {
                assertEquals(i, futures.get(i).get(30, TimeUnit.SECONDS));
            }
        }
    }
}
