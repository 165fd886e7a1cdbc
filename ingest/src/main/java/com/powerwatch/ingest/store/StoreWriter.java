package com.powerwatch.ingest.store;

import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.DecodedFrames;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journal consumer that stores raw frames and readings in PostgreSQL.
 *
 * <p>Each poll of the journal becomes one transaction: the batch is loaded with COPY into temporary
 * staging tables, then merged into the partitioned tables with ON CONFLICT, so a device's re-send or
 * a journal replay never creates a duplicate. The journal offset is committed only after the
 * database commit. When PostgreSQL is unreachable the writer keeps the batch, retries with backoff,
 * and the journal simply grows; when the database returns it catches up by itself.
 */
public final class StoreWriter extends JdbcJournalConsumer {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final Set<LocalDate> readingPartitions = new HashSet<>();
    private final Set<LocalDate> rawPartitions = new HashSet<>();

    private final AtomicLong framesStored = new AtomicLong();
    private final AtomicLong valuesStored = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong corruptRecords = new AtomicLong();
    /** Batches that met raw_frame rows already stored (a replay after a crash) and took the ON CONFLICT path. */
    private final AtomicLong replayedBatches = new AtomicLong();
    /** Batches whose readings met stored keys and were merged through staging (re-sends, corrections). */
    private final AtomicLong mergedBatches = new AtomicLong();
    private volatile long lastReceivedAtStored;


    private final DecodedFrames decoded;

    public StoreWriter(DataSource dataSource, JournalReader reader, int batchSize, Duration maxBackoff) {
        super("store-writer", dataSource, reader, batchSize, maxBackoff);
        this.decoded = DecodedFrames.of(reader.journal());
    }

    public StoreWriter start() {
        startThread();
        return this;
    }

    /**
     * Counters for the operations view: frames and the values in them taken from the journal and
     * committed (a re-sent value counts again), and factor rows inserted or changed in {@code reading}.
     */
    public record Stats(State state, String lastError, long framesStored, long valuesStored, long rowsWritten,
                        long batches, long failures, long corruptRecords, long committedPosition, long lag,
                        long lastReceivedAtStoredMillis) {
    }

    /** Batches that met stored raw_frame rows (replays after a crash), since start. */
    public long replayedBatches() {
        return replayedBatches.get();
    }

    /** Batches whose readings met stored keys and went through the merging upsert. */
    public long mergedBatches() {
        return mergedBatches.get();
    }

    public Stats stats() {
        return new Stats(state(), lastError(), framesStored.get(), valuesStored.get(), rowsWritten.get(),
                batches(), failures(), corruptRecords.get(), committedPosition(), lag(), lastReceivedAtStored);
    }

    private record ReadingKey(String mn, String cn, LocalDateTime dataTime, String factor) {
    }

    /** The fields of one factor at one DataTime, as the newest frame in the batch left them. */
    private static final class FactorRow {
        final OffsetDateTime dataTime;
        final Map<String, String> fields = new java.util.LinkedHashMap<>(12);
        OffsetDateTime receivedAt;
        long position;

        FactorRow(OffsetDateTime dataTime) {
            this.dataTime = dataTime;
        }

        void put(String field, String value, OffsetDateTime at, long pos) {
            fields.put(field, value);
            receivedAt = at;
            position = Math.max(position, pos);
        }
    }

