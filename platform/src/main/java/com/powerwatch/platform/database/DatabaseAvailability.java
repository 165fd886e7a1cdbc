package com.powerwatch.platform.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the database answers, kept in memory: a background check every {@code powerwatch.database.probe-interval},
 * and what callers report when a query fails or succeeds. Health and the token cache read it without waiting for a
 * database that is away. A pool that is merely busy (every connection in use) is not an outage.
 */
@Component
public class DatabaseAvailability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    /** The state at a moment: up or not, since when, and the last error while down. */
    public record State(boolean up, Instant since, String error) {
    }

    private final DataSource dataSource;
    private final ScheduledExecutorService prober;
    private volatile State state = new State(false, Instant.now(), "not reached yet");

    public DatabaseAvailability(DataSource dataSource, DatabaseProperties props) {
        this.dataSource = dataSource;
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "database-probe");
            t.setDaemon(true);
            return t;
        });
        long every = props.probeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probe, 0, every, TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    public boolean isUp() {
        return state.up();
    }

    /** A query just succeeded. */
    public void reportUp() {
        if (!state.up()) {
            state = new State(true, Instant.now(), null);
            log.info("database answers again");
        }
    }

    /** A query failed; counts as an outage only when the server did not answer (not a busy pool, not a bad query). */
    public void reportFailure(Throwable e) {
        if (!DatabaseUnavailable.isUnreachable(e)) {
            return;
        }
        String error = DatabaseUnavailable.rootMessage(e);
        if (state.up()) {
            state = new State(false, Instant.now(), error);
            log.warn("database does not answer: {}", error);
        } else {
            state = new State(false, state.since(), error);
        }
    }

    private void probe() {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(5)) {
                reportUp();
            }
        } catch (Exception e) {
            reportFailure(e);
        }
    }


    @Override
    public void close() {
        prober.shutdownNow();
    }
}
