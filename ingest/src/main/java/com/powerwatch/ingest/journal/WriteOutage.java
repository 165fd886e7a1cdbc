package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A period in which the journal cannot write (disk full, I/O error): since when and why, the growing pause between
 * attempts, and the probe that ends it. Written by the journal's writer thread only; read from any thread.
 */
final class WriteOutage {
    /** What a probe writes and forces before the journal takes appends again. */
    static final int PROBE_BYTES = 64 * 1024;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final Path probeFile;
    private final boolean fsync;
    private final long maxBackoffMillis;
    private final AtomicLong outages = new AtomicLong();
    private volatile IOException cause;
    private volatile long sinceMillis;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

    WriteOutage(Path dir, boolean fsync, Duration maxBackoff) {
        this.probeFile = dir.resolve("journal.probe");
        this.fsync = fsync;
        this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoff.toMillis());
    }

    /** A write failed: the outage starts now, or goes on with this latest cause. */
    void failed(IOException e) {
        if (cause == null) {
            sinceMillis = System.currentTimeMillis();
            backoffMillis = FIRST_BACKOFF_MILLIS;
            outages.incrementAndGet();
        }
        cause = e;
    }

    /** How long to wait before the next attempt: 100 ms, doubling up to the configured maximum. */
    long nextPauseMillis() {
        long pause = backoffMillis;
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        return pause;
    }

    /**
     * Writes {@link #PROBE_BYTES} to a scratch file in the journal directory, forces it (with fsync) and deletes it:
     * the file system takes data again. A probe that fails leaves no file behind.
     */
    void probe() throws IOException {
        try (FileChannel ch = FileChannel.open(probeFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            SegmentRecovery.writeFully(ch, ByteBuffer.allocate(PROBE_BYTES), 0);
            if (fsync) {
                ch.force(true);
            }
        } finally {
            Files.deleteIfExists(probeFile);
        }
    }

    void ended() {
        cause = null;
    }

    /** The latest cause while the journal cannot write, else null. */
    IOException cause() {
        return cause;
    }

    long sinceMillis() {
        return sinceMillis;
    }

    /** Outages since the journal was opened. */
    long count() {
        return outages.get();
    }
}