    @Override
    protected void process(List<JournalEntry> entries) throws Exception {
        StringBuilder raw = new StringBuilder(entries.size() * 900);
        Map<ReadingKey, FactorRow> latest = new HashMap<>(entries.size() * 8);
        Set<LocalDate> rawDays = new HashSet<>();
        Set<LocalDate> readingDays = new HashSet<>();
        long offered = 0;
        long maxReceived = 0;
        for (JournalEntry e : entries) {
            DecodedFrames.Decoded d;
            try {
                d = decoded.get(e);
            } catch (IllegalArgumentException bad) {
                corruptRecords.incrementAndGet();
                continue;
            }
            ReceivedFrame f = d.frame();
            OffsetDateTime receivedAt = Instant.ofEpochMilli(f.receivedAtMillis()).atOffset(CHINA);
            maxReceived = Math.max(maxReceived, f.receivedAtMillis());
            rawDays.add(receivedAt.toLocalDate());
            Copy.row(raw, e.position(), receivedAt, f.channel(), f.peer(), f.mn(), f.cn(), f.qn(),
                    f.valid() ? "VALID" : f.verdict(), f.reason(), Copy.bytea(f.raw()));
            if (!f.valid()) {
                continue;
            }
            Packet p = d.packet();
            LocalDateTime dataTime = p.cp().dataTimeValue();
            if (dataTime == null || p.cp().values().isEmpty()) {
                continue;
            }
            OffsetDateTime dt = dataTime.atOffset(CHINA);
            readingDays.add(dataTime.toLocalDate());
            for (Map.Entry<String, String> v : p.cp().values().entrySet()) {
                String key = v.getKey();
                int dash = key.lastIndexOf('-');
                // a later frame wins inside a batch too (a re-send, or a correction in the same batch)
                latest.computeIfAbsent(new ReadingKey(p.mn(), p.cn(), dataTime, key.substring(0, dash)),
                        k -> new FactorRow(dt)).put(key.substring(dash + 1), v.getValue(), receivedAt, e.position());
                offered++;
            }
        }
        costs.lap("decode + raw rows + merge values");
        StringBuilder readings = new StringBuilder(latest.size() * 160);
        for (Map.Entry<ReadingKey, FactorRow> r : latest.entrySet()) {
            ReadingKey k = r.getKey();
            FactorRow row = r.getValue();
            Copy.row(readings, k.mn(), k.cn(), row.dataTime, k.factor(), Copy.json(row.fields), row.receivedAt, row.position);
        }
        costs.lap("reading rows");
        Connection c = connection();
        ensureDailyPartitions(c, "raw_frame", rawDays, rawPartitions);
        ensureDailyPartitions(c, "reading", readingDays, readingPartitions);
        c.setAutoCommit(false);
        costs.lap("partitions");
        try {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            // raw_frame's key is the journal position: only a replay (a crash between the database commit and the
            // offset commit) can meet rows already stored, and then only at or after the batch's first position. So
            // the usual batch is copied straight into raw_frame, and only a replay goes through staging and ON
            // CONFLICT (this transaction is the table's only writer of new positions, so the check cannot go stale)
            boolean replay;
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM raw_frame WHERE journal_pos >= ?)")) {
                ps.setLong(1, entries.get(0).position());
                try (ResultSet rs = ps.executeQuery()) {
                    replay = rs.next() && rs.getBoolean(1);
                }
            }
            copy.copyIn(replay ? "COPY raw_frame_stage FROM STDIN" : "COPY raw_frame FROM STDIN", new StringReader(raw.toString()));
            costs.lap(replay ? "COPY raw_frame_stage (replay)" : "COPY raw_frame");
            long written;
            try (Statement s = c.createStatement()) {
                if (replay) {
                    s.executeUpdate("INSERT INTO raw_frame SELECT * FROM raw_frame_stage ON CONFLICT DO NOTHING");
                    replayedBatches.incrementAndGet();
                    costs.lap("INSERT raw_frame (replay)");
                }
                // readings are new unless the batch is a replay or a logger sent again what is stored (a re-send
                // after a lost ack, a history re-upload, a changed field): so they are copied straight in, and
                // only when that meets a stored key does the batch go through staging and the merging upsert —
                // COPY's batched inserts cost a fraction of ON CONFLICT's speculative insertion per row
                Long direct = replay ? null : copyReadingsDirect(c, copy, readings);
                if (direct != null) {
                    written = direct;
                    costs.lap("COPY reading");
                } else {
                    copy.copyIn("COPY reading_stage FROM STDIN", new StringReader(readings.toString()));
                    costs.lap("COPY reading_stage");
                    // keys are unique within the batch (merged above); fields already stored with the same value
                    // change nothing; a new or different field is merged in and the row as it was is kept by a trigger
                    written = s.executeUpdate("""
                            INSERT INTO reading SELECT * FROM reading_stage
                            ON CONFLICT (mn, cn, data_time, factor) DO UPDATE
                              SET fields = reading.fields || excluded.fields,
                                  received_at = excluded.received_at, journal_pos = excluded.journal_pos
                              WHERE NOT reading.fields @> excluded.fields
                                AND reading.journal_pos < excluded.journal_pos""");
                    costs.lap("INSERT reading (upsert)");
                }
            }
            c.commit();
            costs.lap("commit");
            framesStored.addAndGet(entries.size());
            valuesStored.addAndGet(offered);
            rowsWritten.addAndGet(written);
            if (maxReceived > 0) {
                lastReceivedAtStored = maxReceived;
            }
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; it is replaced on the next attempt
            }
            throw e;
        }
    }

    /**
     * COPYs the batch's readings straight into {@code reading} under a savepoint; null (and nothing of it kept) when
     * a key is already stored, so that the caller merges them instead.
     */
    private Long copyReadingsDirect(Connection c, CopyManager copy, StringBuilder readings) throws SQLException {
        java.sql.Savepoint before = c.setSavepoint();
        try {
            long n = copy.copyIn("COPY reading FROM STDIN", new StringReader(readings.toString()));
            c.releaseSavepoint(before);
            return n;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            mergedBatches.incrementAndGet();
            return null;
        } catch (java.io.IOException e) {
            throw new SQLException("COPY reading: " + e.getMessage(), e);
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    protected void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // a pooled connection keeps its temp tables: recreate them so they always match the current
            // tables (a stale staging table from before a migration would make every batch fail)
            s.execute("DROP TABLE IF EXISTS pg_temp.raw_frame_stage, pg_temp.reading_stage");
            s.execute("CREATE TEMP TABLE raw_frame_stage (LIKE raw_frame) ON COMMIT DELETE ROWS");
            s.execute("CREATE TEMP TABLE reading_stage (LIKE reading) ON COMMIT DELETE ROWS");
        }
        readingPartitions.clear();
        rawPartitions.clear();
    }
}
