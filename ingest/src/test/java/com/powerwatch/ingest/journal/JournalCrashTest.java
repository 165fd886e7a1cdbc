package com.powerwatch.ingest.journal;

import static com.powerwatch.ingest.journal.JournalTestSupport.readToHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM that appends continuously, several times over the same journal (each child first recovers
 * what the previous one left): every position a child reported as acknowledged must survive with its payload.
 */
class JournalCrashTest {
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) (\\d+)");
    private static final int ROUNDS = 3;
    private static final int MIN_ACKS_PER_ROUND = 20_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKill9() throws Exception {
        Path journalDir = dir.resolve("journal");
        Map<Long, Long> acked = new ConcurrentHashMap<>(); // position -> payload index, over all rounds
        for (int round = 0; round < ROUNDS; round++) {
            runAndKillChild(journalDir, round * 100_000_000L, acked);
        }

        try (Journal journal = Journal.open(journalDir, JournalConfig.defaults());
             JournalReader reader = journal.reader("verify")) {
            long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(journal.headPosition() > maxAcked,
                    "head " + journal.headPosition() + " must be past the last acked position " + maxAcked);
            List<JournalEntry> all = readToHead(journal, reader);
            assertEquals(journal.headPosition(), all.size(), "no gaps");
            Map<Long, byte[]> byPosition = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i, all.get(i).position());
                byPosition.put(all.get(i).position(), all.get(i).payload());
            }
            for (Map.Entry<Long, Long> ack : acked.entrySet()) {
                byte[] payload = byPosition.get(ack.getKey());
                assertNotNull(payload, "acknowledged position " + ack.getKey() + " is missing");
                JournalTestSupport.assertPayload(ack.getValue(), CrashingAppender.PAYLOAD_BYTES, payload);
            }
            assertEquals(0, journal.metrics().corruptRecordsSkipped());
        }
    }

    private static void runAndKillChild(Path journalDir, long firstIndex, Map<Long, Long> acked) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), journalDir.toString(), Long.toString(firstIndex))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Long, Long> thisRound = new ConcurrentHashMap<>();
        Thread stdout = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = ACK.matcher(line);
                    if (m.matches()) { // a line cut by the kill does not match and is ignored
                        thisRound.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                    }
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child dies
            }
        }, "child-stdout");
        stdout.start();
        long segmentsAtStart = segmentCount(journalDir);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (thisRound.size() < MIN_ACKS_PER_ROUND || segmentCount(journalDir) < segmentsAtStart + 3) {
                assertTrue(child.isAlive(), "child died early");
                assertTrue(System.nanoTime() < deadline, "child acknowledged only " + thisRound.size() + " records");
                stdout.join(20); // a bounded wait between checks, not a timing assumption
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            child.waitFor(60, TimeUnit.SECONDS);
            stdout.join(TimeUnit.SECONDS.toMillis(60));
        }
        for (Map.Entry<Long, Long> e : thisRound.entrySet()) {
            Long before = acked.put(e.getKey(), e.getValue());
            assertEquals(null, before, "position " + e.getKey() + " acknowledged twice");
        }
    }

    private static long segmentCount(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }
}
