package com.powerwatch.platform.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the JVM's live threads grouped by kind — the thread name without its numbers ("gateway-io-#",
 * "journal-writer-journal", "store-writer", "telemetry", "alarm-engine", GC threads) — so the ingestion benchmark can
 * say which part of the platform uses the cores. Threads that ended are not counted.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    static Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return out;
        }
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long nanos = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] == null || nanos <= 0) {
                continue;
            }
            String kind = infos[i].getThreadName().replaceAll("[0-9]+", "#");
            out.merge(kind, nanos / 1_000_000, Long::sum);
        }
        return out;
    }
}
