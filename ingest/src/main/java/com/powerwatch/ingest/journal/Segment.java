package com.powerwatch.ingest.journal;

import java.nio.file.Path;

/** One segment file: records from {@link #basePosition} up to the next segment's base. */
final class Segment {
    final long basePosition;
    final Path path;
    /**
     * End of the bytes readers may read: complete records only. Written by the writer thread before it
     * advances the journal's durable head, so a reader that saw the head also sees this size.
     */
    private volatile long readableBytes;

    Segment(long basePosition, Path path, long readableBytes) {
        this.basePosition = basePosition;
        this.path = path;
        this.readableBytes = readableBytes;
    }

    long readableBytes() {
        return readableBytes;
    }

    void readableBytes(long bytes) {
        readableBytes = bytes;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
