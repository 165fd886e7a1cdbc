package com.powerwatch.ingest.journal;

/** A journal operation could not be carried out; subclasses say why. */
public class JournalException extends RuntimeException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
