package com.powerwatch.platform.database;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Starts what needs the database — migrations first, then the {@link DatabaseStartStep}s in order — without making
 * the platform's start wait for the database.
 *
 * <p>When the database answers at start (the usual case) everything runs during the start, before the HTTP port
 * opens, as if nothing were special. When it does not answer, the start goes on without it: the gateway and the
 * journal acknowledge frames, the API answers 503 ({@link DatabaseGateFilter}), health says DOWN; a background thread
 * tries again with growing pauses and runs the rest as soon as the database is there. Frames acknowledged meanwhile
 * are in the journal, and the consumers store them when they start.
 *
 * <p>A step failing for another reason (a bug, a broken migration) stops a start that is running in the foreground,
 * as before; in the background it is logged and retried like an outage, since nothing else can stop the process.
 */
@Component
public class DatabaseStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabaseStartup.class);
    private static final long FIRST_PAUSE_MILLIS = 1000;

    private final Flyway flyway; // null when spring.flyway.enabled=false (the schema is managed elsewhere)
    private final ObjectProvider<DatabaseStartStep> steps;
    private final DatabaseAvailability availability;
    private final DatabaseProperties props;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile String waitingFor = "migrations";
    private volatile Thread background;
    private List<DatabaseStartStep> remaining; // owned by whichever thread runs the sequence
    private boolean migrated;

    public DatabaseStartup(ObjectProvider<Flyway> flyway, ObjectProvider<DatabaseStartStep> steps,
                           DatabaseAvailability availability, DatabaseProperties props) {
        this.flyway = flyway.getIfAvailable();
        this.steps = steps;
        this.availability = availability;
        this.props = props;
    }

    /** True once migrations and every start step are done: the API may serve. */
    public boolean isReady() {
        return ready;
    }

    /** What the start still waits for (a step's name), or null when ready. */
    public String waitingFor() {
        return ready ? null : waitingFor;
    }

    @Override
    public void start() {
        running = true;
        remaining = new ArrayList<>(steps.orderedStream().sorted(Comparator.comparingInt(DatabaseStartStep::order)).toList());
        try {
            runSequence();
        } catch (Exception e) {
            if (!DatabaseUnavailable.isCause(e)) {
                throw new IllegalStateException("starting " + waitingFor + " failed", e);
            }
            availability.reportFailure(e);
            log.warn("The database does not answer ({}); starting without it: the gateway and the journal take frames, "
                    + "the API answers 503 until it is back. Waiting for: {}", DatabaseUnavailable.rootMessage(e), waitingFor);
            Thread t = new Thread(this::retryInBackground, "database-startup");
            t.setDaemon(true);
            background = t;
            t.start();
        }
    }

    private void runSequence() throws Exception {
        if (!migrated && flyway != null) {
            waitingFor = "migrations";
            flyway.migrate();
        }
        migrated = true;
        while (!remaining.isEmpty()) {
            DatabaseStartStep step = remaining.get(0);
            waitingFor = step.name();
            step.action().run();
            remaining.remove(0);
        }
        availability.reportUp();
        ready = true;
    }

    private void retryInBackground() {
        long pause = FIRST_PAUSE_MILLIS;
        while (running) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            try {
                runSequence();
                log.info("The database is there: migrations and start steps done, the API serves again");
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                if (DatabaseUnavailable.isCause(e)) {
                    availability.reportFailure(e);
                    log.info("Still waiting for the database ({}): {}", waitingFor, DatabaseUnavailable.rootMessage(e));
                } else {
                    log.error("Starting {} failed; trying again", waitingFor, e);
                }
                pause = Math.min(props.startRetryMaxBackoff().toMillis(), pause * 2);
            }
        }
    }


    @Override
    public void stop() {
        running = false;
        Thread t = background;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server (its phase is {@code DEFAULT_PHASE - 2048}): a normal start is complete when HTTP opens. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }
}
