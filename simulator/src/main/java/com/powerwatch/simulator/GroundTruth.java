package com.powerwatch.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where finished data frames go: an optional tab-separated file and an optional in-memory list.
 *
 * <p>File format, one line per valid data frame once its outcome is known:
 * {@code MN \t CN \t DataTime \t QN \t number-of-values \t PNO/PNUM (or -) \t acked yes|no \t outcome \t attempts
 * \t code-field=value;code-field=value...}. Lines starting with {@code #} are comments. Read it back with
 * {@link #read(Path)}.
 */
public final class GroundTruth implements AutoCloseable {

    private static final String HEADER = "# mn\tcn\tdataTime\tqn\tvalues\tpno/pnum\tacked\toutcome\tattempts\titems";

    private final BufferedWriter writer;
    private final List<FrameRecord> memory;

    GroundTruth(Path file, boolean keepInMemory) {
        try {
            this.writer = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            if (writer != null) {
                writer.write(HEADER);
                writer.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth to " + file, e);
        }
        this.memory = keepInMemory ? new ArrayList<>() : null;
    }

    boolean enabled() {
        return writer != null || memory != null;
    }

    synchronized void record(FrameRecord r) {
        if (memory != null) {
            memory.add(r);
        }
        if (writer != null) {
            try {
                writer.write(line(r));
                writer.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    synchronized List<FrameRecord> snapshot() {
        return memory == null ? List.of() : List.copyOf(memory);
    }

    synchronized void flush() {
        if (writer != null) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String line(FrameRecord r) {
        StringBuilder sb = new StringBuilder(64 + r.values().size() * 24);
        sb.append(r.mn()).append('\t').append(r.cn()).append('\t').append(r.dataTime()).append('\t').append(r.qn())
                .append('\t').append(r.values().size()).append('\t')
                .append(r.pno() == null ? "-" : r.pno() + "/" + r.pnum()).append('\t')
                .append(r.acked() ? "yes" : "no").append('\t').append(r.outcome()).append('\t').append(r.attempts())
                .append('\t');
        boolean first = true;
        for (Map.Entry<String, String> e : r.values().entrySet()) {
            sb.append(first ? "" : ";").append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        return sb.toString();
    }

    /** Reads a ground-truth file written by the simulator (e.g. by an integration test comparing with the database). */
    public static List<FrameRecord> read(Path file) throws IOException {
        List<FrameRecord> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            Integer pno = null;
            Integer pnum = null;
            if (!c[5].equals("-")) {
                int slash = c[5].indexOf('/');
                pno = Integer.valueOf(c[5].substring(0, slash));
                pnum = Integer.valueOf(c[5].substring(slash + 1));
            }
            Map<String, String> values = new LinkedHashMap<>();
            if (!c[9].isEmpty()) {
                for (String item : c[9].split(";")) {
                    int eq = item.indexOf('=');
                    values.put(item.substring(0, eq), item.substring(eq + 1));
                }
            }
            out.add(new FrameRecord(c[0], c[1], c[2], c[3], pno, pnum, FrameRecord.Outcome.valueOf(c[7]),
                    Integer.parseInt(c[8]), values));
        }
        return out;
    }
}
