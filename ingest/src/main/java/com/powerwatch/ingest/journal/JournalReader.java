package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's cursor over the journal, from {@link Journal#reader(String)}.
 *
 * <p>A reader sees a record only once it is <em>durable</em> (below {@link Journal#headPosition()}), not merely
 * written: otherwise a consumer could act on — and commit past — a record that a power loss then erases, and whose
 * position the journal would give to a different record after restart.
 *
 * <p>The read position ({@link #nextPosition()}) and the committed position are separate: {@link #poll} moves the
 * first; only {@link #commit} persists progress. After a restart the reader resumes after the committed position,
 * so records polled but not committed are delivered again (consumers must be idempotent, as everywhere
 * downstream). Not thread-safe: one thread per reader; {@link #lag()} and {@link #committedPosition()} may be
 * called from any thread.
 */
public final class JournalReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);

    private final Journal journal;
    private final Journal.ConsumerState consumer;
    private long nextPosition;
    private boolean closed;

    // Cursor into the segment holding nextPosition (null until needed).
    private Segment segment;
    private FileChannel channel;
    private RecordScanner scanner;
    private long offset;

    /** The journal this reader reads. */
    public Journal journal() {
        return journal;
    }

    JournalReader(Journal journal, Journal.ConsumerState consumer, long startPosition) {
        this.journal = journal;
        this.consumer = consumer;
        this.nextPosition = startPosition;
    }

    /** The consumer's name. */
    public String name() {
        return consumer.name;
    }

    /**
     * Returns up to {@code maxRecords} durable records from {@link #nextPosition()} on, in position order. If none
     * is available it waits (without spinning; an append wakes it) up to {@code maxWait} and returns an empty list
     * if nothing came. Records lost to corruption are skipped, logged and counted; records deleted by the
     * retention hard cap before this consumer read them are skipped with a warning.
     *
     * @throws JournalClosedException if the reader or the journal is closed
     * @throws JournalException       if the journal failed (after a write error) and everything durable was read
     * @throws IOException            if a segment cannot be read
     */
    public List<JournalEntry> poll(int maxRecords, Duration maxWait) throws IOException, InterruptedException {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        List<JournalEntry> out = new ArrayList<>(Math.min(maxRecords, 1024));
        while (true) {
            ensureOpen();
            skipDeletedRecords();
            long head = journal.headPosition();
            while (out.size() < maxRecords && nextPosition < head) {
                JournalEntry e = readNext(head);
                if (e != null) {
                    out.add(e);
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
            journal.ensureNotFailed();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return out;
            }
            journal.awaitHeadBeyond(nextPosition, remaining);
        }
    }

    /**
     * Persists, durably and atomically, that this consumer is done with every record up to and including
     * {@code position}; after a restart it resumes at {@code position + 1}. Usually the position of the last
     * record returned by {@link #poll} once it has been processed. It does not move the read position.
     * {@code -1} means "nothing done yet".
     *
     * @throws IllegalArgumentException if {@code position} is not below the head
     */
    public void commit(long position) throws IOException {
        ensureOpen();
        journal.commit(consumer, position);
    }

    /**
     * Moves the read position (not the committed one) to {@code position}, which must be between
     * {@link Journal#oldestPosition()} and {@link Journal#headPosition()}. For replays, tests and admin.
     */
    public void seek(long position) throws IOException {
        ensureOpen();
        journal.checkSeek(position);
        nextPosition = position;
        closeSegment();
    }

    /** The position the next {@link #poll} starts at. */
    public long nextPosition() {
        return nextPosition;
    }

    /** The last committed position ({@code -1}, or one below the start, if nothing has been committed). */
    public long committedPosition() {
        return consumer.next - 1;
    }

    /** Retained records after the committed position: head minus (committed + 1), never counting deleted ones. */
    public long lag() {
        return journal.lag(consumer);
    }

    /** Releases the reader's file handle; the consumer stays registered with its committed position. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            closeSegment();
            journal.readerClosed(consumer);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new JournalClosedException("reader '" + consumer.name + "' is closed");
        }
        journal.ensureOpen();
    }

    private void skipDeletedRecords() throws IOException {
        long oldest = journal.oldestPosition();
        if (nextPosition < oldest) {
            log.warn("Journal consumer '{}': positions {}..{} were deleted by retention before it read them; "
                    + "continuing at {}", consumer.name, nextPosition, oldest - 1, oldest);
            nextPosition = oldest;
            closeSegment();
        }
    }

    /** Reads the record at the cursor; null if the cursor only moved (segment switch, skip after seek or damage). */
    private JournalEntry readNext(long head) throws IOException {
        Long nextBase = segment == null ? null : journal.segments.higherKey(segment.basePosition);
        if (segment == null || (nextBase != null && nextPosition >= nextBase)) {
            openSegmentFor(nextPosition);
            return null;
        }
        scanner.limit(segment.readableBytes());
        RecordScanner.Status status = scanner.readAt(offset);
        if (status == RecordScanner.Status.RECORD) {
            long p = scanner.position;
            if (p < nextPosition) { // walking up to a seek target or a committed position
                offset += scanner.recordLength();
                return null;
            }
            if (p > nextPosition) {
                skipped(nextPosition, p, "damaged records");
            }
            JournalEntry e = new JournalEntry(p, scanner.timestampMillis, scanner.payload());
            offset += scanner.recordLength();
            nextPosition = p + 1;
            return e;
        }
        if (status == RecordScanner.Status.END) {
            // The records we need are past this segment's end: a segment that ends early (damage) or a roll
            // that happened after nextBase was read.
            nextBase = journal.segments.higherKey(segment.basePosition);
            if (nextBase == null) {
                throw new IllegalStateException("journal inconsistent: position " + nextPosition + " < head "
                        + head + " but segment " + segment + " ends at " + offset);
            }
            skipped(nextPosition, nextBase, "a segment that ends early");
            nextPosition = nextBase;
            return null;
        }
        long resumeAt = scanner.resync(offset + 1, nextPosition);
        if (resumeAt >= 0) {
            log.error("Journal consumer '{}': damaged bytes in segment {} at offset {}..{}; skipping them",
                    consumer.name, segment, offset, resumeAt - 1);
            offset = resumeAt; // the record there tells how many positions were lost
            return null;
        }
        log.error("Journal consumer '{}': damaged bytes in segment {} from offset {} to its end", consumer.name,
                segment, offset);
        nextBase = journal.segments.higherKey(segment.basePosition);
        long resumePosition = nextBase != null ? nextBase : head;
        skipped(nextPosition, resumePosition, "damage up to the segment end");
        nextPosition = resumePosition;
        offset = scanner.limit(); // a record boundary; records found there are compared by position
        return null;
    }

    private void skipped(long from, long to, String why) {
        if (to > from) {
            log.error("Journal consumer '{}': positions {}..{} lost to {}; skipped", consumer.name, from, to - 1,
                    why);
            journal.countCorruptSkipped(to - from);
        }
    }

    private void openSegmentFor(long position) throws IOException {
        closeSegment();
        while (true) {
            Map.Entry<Long, Segment> e = journal.segments.floorEntry(position);
            if (e == null) {
                skipDeletedRecords(); // deleted meanwhile by the hard cap
                position = nextPosition;
                continue;
            }
            try {
                channel = FileChannel.open(e.getValue().path, StandardOpenOption.READ);
            } catch (NoSuchFileException deleted) {
                skipDeletedRecords();
                if (nextPosition == position) {
                    throw deleted; // removed behind the journal's back, not by retention
                }
                position = nextPosition;
                continue;
            }
            segment = e.getValue();
            scanner = new RecordScanner(channel, segment.readableBytes(), journal.maxRecordBytes());
            offset = RecordFormat.SEGMENT_HEADER_BYTES;
            return;
        }
    }

    private void closeSegment() throws IOException {
        segment = null;
        scanner = null;
        if (channel != null) {
            FileChannel ch = channel;
            channel = null;
            ch.close();
        }
    }
}
