package com.powerwatch.simulator;

import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A logger's bounded store of real-time records, for minute aggregates and for history requests. */
final class History {

    record Entry(LocalDateTime time, double[][] readings) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;

    History(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 64));
    }

    void add(LocalDateTime time, double[][] readings) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(time, readings));
    }

    /**
     * Records grouped into periods of {@code periodSeconds} (aligned on midnight) whose start lies in
     * [begin, end], oldest first; each period knows the record before it (for energy differences).
     */
    List<Period> periods(LocalDateTime begin, LocalDateTime end, long periodSeconds) {
        List<Period> out = new ArrayList<>();
        Entry previous = null;
        Period current = null;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            LocalDateTime start = periodStart(e.time, periodSeconds);
            if (!start.isBefore(begin) && !start.isAfter(end)) {
                if (current == null || !current.start.equals(start)) {
                    current = new Period(start, previous == null ? null : previous.readings, new ArrayList<>());
                    out.add(current);
                }
                current.records.add(e.readings);
            }
            previous = e;
        }
        return out;
    }

    record Period(LocalDateTime start, double[][] before, List<double[][]> records) {
    }

    static LocalDateTime periodStart(LocalDateTime t, long periodSeconds) {
        long second = t.toLocalTime().toSecondOfDay();
        long p = Math.min(periodSeconds, 86_400);
        return t.toLocalDate().atStartOfDay().plusSeconds(second / p * p);
    }
}
