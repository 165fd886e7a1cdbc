package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalRoundTripTest.appendBlocking;
import static com.powerwatch.ingest.journal.JournalTestSupport.assertPayload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 4 KiB segments hold 32 records of 100 bytes (124 framed): segment k covers positions 32k..32k+31. */
class JournalRetentionTest {
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    @Test
    void sizeRetentionWaitsForEveryConsumer() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().retentionMaxBytes(2 * SEGMENT).build();
        try (Journal journal = Journal.open(dir, config);
             JournalReader slow = journal.reader("slow");
             JournalReader fast = journal.reader("fast")) {
            appendBlocking(journal, 0, 320);
            fast.commit(319);
            assertEquals(0, journal.runRetention(), "'slow' has committed nothing");
            assertEquals(0, journal.oldestPosition());
            int segmentsBefore = journal.metrics().segmentCount();

            slow.commit(100); // done with segments 0..2 (positions 0..95), not with segment 3 (96..127)
            assertEquals(3, journal.runRetention());
            assertEquals(96, journal.oldestPosition());
            assertEquals(segmentsBefore - 3, journal.metrics().segmentCount());
            assertTrue(Files.notExists(dir.resolve(RecordFormat.segmentFileName(0))));

            slow.commit(319);
            journal.runRetention();
            JournalMetrics m = journal.metrics();
            assertTrue(m.bytesOnDisk() <= 2 * SEGMENT, "bytes " + m.bytesOnDisk());
            assertEquals(0, m.recordsDroppedUnconsumed());
            assertEquals(320, journal.headPosition(), "retention never touches positions");
        }
    }

    @Test
    void ageRetentionDeletesOnlyOldConsumedSegments() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().retentionMaxAge(Duration.ofHours(1)).build();
        try (Journal journal = Journal.open(dir, config); JournalReader r = journal.reader("r")) {
            appendBlocking(journal, 0, 320);
            FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
            for (long base : new long[] {0, 32, 64}) {
                Files.setLastModifiedTime(dir.resolve(RecordFormat.segmentFileName(base)), old);
            }
            assertEquals(0, journal.runRetention(), "not yet consumed");
            r.commit(journal.headPosition() - 1);
            assertEquals(3, journal.runRetention());
            assertEquals(96, journal.oldestPosition());
        }
    }

    @Test
    void hardCapDropsUnconsumedRecordsAndCountsThem() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().maxBytesHard(3 * SEGMENT).build();
        try (Journal journal = Journal.open(dir, config)) {
            try (JournalReader stuck = journal.reader("stuck")) {
                assertEquals(0, stuck.nextPosition());
            }
            appendBlocking(journal, 0, 320);
            journal.runRetention();
            JournalMetrics m = journal.metrics();
            long oldest = journal.oldestPosition();
            assertTrue(oldest > 0);
            assertTrue(m.bytesOnDisk() <= 3 * SEGMENT, "bytes " + m.bytesOnDisk());
            assertEquals(oldest, m.recordsDroppedUnconsumed(), "everything deleted was unconsumed by 'stuck'");
            assertEquals(320 - oldest, m.consumers().get("stuck").lag());

            try (JournalReader stuck = journal.reader("stuck")) {
                List<JournalEntry> got = stuck.poll(1, Duration.ZERO);
                assertEquals(oldest, got.get(0).position(), "the reader resumes at the oldest retained record");
                assertPayload(oldest, 100, got.get(0).payload());
            }
        }
    }

    @Test
    void withoutConsumersSizeRetentionJustDeletes() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().retentionMaxBytes(2 * SEGMENT).build();
        try (Journal journal = Journal.open(dir, config)) {
            appendBlocking(journal, 0, 320);
            journal.runRetention();
            JournalMetrics m = journal.metrics();
            assertTrue(m.bytesOnDisk() <= 2 * SEGMENT);
            assertEquals(0, m.recordsDroppedUnconsumed());
        }
    }

    @Test
    void removedConsumerNoLongerHoldsRetention() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().retentionMaxBytes(2 * SEGMENT).build();
        try (Journal journal = Journal.open(dir, config)) {
            journal.reader("gone").close();
            appendBlocking(journal, 0, 320);
            assertEquals(0, journal.runRetention());
            journal.removeConsumer("gone");
            assertTrue(journal.runRetention() > 0);
            assertTrue(journal.metrics().consumers().isEmpty());
        }
    }
}
