package com.powerwatch.platform.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.ingest.frame.DecodedFrames;
import com.powerwatch.ingest.store.JdbcJournalConsumer;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journal consumer that turns data frames into canonical point samples and keeps the pre-aggregates and
 * the real-time state up to date.
 *
 * <p>Per journal poll, one transaction: frames of registered MNs, mapped by {@link FrameMapping} (CN 2011 real-time, 2051 minute, 2061 hour
 * data) are mapped through the registry snapshot, merged per (point, DataTime), loaded with COPY into a
 * staging table and upserted into {@code point_sample}; only rows that were inserted or actually changed
 * come back, and exactly their buckets are recomputed by {@code telemetry_refresh} (V8). A re-send or a
 * journal replay therefore changes nothing. Frames of MNs without a {@code data_logger} row are counted in
 * {@code unregistered_mn}. The offset is committed only after the database commit; the real-time state is
 * updated after it.
 */
public final class TelemetryConsumer extends JdbcJournalConsumer {

    private static final Logger log = LoggerFactory.getLogger(TelemetryConsumer.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TelemetryRegistry registry;
    private final RealtimeState realtime;
    private final Set<LocalDate> partitions = new HashSet<>();
    private final AtomicLong samplesWritten = new AtomicLong();
    private final AtomicLong bucketsRefreshed = new AtomicLong();
    private final Duration aggregateInterval;
    /** Dirty buckets may exist (true at start: a crash may have left some). */
    private boolean dirty = true;
    private long lastRefreshNanos = System.nanoTime();
    private final AtomicLong unregisteredFrames = new AtomicLong();

    public TelemetryConsumer(DataSource dataSource, JournalReader reader, TelemetryRegistry registry,
                             RealtimeState realtime, int batchSize, Duration maxBackoff, Duration aggregateInterval) {
        super("telemetry", dataSource, reader, batchSize, maxBackoff);
        this.registry = registry;
        this.realtime = realtime;
        this.aggregateInterval = aggregateInterval;
    }

    public TelemetryConsumer start() {
        startThread();
        return this;
    }

    /** Counters for operations: point samples inserted or changed, 15-minute buckets recomputed. */
    public record Stats(State state, String lastError, long samplesWritten, long bucketsRefreshed,
                        long unregisteredFrames, long batches, long failures, long lag) {
    }

    public Stats stats() {
        return new Stats(state(), lastError(), samplesWritten.get(), bucketsRefreshed.get(), unregisteredFrames.get(),
                batches(), failures(), lag());
    }

    @Override
    protected void process(List<JournalEntry> entries) throws Exception {
        RegistrySnapshot snapshot = registry.snapshot();
        FrameMapping.Result mapped = FrameMapping.map(entries, snapshot, DecodedFrames.of(reader().journal()));
        Map<FrameMapping.SampleKey, CanonicalSample> samples = mapped.samples();
        Map<String, FrameMapping.Unregistered> unregistered = mapped.unregistered();
        Set<LocalDate> days = mapped.days();
        costs.lap("decode + map");
        if (samples.isEmpty() && unregistered.isEmpty()) {
            return;
        }
        Connection c = connection();
        ensureDailyPartitions(c, "point_sample", days, partitions);
        c.setAutoCommit(false);
        try {
            int written = 0;
            if (!samples.isEmpty()) {
                String rows = copyRows(samples.values());
                costs.lap("sample rows");
                c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY point_sample_stage FROM STDIN", new StringReader(rows));
                costs.lap("COPY point_sample_stage");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(UPSERT_AND_MARK)) {
                    written = rs.next() ? rs.getInt(1) : 0;
                }
                costs.lap("upsert point_sample + mark dirty");
                if (written > 0) {
                    dirty = true;
                }
            }
            if (!unregistered.isEmpty()) {
                recordUnregistered(c, unregistered);
            }
            c.commit();
            costs.lap("commit");
            samplesWritten.addAndGet(written);
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; replaced on the next attempt
            }
            throw e;
        }
        realtime.apply(samples.values(), snapshot);
        costs.lap("real-time state");
    }

    /** Inserts new samples, merges changed ones, leaves identical ones alone; returns what it wrote. */
    private static final String UPSERT = """
            INSERT INTO point_sample AS s (point_id, ts, p, q, pf, ia, ib, ic, ua, ub, uc, e, extra, invalid, received_at)
            SELECT point_id, ts, p, q, pf, ia, ib, ic, ua, ub, uc, e, extra, invalid, received_at FROM point_sample_stage
            ON CONFLICT (point_id, ts) DO UPDATE SET
              p = coalesce(excluded.p, s.p), q = coalesce(excluded.q, s.q), pf = coalesce(excluded.pf, s.pf),
              ia = coalesce(excluded.ia, s.ia), ib = coalesce(excluded.ib, s.ib), ic = coalesce(excluded.ic, s.ic),
              ua = coalesce(excluded.ua, s.ua), ub = coalesce(excluded.ub, s.ub), uc = coalesce(excluded.uc, s.uc),
              e = coalesce(excluded.e, s.e),
              extra = CASE WHEN excluded.extra IS NULL THEN s.extra ELSE coalesce(s.extra, '{}') || excluded.extra END,
              invalid = excluded.invalid, received_at = excluded.received_at
            WHERE (coalesce(excluded.p, s.p), coalesce(excluded.q, s.q), coalesce(excluded.pf, s.pf),
                   coalesce(excluded.ia, s.ia), coalesce(excluded.ib, s.ib), coalesce(excluded.ic, s.ic),
                   coalesce(excluded.ua, s.ua), coalesce(excluded.ub, s.ub), coalesce(excluded.uc, s.uc),
                   coalesce(excluded.e, s.e), excluded.invalid)
                  IS DISTINCT FROM (s.p, s.q, s.pf, s.ia, s.ib, s.ic, s.ua, s.ub, s.uc, s.e, s.invalid)
               OR (excluded.extra IS NOT NULL AND NOT coalesce(s.extra @> excluded.extra, false))
            RETURNING s.point_id, s.ts""";

    /** The upsert, with the 15-minute buckets of what it wrote marked dirty; answers how many samples it wrote. */
    private static final String UPSERT_AND_MARK = "WITH w AS (" + UPSERT + """
            ), d AS (INSERT INTO telemetry_dirty (point_id, bucket)
                     SELECT DISTINCT point_id, telemetry_bucket('15 minutes', ts) FROM w ON CONFLICT DO NOTHING)
            SELECT count(*) FROM w""";

    /**
     * Recomputes the aggregates of the dirty buckets: at once when the consumer has caught up with the journal
     * (so at normal load aggregates follow the samples within a batch), otherwise at most every
     * {@code aggregateInterval}, so under a heavy load a bucket that gets a sample every few seconds is recomputed
     * once per round rather than once per batch. Rows left by a crash are picked up by the first round.
     */
    @Override
    protected void housekeeping(boolean caughtUp) throws SQLException {
        long now = System.nanoTime();
        if (!dirty || (!caughtUp && now - lastRefreshNanos < aggregateInterval.toNanos())) {
            return;
        }
        Connection c = connection();
        c.setAutoCommit(true);
        int chunk;
        do {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(REFRESH_DIRTY)) {
                rs.next();
                chunk = rs.getInt(1);
                bucketsRefreshed.addAndGet(rs.getInt(2));
            }
        } while (chunk == REFRESH_CHUNK);
        costs.lap("aggregates refresh");
        dirty = false;
        lastRefreshNanos = now;
    }

    // rounds of 5,000 buckets take about a second; the loop runs rounds until the backlog is gone
    private static final int REFRESH_CHUNK = 5_000;

    /**
     * One round: takes up to REFRESH_CHUNK dirty buckets, the oldest first (the alarm engine's history models wait
     * for them), and recomputes them, in one transaction. The rows are taken by ctid from an array computed once: the
     * former {@code (point_id, bucket) IN (SELECT … LIMIT n)}, planned while the table's statistics still said "nearly
     * empty" (a backlog grows faster than autoanalyze runs), became a nested loop that re-ran the LIMIT subquery for
     * every row: one round ran for minutes (seen in the alarm evaluation, and taken at first for a plan problem of
     * telemetry_refresh). A TID scan has no join to get wrong.
     */
    private static final String REFRESH_DIRTY = """
            WITH d AS (DELETE FROM telemetry_dirty
                       WHERE ctid = ANY (ARRAY(SELECT ctid FROM telemetry_dirty ORDER BY bucket LIMIT %d))
                       RETURNING point_id, bucket)
            SELECT count(*), CASE WHEN count(*) = 0 THEN 0 ELSE telemetry_refresh(array_agg(point_id), array_agg(bucket)) END
            FROM d""".formatted(REFRESH_CHUNK);

    private static void recordUnregistered(Connection c, Map<String, FrameMapping.Unregistered> unregistered) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO unregistered_mn (mn, first_seen, last_seen, frames, last_peer) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (mn) DO UPDATE SET first_seen = least(unregistered_mn.first_seen, excluded.first_seen),
                  last_seen = greatest(unregistered_mn.last_seen, excluded.last_seen),
                  frames = unregistered_mn.frames + excluded.frames, last_peer = excluded.last_peer""")) {
            for (Map.Entry<String, FrameMapping.Unregistered> e : unregistered.entrySet()) {
                FrameMapping.Unregistered u = e.getValue();
                ps.setString(1, e.getKey().length() > 64 ? e.getKey().substring(0, 64) : e.getKey());
                ps.setTimestamp(2, new Timestamp(u.first));
                ps.setTimestamp(3, new Timestamp(u.last));
                ps.setLong(4, u.frames);
                ps.setString(5, u.peer);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String copyRows(Iterable<CanonicalSample> samples) throws JsonProcessingException {
        StringBuilder out = new StringBuilder(16_384);
        for (CanonicalSample s : samples) {
            out.append(s.pointId).append('\t').append(Instant.ofEpochMilli(s.tsMillis).atOffset(CHINA));
            for (Double v : s.columns) {
                out.append('\t').append(v == null ? "\\N" : v.toString());
            }
            out.append('\t');
            if (s.extra.isEmpty()) {
                out.append("\\N");
            } else {
                escape(out, JSON.writeValueAsString(s.extra));
            }
            out.append('\t').append(s.invalid() ? 't' : 'f');
            out.append('\t').append(Instant.ofEpochMilli(s.receivedAtMillis).atOffset(CHINA)).append('\n');
        }
        return out.toString();
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> { }
                default -> out.append(ch);
            }
        }
    }

    @Override
    protected void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS pg_temp.point_sample_stage");
            s.execute("""
                    CREATE TEMP TABLE point_sample_stage (point_id bigint, ts timestamptz, p real, q real, pf real,
                      ia real, ib real, ic real, ua real, ub real, uc real, e double precision, extra jsonb,
                      invalid boolean, received_at timestamptz) ON COMMIT DELETE ROWS""");
        }
        partitions.clear();
    }
}
