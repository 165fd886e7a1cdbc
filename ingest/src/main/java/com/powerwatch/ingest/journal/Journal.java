package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, segmented, crash-safe log that is PowerWatch's acknowledgement point: a frame is
 * acknowledged to its device only after {@link #append} has completed, and every consumer (store writer, realtime
 * state, AMQP publisher, ...) reads it through its own {@link JournalReader} from its own persisted position.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>When a future from {@link #append} completes with a position, the record is written and, with
 *       {@link FsyncPolicy#ALWAYS}, forced to the device ({@code FileChannel.force(false)}; a new segment's file
 *       and directory entry are forced before any record goes into it): it survives {@code kill -9} and power
 *       loss. Records appended concurrently share one fsync (group commit) on the single writer thread.</li>
 *   <li>Positions are a gap-free sequence 0, 1, 2, ... in write order; timestamps never decrease along them.</li>
 *   <li>Readers see a record only once it is durable (see {@link JournalReader}).</li>
 *   <li>On open, a torn tail of the last segment is cut; damage in the middle of the log is reported, counted
 *       in {@link JournalMetrics#corruptRecordsSkipped()} and skipped, never fatal.</li>
 *   <li>An I/O error while writing, forcing or rolling a segment (a full disk) fails the affected futures — those
 *       records are not acknowledged — and cuts the files back to the last durable record, so what a failed write
 *       or fsync left in the page cache is gone from the journal. Until it can write again, appends fail at once
 *       with {@link JournalUnavailableException} ({@link #status()} says why and since when); the writer retries
 *       with backoff (up to {@link JournalConfig#writeRetryMaxBackoff()}), and when a probe write succeeds the
 *       same journal takes appends again, positions continuing gap-free. Only an unexpected error (not an
 *       {@code IOException}) leaves it failed until reopened.</li>
 * </ul>
 *
 * <p>Futures complete on the journal's writer thread: keep dependent actions short (a Netty
 * {@code writeAndFlush} is fine) or use the {@code *Async} variants. One process at a time may open a directory
 * (a lock file enforces it).
 */
public final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    /** Queue accounting per record on top of its payload (frame header and object overhead), so tiny payloads stay bounded too. */
    static final int QUEUED_RECORD_OVERHEAD = 64;

    private enum State { OPEN, UNAVAILABLE, CLOSING, CLOSED, FAILED }

    private final Path dir;
    private final JournalConfig config;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();

    // Consumers: registration, offsets, retention decisions and seeks are serialized on consumersLock.
    private final Object consumersLock = new Object();
    private final ConsumerOffsets offsets;
    private final Map<String, ConsumerState> consumers = new ConcurrentHashMap<>();

    // Append queue, guarded by queueLock.
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueNotEmpty = queueLock.newCondition();
    private final Condition queueNotFull = queueLock.newCondition();
    private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int queuedRecords;
    private volatile State state = State.OPEN;
    private volatile Throwable failure;
    private boolean closeCalled; // guarded by queueLock

    // Owned by the writer thread (and by open/close before it starts / after it ends).
    private Segment active;
    private FileChannel activeChannel;
    private long flushedBytes;
    private long nextPosition;
    private long lastTimestamp;
    private boolean filesNeedRepair; // a rollback could not cut the active segment back yet
    private final WriteOutage outage;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final CRC32C writerCrc = new CRC32C();
    private final Thread writer;

    // Durable head: every record below it is complete and (with ALWAYS) forced. Readers wait on headAdvanced.
    private volatile long durableHead;
    private final ReentrantLock headLock = new ReentrantLock();
    private final Condition headAdvanced = headLock.newCondition();
    private final AtomicInteger waitingReaders = new AtomicInteger();

    private final ScheduledExecutorService retention;
    private String lastHeldWarning; // guarded by consumersLock

    // Metrics.
    private final AtomicLong recordsAppended = new AtomicLong();
    private final AtomicLong appendsRejected = new AtomicLong();
    private final AtomicLong appendsFailed = new AtomicLong();
    private final AtomicLong corruptRecordsSkipped = new AtomicLong();
    private final AtomicLong recordsDroppedUnconsumed = new AtomicLong();
    private final long tornBytesCutAtOpen;
    private volatile long fsyncCount;
    private volatile long fsyncNanosTotal;
    private volatile long fsyncNanosMax;

    private Journal(Path dir, JournalConfig config) throws IOException {
        this.dir = dir;
        this.config = config;
        this.fsync = config.fsync() == FsyncPolicy.ALWAYS;
        this.outage = new WriteOutage(dir, fsync, config.writeRetryMaxBackoff());
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("journal directory " + dir + " is already open (journal.lock is held)");
        }
        this.dirLock = lock;
        try {
            this.tornBytesCutAtOpen = recoverSegments();
            this.durableHead = nextPosition;
            this.offsets = new ConsumerOffsets(dir.resolve("consumers"), fsync);
            loadConsumers();
        } catch (IOException | RuntimeException e) {
            closeQuietly(activeChannel);
            closeQuietly(lockChannel);
            throw e;
        }
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-retention-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        long every = config.retentionInterval().toMillis();
        retention.scheduleWithFixedDelay(this::runRetentionQuietly, every, every, TimeUnit.MILLISECONDS);
        this.writer = new Thread(this::writerLoop, "journal-writer-" + dir.getFileName());
        this.writer.setDaemon(true);
        this.writer.start();
        log.info("Journal {} open: positions {}..{}, {} segment(s), {} consumer(s)", dir, oldestPosition(),
                durableHead, segments.size(), consumers.size());
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and recovers it: the last segment is verified record
     * by record and a torn tail is cut. Older segments are verified by readers as they read them.
     *
     * @throws IOException if the directory cannot be used or is already open by another journal
     */
    public static Journal open(Path dir, JournalConfig config) throws IOException {
        return new Journal(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(config, "config"));
    }

    // ---------------------------------------------------------------------------------------------- append

    /**
     * Appends one record. Thread-safe and non-blocking by default.
     *
     * <p>The returned future completes with the record's position once the record is durable (see
     * {@link FsyncPolicy}); it fails with {@link JournalOverloadedException} if the append queue stayed over
     * {@link JournalConfig#maxQueuedBytes()} for {@link JournalConfig#enqueueTimeout()} (default: fail at once,
     * never block), with {@link JournalClosedException} after {@link #close()}, with
     * {@link JournalUnavailableException} while the journal cannot write (disk full), and with a
     * {@link JournalException} if writing failed otherwise. A failed future means the record was not appended: do not
     * acknowledge it. The array must not be modified after the call.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link JournalConfig#maxRecordBytes()}
     */
    public CompletableFuture<Long> append(byte[] payload) {
        checkPayload(payload);
        return enqueue(new PendingAppend(payload, null, payload.length + QUEUED_RECORD_OVERHEAD, 1, null));
    }

    /**
     * Appends several records atomically with respect to other appends: they get consecutive positions and one
     * future, which completes with the first record's position when all are durable (record {@code i} has
     * position {@code first + i}). Same failure modes as {@link #append}.
     */
    public CompletableFuture<Long> appendAll(List<byte[]> payloads) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        List<byte[]> copy = List.copyOf(payloads);
        long bytes = 0;
        for (byte[] p : copy) {
            checkPayload(p);
            bytes += p.length + QUEUED_RECORD_OVERHEAD;
        }
        return enqueue(new PendingAppend(null, copy, bytes, copy.size(), null));
    }

    private void checkPayload(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > config.maxRecordBytes()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxRecordBytes "
                    + config.maxRecordBytes());
        }
    }

    private CompletableFuture<Long> enqueue(PendingAppend p) {
        queueLock.lock();
        try {
            long waitNanos = config.enqueueTimeout().toNanos();
            while (state == State.OPEN && queuedBytes > 0 && queuedBytes + p.bytes > config.maxQueuedBytes()) {
                if (waitNanos <= 0) {
                    appendsRejected.incrementAndGet();
                    return CompletableFuture.failedFuture(new JournalOverloadedException(
                            "journal append queue is full (" + queuedBytes + " bytes queued, bound "
                                    + config.maxQueuedBytes() + "); record not appended"));
                }
                try {
                    waitNanos = queueNotFull.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(new JournalException("interrupted while waiting for "
                            + "room in the journal append queue; record not appended", e));
                }
            }
            if (state != State.OPEN) {
                if (state == State.UNAVAILABLE) {
                    appendsFailed.addAndGet(p.count);
                }
                return CompletableFuture.failedFuture(notOpen());
            }
            queue.addLast(p);
            queuedBytes += p.bytes;
            queuedRecords += p.count;
            queueNotEmpty.signal();
            return p.future;
        } finally {
            queueLock.unlock();
        }
    }

    private JournalException notOpen() {
        Throwable f = failure;
        IOException writeError = outage.cause();
        if (f != null) {
            return new JournalException("journal " + dir + " failed earlier and must be reopened", f);
        }
        if (state == State.UNAVAILABLE && writeError != null) {
            return unavailable(writeError);
        }
        return new JournalClosedException("journal " + dir + " is closed");
    }

    private JournalUnavailableException unavailable(IOException cause) {
        return new JournalUnavailableException("journal " + dir + " cannot write (" + cause.getMessage()
                + "); record not appended, it retries by itself", cause);
    }

    /** For tests: the writer stops before the next queued append until {@code release} opens. */
    void holdWriter(CountDownLatch release) {
        enqueue(new PendingAppend(null, null, 0, 0, release));
    }

    // ---------------------------------------------------------------------------------------------- writer

    private void writerLoop() {
        List<PendingAppend> batch = new ArrayList<>();
        try {
            while (true) {
                CountDownLatch gate = null;
                queueLock.lock();
                try {
                    while (queue.isEmpty() && state == State.OPEN) {
                        queueNotEmpty.awaitUninterruptibly();
                    }
                    if (queue.isEmpty()) {
                        return; // closing, and everything accepted before close is written
                    }
                    if (queue.peekFirst().gate != null) {
                        gate = queue.pollFirst().gate;
                    } else {
                        while (!queue.isEmpty() && queue.peekFirst().gate == null) {
                            PendingAppend p = queue.pollFirst();
                            queuedBytes -= p.bytes;
                            queuedRecords -= p.count;
                            batch.add(p);
                        }
                        queueNotFull.signalAll();
                    }
                } finally {
                    queueLock.unlock();
                }
                if (gate != null) {
                    awaitGate(gate);
                    continue;
                }
                try {
                    writeBatch(batch);
                } catch (IOException e) {
                    becomeUnavailable(batch, e);
                    batch.clear();
                    if (!awaitWritable()) {
                        return; // closing
                    }
                    continue;
                }
                batch.clear();
            }
        } catch (Throwable t) {
            fail(t, batch);
        }
    }

    private static void awaitGate(CountDownLatch gate) {
        boolean interrupted = false;
        while (true) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a batch and completes its futures; on an I/O error the files are cut back to before it and it throws. */
    private void writeBatch(List<PendingAppend> batch) throws IOException {
        Segment startSegment = active;
        long startBytes = flushedBytes;
        long first = nextPosition;
        try {
            writeRecords(batch);
        } catch (IOException e) {
            rollBack(startSegment, startBytes, first);
            throw e;
        }
        active.readableBytes(flushedBytes);
        recordsAppended.addAndGet(nextPosition - first);
        durableHead = nextPosition;
        if (waitingReaders.get() > 0) {
            signalReaders();
        }
        for (PendingAppend p : batch) {
            p.future.complete(p.firstPosition);
        }
    }

    private void writeRecords(List<PendingAppend> batch) throws IOException {
        long ts = Math.max(lastTimestamp, System.currentTimeMillis());
        lastTimestamp = ts;
        for (PendingAppend p : batch) {
            p.firstPosition = nextPosition;
            if (p.single != null) {
                writeRecord(p.single, ts);
            } else {
                for (byte[] payload : p.many) {
                    writeRecord(payload, ts);
                }
            }
        }
        flushWriteBuffer();
        if (fsync) {
            forceActive();
        }
    }

    /**
     * Undoes a batch that failed part-way: segments it created are deleted, the segment it started in is cut back to
     * where the batch began, and positions continue from there. None of it was durable to anyone (the head had not
     * moved), and whatever a failed write or fsync left in the page cache is cut off with it.
     */
    private void rollBack(Segment startSegment, long startBytes, long startPosition) {
        writeBuffer.clear();
        nextPosition = startPosition;
        for (Segment s : new ArrayList<>(segments.tailMap(startSegment.basePosition, false).values())) {
            segments.remove(s.basePosition);
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                log.warn("Journal {}: cannot delete segment {} of a failed write yet: {}", dir, s, e.toString());
            }
        }
        active = startSegment;
        flushedBytes = startBytes;
        startSegment.readableBytes(startBytes);
        filesNeedRepair = true;
        try {
            repairFiles();
        } catch (IOException e) {
            log.warn("Journal {}: cannot cut segment {} back to {} bytes yet ({}); will retry", dir, startSegment,
                    startBytes, e.toString());
        }
    }

    /** Reopens the active segment and cuts it to the last durable byte (after a failed batch). */
    private void repairFiles() throws IOException {
        if (!filesNeedRepair) {
            return;
        }
        closeQuietly(activeChannel);
        activeChannel = null;
        FileChannel ch = FileChannel.open(active.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            ch.truncate(flushedBytes);
            if (fsync) {
                ch.force(true);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        activeChannel = ch;
        filesNeedRepair = false;
    }

    /** A batch failed with an I/O error: fail it and everything queued (not acknowledged), refuse appends meanwhile. */
    private void becomeUnavailable(List<PendingAppend> batch, IOException e) {
        if (outage.cause() == null) {
            log.error("Journal {} cannot write ({}); appends fail and are not acknowledged until it can write again",
                    dir, e.toString());
        }
        outage.failed(e);
        failAll(batch, State.UNAVAILABLE, unavailable(e));
    }

    /**
     * Moves to {@code next} and fails the batch in hand and everything queued (none of it was appended). FAILED is
     * final; UNAVAILABLE only replaces OPEN (a close in progress stays a close).
     */
    private void failAll(List<PendingAppend> batch, State next, JournalException error) {
        List<PendingAppend> failed = new ArrayList<>(batch);
        queueLock.lock();
        try {
            if (next == State.FAILED || state == State.OPEN) {
                state = next;
            }
            failed.addAll(queue);
            queue.clear();
            queuedBytes = 0;
            queuedRecords = 0;
            queueNotFull.signalAll();
        } finally {
            queueLock.unlock();
        }
        for (PendingAppend p : failed) {
            appendsFailed.addAndGet(p.count);
            p.future.completeExceptionally(error);
            if (p.gate != null) {
                p.gate.countDown();
            }
        }
    }

    /**
     * Waits with growing pauses until the files are repaired and a probe write succeeds, then takes appends again.
     *
     * @return false if the journal is being closed
     */
    private boolean awaitWritable() {
        while (true) {
            long pauseNanos = TimeUnit.MILLISECONDS.toNanos(outage.nextPauseMillis());
            queueLock.lock();
            try {
                while (!closeCalled && pauseNanos > 0) {
                    pauseNanos = queueNotEmpty.awaitNanos(pauseNanos); // close() signals it
                }
                if (closeCalled) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                queueLock.unlock();
            }
            try {
                repairFiles();
                outage.probe();
            } catch (IOException e) {
                outage.failed(e);
                continue;
            }
            queueLock.lock();
            try {
                if (state == State.UNAVAILABLE) {
                    state = State.OPEN;
                }
            } finally {
                queueLock.unlock();
            }
            log.info("Journal {} can write again after {} s; appends are accepted from position {}", dir,
                    (System.currentTimeMillis() - outage.sinceMillis()) / 1000, nextPosition);
            outage.ended();
            return true;
        }
    }

    private void writeRecord(byte[] payload, long ts) throws IOException {
        int length = RecordFormat.RECORD_HEADER_BYTES + payload.length;
        long end = flushedBytes + writeBuffer.position();
        if (end + length > config.segmentBytes() && end > RecordFormat.SEGMENT_HEADER_BYTES) {
            roll();
        }
        if (length > writeBuffer.remaining()) {
            flushWriteBuffer();
        }
        if (length > writeBuffer.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(length);
            RecordFormat.frame(big, nextPosition, ts, payload, writerCrc);
            big.flip();
            SegmentRecovery.writeFully(activeChannel, big, flushedBytes);
            flushedBytes += length;
        } else {
            RecordFormat.frame(writeBuffer, nextPosition, ts, payload, writerCrc);
        }
        nextPosition++;
    }

    private void flushWriteBuffer() throws IOException {
        writeBuffer.flip();
        int n = writeBuffer.remaining();
        SegmentRecovery.writeFully(activeChannel, writeBuffer, flushedBytes);
        flushedBytes += n;
        writeBuffer.clear();
    }

    private void forceActive() throws IOException {
        long t0 = System.nanoTime();
        activeChannel.force(false);
        long nanos = System.nanoTime() - t0;
        fsyncCount++; // single writer thread: plain increments of volatiles are safe
        fsyncNanosTotal += nanos;
        if (nanos > fsyncNanosMax) {
            fsyncNanosMax = nanos;
        }
    }

    /** Seals the active segment (forced, so no later segment can survive a crash that it does not) and starts the next. */
    private void roll() throws IOException {
        flushWriteBuffer();
        if (fsync) {
            forceActive();
        }
        active.readableBytes(flushedBytes);
        activeChannel.close();
        createSegment(nextPosition);
        retention.execute(this::runRetentionQuietly);
    }

    private void createSegment(long base) throws IOException {
        Path path = dir.resolve(RecordFormat.segmentFileName(base));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            SegmentRecovery.writeFully(ch, RecordFormat.segmentHeader(base), 0);
            if (fsync) {
                ch.force(true);
                ConsumerOffsets.forceDirectory(dir); // the file itself must survive power loss
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path); // a half-made segment (disk full): the retry creates it afresh
            throw e;
        }
        Segment s = new Segment(base, path, RecordFormat.SEGMENT_HEADER_BYTES);
        segments.put(base, s);
        active = s;
        activeChannel = ch;
        flushedBytes = RecordFormat.SEGMENT_HEADER_BYTES;
    }

    private void fail(Throwable t, List<PendingAppend> batch) {
        log.error("Journal {} failed; every further append fails until it is reopened", dir, t);
        failure = t;
        failAll(batch, State.FAILED, new JournalException("journal write failed; record not acknowledged", t));
        signalReaders();
    }

    private void signalReaders() {
        headLock.lock();
        try {
            headAdvanced.signalAll();
        } finally {
            headLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- recovery

    private long recoverSegments() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path f : files) {
                long base = RecordFormat.basePositionOf(f.getFileName().toString());
                if (base >= 0) {
                    found.put(base, f);
                }
            }
        }
        if (found.isEmpty()) {
            createSegment(0);
            nextPosition = 0;
            return 0;
        }
        for (Map.Entry<Long, Path> e : found.entrySet()) {
            segments.put(e.getKey(), new Segment(e.getKey(), e.getValue(), Files.size(e.getValue())));
        }
        Segment last = segments.lastEntry().getValue();
        FileChannel ch = FileChannel.open(last.path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            SegmentRecovery.Result r = SegmentRecovery.recoverTail(ch, last, config.maxRecordBytes());
            last.readableBytes(r.validBytes());
            corruptRecordsSkipped.addAndGet(r.recordsSkipped());
            active = last;
            activeChannel = ch;
            flushedBytes = r.validBytes();
            nextPosition = r.nextPosition();
            lastTimestamp = r.lastTimestamp();
            return r.bytesCut();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void loadConsumers() throws IOException {
        long oldest = oldestPosition();
        for (Map.Entry<String, Long> e : offsets.loadAll().entrySet()) {
            long next = e.getValue();
            if (next > nextPosition) {
                // Only possible if records were lost (fsync NEVER and power loss, or a cut torn tail).
                log.warn("Consumer '{}' had committed up to {} but the journal ends at {}; it resumes at the head",
                        e.getKey(), next - 1, nextPosition);
                next = nextPosition;
            } else if (next < oldest) {
                log.warn("Consumer '{}' is behind the oldest retained record ({} < {})", e.getKey(), next, oldest);
            }
            consumers.put(e.getKey(), new ConsumerState(e.getKey(), next));
        }
    }

    // ---------------------------------------------------------------------------------------------- positions

    /** The position the next record will get; every record below it is durable and readable. */
    public long headPosition() {
        return durableHead;
    }

    /** The position of the oldest retained record (equals {@link #headPosition()} if the journal is empty). */
    public long oldestPosition() {
        return segments.firstKey();
    }

    // ---------------------------------------------------------------------------------------------- consumers

    /**
     * Opens the reader of a consumer, registering the consumer if it is new (it then starts at
     * {@link JournalConfig#newConsumerStart()} and that start is persisted at once, so retention keeps its records).
     * A registered consumer holds back retention until it commits past a segment (except for the hard cap),
     * even while no reader is open: remove consumers that are gone with {@link #removeConsumer}.
     *
     * @param consumerName 1-100 of {@code [A-Za-z0-9._-]}
     * @throws IllegalStateException if a reader for this consumer is already open
     * @throws UncheckedIOException  if the new consumer's offset cannot be persisted
     */
    public JournalReader reader(String consumerName) {
        ConsumerOffsets.checkName(consumerName);
        synchronized (consumersLock) {
            ensureOpen();
            ConsumerState c = consumers.get(consumerName);
            if (c == null) {
                long start = config.newConsumerStart() == ConsumerStart.OLDEST ? oldestPosition() : durableHead;
                try {
                    offsets.store(consumerName, start);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot register consumer " + consumerName, e);
                }
                c = new ConsumerState(consumerName, start);
                consumers.put(consumerName, c);
                log.info("Journal consumer '{}' registered at position {}", consumerName, start);
            }
            if (c.readerOpen) {
                throw new IllegalStateException("a reader for consumer '" + consumerName + "' is already open");
            }
            c.readerOpen = true;
            return new JournalReader(this, c, Math.max(c.next, oldestPosition()));
        }
    }

    /** Unregisters a consumer and deletes its offset, so it no longer holds back retention. */
    public void removeConsumer(String consumerName) throws IOException {
        synchronized (consumersLock) {
            ConsumerState c = consumers.get(consumerName);
            if (c == null) {
                return;
            }
            if (c.readerOpen) {
                throw new IllegalStateException("consumer '" + consumerName + "' has an open reader");
            }
            offsets.delete(consumerName);
            consumers.remove(consumerName);
            log.info("Journal consumer '{}' removed", consumerName);
        }
    }

    void commit(ConsumerState c, long position) throws IOException {
        long next = position + 1;
        synchronized (consumersLock) {
            ensureOpen();
            long head = durableHead;
            if (position < -1 || next > head) {
                throw new IllegalArgumentException("cannot commit position " + position + ": head is " + head);
            }
            if (next == c.next) {
                return;
            }
            offsets.store(c.name, next);
            c.next = next;
        }
    }

    void checkSeek(long position) {
        synchronized (consumersLock) {
            long oldest = oldestPosition();
            long head = durableHead;
            if (position < oldest || position > head) {
                throw new IllegalArgumentException(
                        "cannot seek to " + position + ": retained positions are " + oldest + ".." + head);
            }
        }
    }

    void readerClosed(ConsumerState c) {
        synchronized (consumersLock) {
            c.readerOpen = false;
        }
    }

    long lag(ConsumerState c) {
        return Math.max(0, durableHead - Math.max(c.next, oldestPosition()));
    }

    void countCorruptSkipped(long records) {
        corruptRecordsSkipped.addAndGet(records);
    }

    int maxRecordBytes() {
        return config.maxRecordBytes();
    }

    boolean isClosed() {
        State s = state;
        return s == State.CLOSING || s == State.CLOSED;
    }

    void ensureOpen() {
        if (isClosed()) {
            throw new JournalClosedException("journal " + dir + " is closed");
        }
    }

    /** Readers may drain what is durable after a write failure, then they must stop: nothing more will come. */
    void ensureNotFailed() {
        Throwable f = failure;
        if (f != null) {
            throw new JournalException("journal " + dir + " failed at head " + durableHead + "; reopen it", f);
        }
    }

    /** Waits until the durable head passes {@code position}, the timeout elapses or the journal closes. */
    void awaitHeadBeyond(long position, long nanos) throws InterruptedException {
        waitingReaders.incrementAndGet(); // before re-checking the head: the writer reads this after moving it
        headLock.lock();
        try {
            while (durableHead <= position && !isClosed() && state != State.FAILED && nanos > 0) {
                nanos = headAdvanced.awaitNanos(nanos);
            }
        } finally {
            headLock.unlock();
            waitingReaders.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------------- retention

    /**
     * Applies retention now (it also runs every {@link JournalConfig#retentionInterval()} and after each segment
     * roll). Only whole sealed segments are deleted, oldest first, and only those every registered consumer has
     * committed past — except over {@link JournalConfig#maxBytesHard()}, where the oldest go anyway.
     *
     * @return the number of segments deleted
     */
    public int runRetention() throws IOException {
        synchronized (consumersLock) {
            if (isClosed()) {
                return 0;
            }
            List<Segment> all = new ArrayList<>(segments.values());
            long total = 0;
            for (Segment s : all) {
                total += s.readableBytes();
            }
            long minNext = Long.MAX_VALUE;
            String slowest = null;
            for (ConsumerState c : consumers.values()) {
                if (c.next < minNext) {
                    minNext = c.next;
                    slowest = c.name;
                }
            }
            long now = System.currentTimeMillis();
            int deleted = 0;
            for (int i = 0; i < all.size() - 1; i++) { // the last segment is the active one
                Segment s = all.get(i);
                long end = all.get(i + 1).basePosition;
                if (end > durableHead) {
                    break; // rolled in a batch not yet durable (it may still be undone): not sealed for anyone yet
                }
                boolean overHard = config.maxBytesHard() > 0 && total > config.maxBytesHard();
                boolean overSize = config.retentionMaxBytes() > 0 && total > config.retentionMaxBytes();
                boolean expired = config.retentionMaxAge() != null
                        && Files.getLastModifiedTime(s.path).toMillis() < now - config.retentionMaxAge().toMillis();
                if (!overHard && !overSize && !expired) {
                    break;
                }
                if (minNext < end) {
                    if (!overHard) {
                        String held = s + "/" + slowest;
                        if (!held.equals(lastHeldWarning)) { // once per segment and consumer, not every run
                            lastHeldWarning = held;
                            log.warn("Journal retention holds segment {} (and newer): consumer '{}' has not "
                                    + "committed past position {}", s, slowest, end - 1);
                        }
                        break;
                    }
                    long dropped = end - Math.max(s.basePosition, minNext);
                    recordsDroppedUnconsumed.addAndGet(dropped);
                    log.error("JOURNAL HARD CAP: {} bytes > maxBytesHard {}; deleting segment {} with {} record(s) "
                                    + "that consumer '{}' (and maybe others) has not consumed — DATA NOT PROCESSED",
                            total, config.maxBytesHard(), s, dropped, slowest);
                }
                segments.remove(s.basePosition);
                Files.deleteIfExists(s.path);
                total -= s.readableBytes();
                deleted++;
                log.info("Journal retention deleted segment {} (positions {}..{})", s, s.basePosition, end - 1);
            }
            if (deleted > 0 && fsync) {
                ConsumerOffsets.forceDirectory(dir);
            }
            return deleted;
        }
    }

    private void runRetentionQuietly() {
        try {
            runRetention();
        } catch (Throwable t) {
            log.error("Journal retention failed", t);
        }
    }

    // ---------------------------------------------------------------------------------------------- metrics

    /** A snapshot of counters and sizes for the ops view. */
    public JournalMetrics metrics() {
        long bytes = 0;
        int count = 0;
        for (Segment s : segments.values()) {
            bytes += s.readableBytes();
            count++;
        }
        int depth;
        long qBytes;
        queueLock.lock();
        try {
            depth = queuedRecords;
            qBytes = queuedBytes;
        } finally {
            queueLock.unlock();
        }
        Map<String, JournalMetrics.ConsumerMetrics> cm = new TreeMap<>();
        for (ConsumerState c : consumers.values()) {
            cm.put(c.name, new JournalMetrics.ConsumerMetrics(c.next - 1, lag(c)));
        }
        long n = fsyncCount;
        return new JournalMetrics(recordsAppended.get(), appendsRejected.get(), appendsFailed.get(), durableHead,
                oldestPosition(),
                bytes, count, depth, qBytes, n, n == 0 ? 0 : fsyncNanosTotal / n, fsyncNanosMax,
                tornBytesCutAtOpen, corruptRecordsSkipped.get(), recordsDroppedUnconsumed.get(), Map.copyOf(cm));
    }

    /** Whether appends are accepted right now, and if not why and since when (for health checks). */
    public JournalStatus status() {
        State s = state;
        IOException writeError = outage.cause();
        return switch (s) {
            case OPEN -> new JournalStatus(true, null, 0, outage.count());
            case UNAVAILABLE -> new JournalStatus(false, "cannot write: "
                    + (writeError == null ? "unknown error" : writeError.getMessage()), outage.sinceMillis(), outage.count());
            case FAILED -> new JournalStatus(false, "failed, must be reopened: " + failure, 0, outage.count());
            case CLOSING, CLOSED -> new JournalStatus(false, "closed", 0, outage.count());
        };
    }

    // ---------------------------------------------------------------------------------------------- close

    /**
     * Writes and forces everything accepted so far, then closes. Appends after this fail with
     * {@link JournalClosedException}; open readers' {@code poll} and {@code commit} fail the same way.
     */
    @Override
    public void close() throws IOException {
        queueLock.lock();
        try {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            if (state == State.OPEN || state == State.UNAVAILABLE) {
                state = State.CLOSING;
            }
            queueNotEmpty.signalAll();
            queueNotFull.signalAll();
        } finally {
            queueLock.unlock();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        retention.shutdownNow();
        synchronized (consumersLock) { // let a running retention pass finish before the files go away
            try {
                if (failure == null) {
                    repairFiles();
                    activeChannel.force(true);
                }
            } finally {
                closeQuietly(activeChannel);
                state = failure == null ? State.CLOSED : State.FAILED;
                dirLock.release();
                lockChannel.close();
            }
        }
        signalReaders();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        log.info("Journal {} closed at head {}", dir, durableHead);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing after a failure; the first error is what matters
            }
        }
    }

    /** A consumer's persisted next position ({@code next - 1} is its committed position). */
    static final class ConsumerState {
        final String name;
        volatile long next;
        boolean readerOpen; // guarded by consumersLock

        ConsumerState(String name, long next) {
            this.name = name;
            this.next = next;
        }
    }

    private static final class PendingAppend {
        final byte[] single;
        final List<byte[]> many;
        final long bytes;
        final int count;
        final CountDownLatch gate;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        long firstPosition;

        PendingAppend(byte[] single, List<byte[]> many, long bytes, int count, CountDownLatch gate) {
            this.single = single;
            this.many = many;
            this.bytes = bytes;
            this.count = count;
            this.gate = gate;
        }
    }
}
