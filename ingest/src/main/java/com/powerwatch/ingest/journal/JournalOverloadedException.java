package com.powerwatch.ingest.journal;

/**
 * The append queue was over its byte bound ({@link JournalConfig#maxQueuedBytes()}) for longer than
 * {@link JournalConfig#enqueueTimeout()}: the record was NOT appended. A gateway should not acknowledge the
 * frame; the data logger re-sends it.
 */
public class JournalOverloadedException extends JournalException {
    public JournalOverloadedException(String message) {
        super(message);
    }
}
