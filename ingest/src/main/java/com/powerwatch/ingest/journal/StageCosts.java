package com.powerwatch.ingest.journal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a journal consumer's time goes, stage by stage (issue 15's cost breakdown): for each named stage the wall
 * time and the consumer thread's own CPU time. Wall minus CPU is, for a JDBC consumer, mostly time spent waiting
 * for PostgreSQL. Only the consumer's thread calls {@link #begin} and {@link #lap}; {@link #snapshot} may be called
 * from anywhere.
 */
public final class StageCosts {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();

    /** Totals of one stage: how often it ran, wall and CPU microseconds. */
    public record Stage(long calls, long wallMicros, long cpuMicros) {
    }

    /** Totals per stage, in the order the stages first ran, and the journal records the consumer processed. */
    public record Snapshot(long records, Map<String, Stage> stages) {
    }

    private final Map<String, long[]> stages = new LinkedHashMap<>();
    private long records;
    private long markWall;
    private long markCpu;

    /** Starts timing: the next {@link #lap} counts from here. */
    public void begin() {
        markWall = System.nanoTime();
        markCpu = CPU ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** Attributes the time since the last begin or lap to {@code stage} and starts the next lap. */
    public void lap(String stage) {
        long wall = System.nanoTime();
        long cpu = CPU ? THREADS.getCurrentThreadCpuTime() : 0;
        synchronized (stages) {
            long[] t = stages.computeIfAbsent(stage, k -> new long[3]);
            t[0]++;
            t[1] += wall - markWall;
            t[2] += cpu - markCpu;
        }
        markWall = wall;
        markCpu = cpu;
    }

    void records(int n) {
        synchronized (stages) {
            records += n;
        }
    }

    public Snapshot snapshot() {
        Map<String, Stage> out = new LinkedHashMap<>();
        synchronized (stages) {
            stages.forEach((k, t) -> out.put(k, new Stage(t[0], t[1] / 1000, t[2] / 1000)));
            return new Snapshot(records, out);
        }
    }
}
