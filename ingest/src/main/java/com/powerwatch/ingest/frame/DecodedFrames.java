package com.powerwatch.ingest.frame;

import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalEntry;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The recent records of one journal, decoded once and shared by its consumers (issue 15): the store writer, the
 * telemetry consumer and the alarm engine each used to decode every record and parse its packet again. A record at
 * a journal position never changes, so whoever decodes it first — the gateway's sink as the append becomes durable, or
 * the first consumer to read it — leaves it here for the others; the packet is parsed on first use. A ring of
 * {@value #SLOTS} slots indexed by position: consumers that keep up read within a few batches of each other and hit;
 * one far behind decodes for itself, as before. Thread-safe.
 */
public final class DecodedFrames {

    static final int SLOTS = 16_384;
    private static final Map<Journal, DecodedFrames> BY_JOURNAL = new WeakHashMap<>();

    /** One decoded record; its packet (valid frames only) parsed once, on first use. */
    public static final class Decoded {
        private final long position;
        private final ReceivedFrame frame;
        private volatile Packet packet;

        Decoded(long position, ReceivedFrame frame) {
            this.position = position;
            this.frame = frame;
        }

        public ReceivedFrame frame() {
            return frame;
        }

        /** The packet of a valid frame (see {@link ReceivedFrame#packet()}); parsed by the first caller only. */
        public Packet packet() {
            Packet p = packet;
            if (p == null) {
                p = frame.packet(); // two threads may both parse: harmless, the results are equal
                packet = p;
            }
            return p;
        }
    }

    private final AtomicReferenceArray<Decoded> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** The shared decoded records of {@code journal}. */
    public static DecodedFrames of(Journal journal) {
        synchronized (BY_JOURNAL) {
            return BY_JOURNAL.computeIfAbsent(journal, j -> new DecodedFrames());
        }
    }

    /** Remembers a record that is durable at {@code position} (only durable records: a failed append's position is reused). */
    public void put(long position, ReceivedFrame frame) {
        slots.set(slot(position), new Decoded(position, frame));
    }

    /**
     * The record decoded, from the ring or decoded now (and left for the others).
     *
     * @throws IllegalArgumentException for a corrupt record, as {@link ReceivedFrame#decode}
     */
    public Decoded get(JournalEntry entry) {
        int i = slot(entry.position());
        Decoded d = slots.get(i);
        if (d != null && d.position == entry.position()) {
            hits.incrementAndGet();
            return d;
        }
        misses.incrementAndGet();
        d = new Decoded(entry.position(), ReceivedFrame.decode(entry.payload()));
        slots.set(i, d);
        return d;
    }

    /** Records found decoded / decoded by the caller, since start. */
    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    private static int slot(long position) {
        return (int) (position & (SLOTS - 1));
    }
}
