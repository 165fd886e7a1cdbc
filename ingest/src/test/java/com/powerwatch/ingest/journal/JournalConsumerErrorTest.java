package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.indexOf;
import static com.powerwatch.ingest.journal.JournalTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.powerwatch.ingest.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's handler that throws an {@link Error} (an AssertionError from a driver under -ea, a StackOverflowError on
 * a hostile frame) does not end the consumer's thread: the batch is kept and retried, the state says RETRYING (health
 * DOWN) meanwhile, and consuming goes on. Only a VirtualMachineError ends the thread, visibly (FAILED).
 */
class JournalConsumerErrorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Records what it processed; the handler throws what {@code failure} gives while it gives something. */
    static final class Recording extends JournalConsumer {
        final List<Long> processed = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Supplier<Throwable> failure = () -> null;
        /** Recurse without end, as a parser might on a hostile frame: a real StackOverflowError. */
        volatile boolean overflow;

        Recording(JournalReader reader) {
            super("test-consumer", reader, 4, Duration.ofMillis(200));
        }

        @Override
        protected void process(List<JournalEntry> batch) throws Exception {
            calls.incrementAndGet();
            if (overflow) {
                depth(0);
            }
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            for (JournalEntry e : batch) {
                processed.add(indexOf(e.payload()));
            }
        }

        private static long depth(long n) {
            return depth(n + 1) + 1;
        }

        void start() {
            startThread();
        }
    }

    private static void append(Journal journal, long from, long to) throws Exception {
        for (long i = from; i < to; i++) {
            journal.append(payload(i, 100)).get();
        }
    }

    @Test
    void anErrorThrownOnceIsRetriedAndTheConsumerKeepsConsuming() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.builder().build());
             Recording consumer = new Recording(journal.reader("errors"))) {
            append(journal, 0, 10);
            AtomicInteger thrown = new AtomicInteger();
            consumer.failure = () -> thrown.getAndIncrement() == 0 ? new AssertionError("a driver's assertion") : null;
            consumer.start();
            Await.until("the 10 records processed", WAIT, () -> consumer.processed.size() == 10);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), consumer.processed, "the failed batch kept, not skipped");
            assertEquals(1, consumer.failures());
            assertTrue(consumer.lastError().contains("AssertionError"), consumer.lastError());
            append(journal, 10, 15);
            Await.until("records appended later processed too", WAIT, () -> consumer.processed.size() == 15);
            assertEquals(JournalConsumer.State.RUNNING, consumer.state());
        }
    }

    @Test
    void whileAnErrorRepeatsTheConsumerIsRetryingAndResumesOnceItStops() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.builder().build());
             Recording consumer = new Recording(journal.reader("errors"))) {
            append(journal, 0, 6);
            consumer.overflow = true;
            consumer.start();
            Await.until("several attempts failed", WAIT, () -> consumer.failures() >= 3);
            assertEquals(JournalConsumer.State.RETRYING, consumer.state());
            assertTrue(consumer.state().failing(), "health says DOWN");
            assertEquals(List.of(), consumer.processed);
            assertTrue(consumer.lastError().contains("StackOverflowError"), consumer.lastError());
            consumer.overflow = false;
            Await.until("the kept records processed", WAIT, () -> consumer.processed.size() == 6);
            Await.until("running again", WAIT, () -> consumer.state() == JournalConsumer.State.RUNNING);
            assertTrue(!consumer.state().failing());
        }
    }

    @Test
    void outOfMemoryEndsTheConsumerVisibly() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.builder().build());
             Recording consumer = new Recording(journal.reader("errors"))) {
            append(journal, 0, 3);
            consumer.failure = () -> new OutOfMemoryError("test: Java heap space");
            consumer.start();
            Await.until("the consumer failed", WAIT, () -> consumer.state() == JournalConsumer.State.FAILED);
            Thread.sleep(500);
            assertEquals(1, consumer.calls.get(), "not retried: retrying would only make it worse");
            assertTrue(consumer.state().failing(), "health says DOWN");
            assertTrue(consumer.lastError().contains("OutOfMemoryError"), consumer.lastError());
        }
    }
}
