package com.powerwatch.ingest.journal;

/** Where a consumer that has never committed starts reading. */
public enum ConsumerStart {
    /** At the oldest retained record: a new consumer replays everything still on disk. */
    OLDEST,
    /** At the head: a new consumer sees only records appended after it registered. */
    HEAD
}
