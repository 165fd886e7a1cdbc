package com.powerwatch.ingest.journal;

/**
 * One record read back from the journal.
 *
 * @param position        the record's journal position (a gap-free sequence number, starting at 0)
 * @param timestampMillis when the journal wrote the record (epoch millis, non-decreasing along positions)
 * @param payload         the bytes given to {@link Journal#append(byte[])}; a fresh array owned by the caller
 */
public record JournalEntry(long position, long timestampMillis, byte[] payload) {
}
