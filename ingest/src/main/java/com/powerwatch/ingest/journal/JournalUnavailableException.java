package com.powerwatch.ingest.journal;

/**
 * The journal cannot write at the moment (disk full, I/O error): the record was NOT appended, so it must not be
 * acknowledged. The journal keeps trying by itself and takes appends again once it can write.
 */
public class JournalUnavailableException extends JournalException {
    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
