package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.indexOf;
import static com.powerwatch.ingest.journal.JournalTestSupport.payload;
import static com.powerwatch.ingest.journal.JournalTestSupport.readToHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.powerwatch.ingest.SmallDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a real file system that runs full (a small tmpfs): appends fail while there is no space — never
 * acknowledged — and once space is freed the same open journal takes appends again by itself, with exactly the
 * acknowledged records on disk, in order, gap-free, also after a reopen.
 */
class JournalDiskFullTest {
    private static final int SIZE = 1000;

    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsAppendsWithoutAckAndTheJournalRecoversWhenSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 2L << 20)) {
            Path journalDir = disk.root.resolve("journal");
            JournalConfig config = JournalConfig.builder().segmentBytes(16 * 1024).build();
            List<Long> acked = new ArrayList<>(); // record indices in the order they were acknowledged
            long next = 0;
            try (Journal journal = Journal.open(journalDir, config); JournalReader reader = journal.reader("store")) {
                // each round leaves a different amount of space, so the failure falls at different places: inside a
                // segment, or while rolling to a new one (both happen with these sizes)
                long[] leave = {64 * 1024, 20 * 1024 + 512, 3 * 1024};
                for (long free : leave) {
                    disk.fillLeaving(free);
                    int failed = 0;
                    while (failed < 3) { // until the disk is full, and twice more while it stays full
                        assertTrue(next < 10_000, "the disk never filled");
                        long index = next++;
                        if (tryAppend(journal, index)) {
                            assertEquals(0, failed, "an append succeeded on a full disk");
                            acked.add(index);
                        } else {
                            failed++;
                        }
                    }
                    JournalStatus full = journal.status();
                    assertFalse(full.writable(), "status while the disk is full");
                    assertTrue(full.problem().contains("No space left on device"), full.problem());
                    assertTrue(full.problemSinceMillis() > 0);
                    disk.free();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (true) { // the same journal, not reopened, takes appends again by itself
                        long index = next++;
                        if (tryAppend(journal, index)) {
                            acked.add(index);
                            break;
                        }
                        if (System.nanoTime() > deadline) {
                            fail("the journal did not recover within 60 s after space was freed");
                        }
                        Thread.sleep(50);
                    }
                    assertTrue(journal.status().writable(), "status after recovery");
                    for (int i = 0; i < 40; i++) { // across segment rolls
                        long index = next++;
                        assertTrue(tryAppend(journal, index), "append after recovery");
                        acked.add(index);
                    }
                }
                assertOnlyAcked(acked, readToHead(journal, reader));
                assertEquals(3, journal.status().outages());
                assertTrue(journal.metrics().appendsFailed() >= 9, "failed appends are counted");
            }
            try (Journal reopened = Journal.open(journalDir, config); JournalReader all = reopened.reader("check")) {
                assertOnlyAcked(acked, readToHead(reopened, all));
            }
        }
    }

    /** True when the append was acknowledged (durable); false when it failed, which must be a JournalException. */
    private static boolean tryAppend(Journal journal, long index) throws Exception {
        try {
            journal.append(payload(index, SIZE)).get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertInstanceOf(JournalException.class, e.getCause());
            return false;
        }
    }

    private static void assertOnlyAcked(List<Long> acked, List<JournalEntry> read) {
        assertEquals(acked.size(), read.size(), "records in the journal = records acknowledged");
        for (int i = 0; i < read.size(); i++) {
            assertEquals(i, read.get(i).position(), "positions are gap-free");
            assertEquals(acked.get(i), indexOf(read.get(i).payload()), "record at position " + i);
        }
    }
}
