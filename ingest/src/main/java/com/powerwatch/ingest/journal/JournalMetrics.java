package com.powerwatch.ingest.journal;

import java.util.Map;

/**
 * A snapshot of the journal's state for the ops view (values are read without a global lock, so they are
 * individually accurate but not one atomic picture).
 *
 * @param recordsAppended          records made durable since this journal was opened
 * @param appendsRejected          appends failed with {@link JournalOverloadedException} since open
 * @param appendsFailed            records not appended because the journal could not write (disk full), since open
 * @param headPosition             position the next record will get; records below it are durable
 * @param oldestPosition           position of the oldest retained record
 * @param bytesOnDisk              size of all segment files
 * @param segmentCount             number of segment files
 * @param appendQueueDepth         records waiting for the writer thread
 * @param appendQueueBytes         bytes waiting for the writer thread (payload + 64 per record)
 * @param fsyncCount               data fsyncs since open (group commits and segment rolls)
 * @param fsyncMeanNanos           mean duration of those fsyncs
 * @param fsyncMaxNanos            longest of those fsyncs
 * @param tornBytesCutAtOpen       bytes cut from the tail of the last segment when this journal was opened
 * @param corruptRecordsSkipped    records lost to corruption in the middle of the log (found at open or by a
 *                                 reader; a bad record read by two consumers counts twice)
 * @param recordsDroppedUnconsumed records deleted by the hard cap before every consumer had committed them
 * @param consumers                registered consumers by name
 */
public record JournalMetrics(
        long recordsAppended,
        long appendsRejected,
        long appendsFailed,
        long headPosition,
        long oldestPosition,
        long bytesOnDisk,
        int segmentCount,
        int appendQueueDepth,
        long appendQueueBytes,
        long fsyncCount,
        long fsyncMeanNanos,
        long fsyncMaxNanos,
        long tornBytesCutAtOpen,
        long corruptRecordsSkipped,
        long recordsDroppedUnconsumed,
        Map<String, ConsumerMetrics> consumers) {

    /**
     * @param committedPosition last committed position ({@code -1} or below the oldest position if nothing yet)
     * @param lag               retained records after the committed position: {@code head - max(committed + 1, oldest)}
     */
    public record ConsumerMetrics(long committedPosition, long lag) {
    }
}
