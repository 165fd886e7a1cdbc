package com.powerwatch.ingest.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: payloads that encode their own index, and draining a reader with a deadline. */
final class JournalTestSupport {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private JournalTestSupport() {
    }

    /** A payload that says which record it is, padded to {@code size} bytes. */
    static byte[] payload(long index, int size) {
        String head = "rec-" + index + ";";
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() < size) {
            sb.append((char) ('a' + (sb.length() + index) % 26));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static long indexOf(byte[] payload) {
        String s = new String(payload, StandardCharsets.US_ASCII);
        return Long.parseLong(s.substring(4, s.indexOf(';')));
    }

    static void assertPayload(long index, int size, byte[] actual) {
        assertEquals(new String(payload(index, size), StandardCharsets.US_ASCII),
                new String(actual, StandardCharsets.US_ASCII));
    }

    /** Polls until {@code count} entries were read; fails when the deadline passes first. */
    static List<JournalEntry> read(JournalReader reader, int count) throws Exception {
        List<JournalEntry> out = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (out.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read only " + out.size() + " of " + count + " records before the deadline");
            }
            out.addAll(reader.poll(count - out.size(), Duration.ofMillis(200)));
        }
        return out;
    }

    /** Everything from the reader's position up to the head at the time of the call. */
    static List<JournalEntry> readToHead(Journal journal, JournalReader reader) throws Exception {
        long head = journal.headPosition();
        List<JournalEntry> out = new ArrayList<>();
        while (reader.nextPosition() < head) {
            out.addAll(reader.poll(10_000, Duration.ZERO));
        }
        return out;
    }

    static JournalConfig.Builder smallSegments() {
        return JournalConfig.builder().segmentBytes(4096);
    }
}
