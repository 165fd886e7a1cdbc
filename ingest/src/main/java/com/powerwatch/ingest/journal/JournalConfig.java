package com.powerwatch.ingest.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Journal}. Build with {@link #builder()}; {@link #defaults()} suits production.
 *
 * @param segmentBytes       a segment is rolled when the next record would take it past this size (default 64 MiB)
 * @param fsync              {@link FsyncPolicy#ALWAYS} (default) or {@link FsyncPolicy#NEVER} for tests/benchmarks
 * @param maxRecordBytes     largest payload accepted; also the sanity bound for a length field during recovery (default 1 MiB)
 * @param maxQueuedBytes     bound on bytes waiting for the writer thread, counted as payload + 64 per record
 *                           (default 32 MiB)
 * @param enqueueTimeout     how long {@code append} may block when the queue is full before failing the future
 *                           with {@link JournalOverloadedException}; default {@link Duration#ZERO}: never block,
 *                           which is what a Netty event loop needs
 * @param newConsumerStart   where a consumer without a committed position starts (default {@link ConsumerStart#OLDEST})
 * @param retentionMaxAge    delete sealed segments whose last write is older than this; {@code null} = no age limit
 * @param retentionMaxBytes  delete oldest sealed segments while the journal is larger than this; 0 = no size limit
 * @param maxBytesHard       hard cap: over it, the oldest sealed segments are deleted even if a consumer has not
 *                           read them (counted in {@code recordsDroppedUnconsumed}); 0 = no hard cap
 * @param retentionInterval  how often retention runs (it also runs after every segment roll)
 * @param writeRetryMaxBackoff while the journal cannot write (disk full), it tries again after 100 ms, doubling the
 *                           pause up to this (default 5 s); appends fail meanwhile
 */
public record JournalConfig(
        long segmentBytes,
        FsyncPolicy fsync,
        int maxRecordBytes,
        long maxQueuedBytes,
        Duration enqueueTimeout,
        ConsumerStart newConsumerStart,
        Duration retentionMaxAge,
        long retentionMaxBytes,
        long maxBytesHard,
        Duration retentionInterval,
        Duration writeRetryMaxBackoff) {

    public JournalConfig {
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
        Objects.requireNonNull(newConsumerStart, "newConsumerStart");
        Objects.requireNonNull(retentionInterval, "retentionInterval");
        Objects.requireNonNull(writeRetryMaxBackoff, "writeRetryMaxBackoff");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1: " + maxRecordBytes);
        }
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be >= 1024: " + segmentBytes);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be >= 1: " + maxQueuedBytes);
        }
        if (enqueueTimeout.isNegative()) {
            throw new IllegalArgumentException("enqueueTimeout must not be negative");
        }
        if (retentionMaxBytes < 0 || maxBytesHard < 0) {
            throw new IllegalArgumentException("retention sizes must be >= 0 (0 = unlimited)");
        }
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("retentionInterval must be positive");
        }
        if (writeRetryMaxBackoff.isNegative() || writeRetryMaxBackoff.isZero()) {
            throw new IllegalArgumentException("writeRetryMaxBackoff must be positive");
        }
    }

    /** Production defaults: 64 MiB segments, group commit with fsync, no retention limits. */
    public static JournalConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults documented on {@link JournalConfig}. */
    public static final class Builder {
        private long segmentBytes = 64L << 20;
        private FsyncPolicy fsync = FsyncPolicy.ALWAYS;
        private int maxRecordBytes = 1 << 20;
        private long maxQueuedBytes = 32L << 20;
        private Duration enqueueTimeout = Duration.ZERO;
        private ConsumerStart newConsumerStart = ConsumerStart.OLDEST;
        private Duration retentionMaxAge;
        private long retentionMaxBytes;
        private long maxBytesHard;
        private Duration retentionInterval = Duration.ofMinutes(1);
        private Duration writeRetryMaxBackoff = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder segmentBytes(long v) {
            segmentBytes = v;
            return this;
        }

        public Builder fsync(FsyncPolicy v) {
            fsync = v;
            return this;
        }

        public Builder maxRecordBytes(int v) {
            maxRecordBytes = v;
            return this;
        }

        public Builder maxQueuedBytes(long v) {
            maxQueuedBytes = v;
            return this;
        }

        public Builder enqueueTimeout(Duration v) {
            enqueueTimeout = v;
            return this;
        }

        public Builder newConsumerStart(ConsumerStart v) {
            newConsumerStart = v;
            return this;
        }

        public Builder retentionMaxAge(Duration v) {
            retentionMaxAge = v;
            return this;
        }

        public Builder retentionMaxBytes(long v) {
            retentionMaxBytes = v;
            return this;
        }

        public Builder maxBytesHard(long v) {
            maxBytesHard = v;
            return this;
        }

        public Builder retentionInterval(Duration v) {
            retentionInterval = v;
            return this;
        }

        public Builder writeRetryMaxBackoff(Duration v) {
            writeRetryMaxBackoff = v;
            return this;
        }

        public JournalConfig build() {
            return new JournalConfig(segmentBytes, fsync, maxRecordBytes, maxQueuedBytes, enqueueTimeout,
                    newConsumerStart, retentionMaxAge, retentionMaxBytes, maxBytesHard, retentionInterval,
                    writeRetryMaxBackoff);
        }
    }
}
