package com.powerwatch.ingest.journal;

/** When the journal forces appended records to the storage device. */
public enum FsyncPolicy {
    /**
     * Group commit: the writer thread writes a batch, calls {@code FileChannel.force(false)} once and only
     * then completes the batch's futures. An acknowledged record survives {@code kill -9} and power loss.
     */
    ALWAYS,
    /**
     * Never force (except on {@link Journal#close()}): records survive {@code kill -9} (they are in the page
     * cache) but not power loss. For tests and benchmarks only.
     */
    NEVER
}
