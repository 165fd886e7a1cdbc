package com.powerwatch.ingest.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link JournalCrashTest} (args: journal dir, first index): appends from several threads until it is killed, printing
 * {@code ACK <position> <index>} for each record only after its append future completed (i.e. it is durable).
 */
public final class CrashingAppender {
    static final int PAYLOAD_BYTES = 200;
    static final int SEGMENT_BYTES = 64 * 1024;

    private CrashingAppender() {
    }

    public static void main(String[] args) throws Exception {
        JournalConfig config = JournalConfig.builder()
                .segmentBytes(SEGMENT_BYTES)
                .enqueueTimeout(Duration.ofSeconds(10))
                .build();
        Journal journal = Journal.open(Path.of(args[0]), config);
        AtomicLong nextIndex = new AtomicLong(Long.parseLong(args[1]));
        for (int t = 0; t < 4; t++) {
            Thread producer = new Thread(() -> {
                Semaphore inFlight = new Semaphore(64);
                while (true) {
                    inFlight.acquireUninterruptibly();
                    long index = nextIndex.getAndIncrement();
                    journal.append(JournalTestSupport.payload(index, PAYLOAD_BYTES)).whenComplete((pos, err) -> {
                        inFlight.release();
                        if (err == null) {
                            System.out.println("ACK " + pos + " " + index);
                        } else {
                            System.err.println("append " + index + " failed: " + err);
                        }
                    });
                }
            }, "producer-" + t);
            producer.start();
        }
        Thread.currentThread().join(); // until killed
    }
}
