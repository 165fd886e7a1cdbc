package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.assertPayload;
import static com.powerwatch.ingest.journal.JournalTestSupport.payload;
import static com.powerwatch.ingest.journal.JournalTestSupport.readToHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage made with plain file I/O, then a reopen: torn tails are cut, rot in the middle is skipped and counted. */
class JournalRecoveryTest {
    private static final int SIZE = 100;
    private static final int RECORD = RecordFormat.RECORD_HEADER_BYTES + SIZE;

    @TempDir
    Path dir;

    @Test
    void truncatedTailIsCutAndAppendingContinues() throws Exception {
        writeRecords(JournalConfig.defaults(), 50);
        Path seg = lastSegment();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 30); // the last record lost its final 30 bytes
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            assertEquals(RECORD - 30, journal.metrics().tornBytesCutAtOpen());
            assertEquals(49, journal.headPosition());
            assertEquals(RecordFormat.SEGMENT_HEADER_BYTES + 49L * RECORD, Files.size(seg));
            assertEquals(49, journal.append(payload(1000, SIZE)).get(30, TimeUnit.SECONDS));
            try (JournalReader r = journal.reader("r")) {
                List<JournalEntry> all = readToHead(journal, r);
                assertEquals(50, all.size());
                for (int i = 0; i < 49; i++) {
                    assertEquals(i, all.get(i).position());
                    assertPayload(i, SIZE, all.get(i).payload());
                }
                assertPayload(1000, SIZE, all.get(49).payload());
            }
        }
    }

    @Test
    void corruptedLastBytesAreCut() throws Exception {
        writeRecords(JournalConfig.defaults(), 50);
        Path seg = lastSegment();
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(size - 5);
            f.write(new byte[] {1, 2, 3, 4, 5}); // a half-persisted last page
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            assertEquals(RECORD, journal.metrics().tornBytesCutAtOpen());
            assertEquals(49, journal.headPosition());
            assertEquals(0, journal.metrics().corruptRecordsSkipped());
        }
    }

    @Test
    void garbageAfterLastRecordIsCut() throws Exception {
        writeRecords(JournalConfig.defaults(), 10);
        Path seg = lastSegment();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(f.length());
            f.write(new byte[4000]); // file grew but the data never reached the disk: zeros
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            assertEquals(4000, journal.metrics().tornBytesCutAtOpen());
            assertEquals(10, journal.headPosition());
            assertEquals(10, journal.append(payload(10, SIZE)).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void segmentWithTornHeaderIsRewritten() throws Exception {
        writeRecords(JournalConfig.defaults(), 10);
        Files.write(dir.resolve(RecordFormat.segmentFileName(10)), new byte[] {'P', 'W', 'J'});
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            assertEquals(10, journal.headPosition());
            assertEquals(10, journal.append(payload(10, SIZE)).get(30, TimeUnit.SECONDS));
            try (JournalReader r = journal.reader("r")) {
                List<JournalEntry> all = readToHead(journal, r);
                assertEquals(11, all.size());
                assertPayload(10, SIZE, all.get(10).payload());
            }
        }
    }

    @Test
    void bitRotInOlderSegmentIsSkippedAndCounted() throws Exception {
        JournalConfig config = JournalTestSupport.smallSegments().build();
        writeRecords(config, 200);
        Path first = dir.resolve(RecordFormat.segmentFileName(0));
        flipByte(first, RecordFormat.SEGMENT_HEADER_BYTES + 3L * RECORD + 40); // payload of record 3
        flipByte(first, RecordFormat.SEGMENT_HEADER_BYTES + 7L * RECORD + 1); // length field of record 7
        try (Journal journal = Journal.open(dir, config); JournalReader r = journal.reader("r")) {
            assertEquals(200, journal.headPosition());
            List<JournalEntry> all = readToHead(journal, r);
            assertEquals(198, all.size());
            long expected = 0;
            for (JournalEntry e : all) {
                if (expected == 3 || expected == 7) {
                    expected++;
                }
                assertEquals(expected, e.position());
                assertPayload(expected, SIZE, e.payload());
                expected++;
            }
            assertEquals(2, journal.metrics().corruptRecordsSkipped());
        }
    }

    @Test
    void bitRotInMiddleOfLastSegmentKeepsLaterRecords() throws Exception {
        writeRecords(JournalConfig.defaults(), 50);
        flipByte(lastSegment(), RecordFormat.SEGMENT_HEADER_BYTES + 10L * RECORD + 50);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()); JournalReader r = journal.reader("r")) {
            assertEquals(50, journal.headPosition(), "acknowledged records after the rot are not cut");
            assertEquals(0, journal.metrics().tornBytesCutAtOpen());
            assertEquals(1, journal.metrics().corruptRecordsSkipped());
            List<JournalEntry> all = readToHead(journal, r);
            assertEquals(49, all.size());
            assertTrue(all.stream().noneMatch(e -> e.position() == 10));
            assertPayload(49, SIZE, all.get(48).payload());
            assertEquals(50, journal.append(payload(50, SIZE)).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void damagedConsumerOffsetFileMeansReplayNotCrash() throws Exception {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            JournalRoundTripTest.appendBlocking(journal, 0, 5);
            try (JournalReader r = journal.reader("c")) {
                r.commit(3);
            }
        }
        Files.write(dir.resolve("consumers").resolve("c.offset"), new byte[] {9, 9, 9});
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()); JournalReader r = journal.reader("c")) {
            assertEquals(0, r.nextPosition());
        }
    }

    private void writeRecords(JournalConfig config, int count) throws Exception {
        try (Journal journal = Journal.open(dir, config)) {
            JournalRoundTripTest.appendBlocking(journal, 0, count);
        }
    }

    private Path lastSegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static void flipByte(Path file, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
    }
}
