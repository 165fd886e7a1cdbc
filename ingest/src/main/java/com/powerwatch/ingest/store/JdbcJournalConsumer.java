package com.powerwatch.ingest.store;

import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.journal.JournalReader;

import com.powerwatch.hj212.QnGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;

/**
 * A journal consumer that writes to PostgreSQL through one connection of its own: opened and prepared on first
 * use, dropped after a failed batch and opened again for the retry (the database may have restarted meanwhile).
 */
public abstract class JdbcJournalConsumer extends JournalConsumer {

    private static final Logger log = LoggerFactory.getLogger(JdbcJournalConsumer.class);

    private final DataSource dataSource;
    private Connection connection;
    private volatile int backendPid;

    protected JdbcJournalConsumer(String threadName, DataSource dataSource, JournalReader reader, int batchSize,
                                  Duration maxBackoff) {
        super(threadName, reader, batchSize, maxBackoff);
        this.dataSource = dataSource;
    }

    /** The consumer's connection, in autocommit mode, opened and {@link #prepare prepared} when needed. */
    protected Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            prepare(c);
            try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                backendPid = rs.next() ? rs.getInt(1) : 0;
            }
            connection = c;
        }
        return connection;
    }

    /**
     * The process id of the PostgreSQL backend serving this consumer's connection (0 before the first): the ingestion
     * benchmark reads its CPU time from /proc to tell what each consumer costs PostgreSQL.
     */
    public int backendPid() {
        return backendPid;
    }

    /** Sets up a new connection (staging tables) and forgets what was cached about the previous one. */
    protected abstract void prepare(Connection c) throws SQLException;

    /**
     * Daily partitions of {@code table} made on demand ({@code <table>_YYYYMMDD}, China days); {@code known} remembers
     * the days already handled on this connection. Days outside −400…+2 of today (bogus device clocks) and a day
     * that cannot get one (rows already in the default partition) stay in {@code <table>_default}.
     */
    protected void ensureDailyPartitions(Connection c, String table, Set<LocalDate> days, Set<LocalDate> known)
            throws SQLException {
        LocalDate today = LocalDate.now(QnGenerator.CHINA);
        for (LocalDate day : days) {
            if (!known.add(day) || day.isBefore(today.minusDays(400)) || day.isAfter(today.plusDays(2))) {
                continue;
            }
            String name = table + "_" + day.toString().replace("-", "");
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table + " FOR VALUES FROM ('"
                        + day + " 00:00:00+08') TO ('" + day.plusDays(1) + " 00:00:00+08')");
            } catch (SQLException e) {
                log.warn("no partition {} ({}); its rows stay in {}_default", name, e.getMessage(), table);
            }
        }
    }

    @Override
    protected void reset() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }
}
