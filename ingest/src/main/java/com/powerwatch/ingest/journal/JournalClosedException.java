package com.powerwatch.ingest.journal;

/** The journal (or the reader) was closed; nothing was appended or read. */
public class JournalClosedException extends JournalException {
    public JournalClosedException(String message) {
        super(message);
    }
}
