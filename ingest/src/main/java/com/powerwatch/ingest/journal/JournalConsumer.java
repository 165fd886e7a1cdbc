package com.powerwatch.ingest.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop every journal consumer shares (store writer, AMQP publisher, later real-time state and the
 * alarm engine): poll a batch, hand it to {@link #process}, commit the offset only when that succeeded.
 * A failing batch is kept and retried with exponential backoff — never skipped — so an outage of what
 * the consumer writes to only delays it; the journal holds the rest. An {@link Error} from one batch (an assertion in a
 * driver under {@code -ea}, a stack overflow on a hostile frame) is treated the same way rather than ending the
 * thread silently; only a {@link VirtualMachineError} other than a stack overflow (out of memory) ends it, as
 * {@link State#FAILED}.
 */
public abstract class JournalConsumer implements AutoCloseable {

    /** Health as the operations view shows it. */
    public enum State {
        STARTING, RUNNING,
        /** The last batch (or housekeeping) failed; it is kept and tried again after a pause. */
        RETRYING,
        /** Closed. */
        STOPPED,
        /** The thread ended on a VirtualMachineError (out of memory): nothing consumes until the process restarts. */
        FAILED;

        /** Whether health should say DOWN: the consumer keeps failing or no longer runs. */
        public boolean failing() {
            return this == RETRYING || this == FAILED;
        }
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final JournalReader reader;
    private final int batchSize;
    private final Duration maxBackoff;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long committedPosition = -1;
    /** Time per stage of {@link #process} and {@link #housekeeping} (subclasses add laps of their own). */
    protected final StageCosts costs = new StageCosts();

    protected JournalConsumer(String threadName, JournalReader reader, int batchSize, Duration maxBackoff) {
        this.reader = reader;
        this.batchSize = batchSize;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Does the consumer's work for one batch; throws to have the same batch retried later. */
    protected abstract void process(List<JournalEntry> batch) throws Exception;

    /**
     * Periodic work between batches (deferred or coalesced writes): called after every committed batch and every
     * empty poll; {@code caughtUp} says the last poll found less than a full batch. A failure is retried like a batch.
     */
    protected void housekeeping(boolean caughtUp) throws Exception {
    }

    /** Called after a failure so the next attempt starts clean (e.g. drop a broken connection). */
    protected void reset() {
    }

    protected void startThread() {
        thread.start();
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError.get();
    }

    public long batches() {
        return batches.get();
    }

    public long failures() {
        return failures.get();
    }

    public long committedPosition() {
        return committedPosition;
    }

    public long lag() {
        return reader.lag();
    }

    protected JournalReader reader() {
        return reader;
    }

    /** Where this consumer's time went so far (docs/benchmarks.md, "Throughput (issue 15)"). */
    public StageCosts.Snapshot costs() {
        return costs.snapshot();
    }

    /** The consumer's name (its thread's). */
    public String name() {
        return thread.getName();
    }

    private void run() {
        long backoffMillis = 100;
        List<JournalEntry> pending = null;
        while (running) {
            try {
                if (pending == null) {
                    pending = reader.poll(batchSize, Duration.ofMillis(200));
                    if (pending.isEmpty()) {
                        pending = null;
                        costs.begin();
                        housekeeping(true);
                        costs.lap("housekeeping");
                        if (state == State.STARTING) {
                            state = State.RUNNING;
                        }
                        continue;
                    }
                }
                costs.begin();
                process(pending);
                costs.lap("process (rest)");
                long last = pending.get(pending.size() - 1).position();
                reader.commit(last);
                costs.lap("offset commit");
                costs.records(pending.size());
                committedPosition = last;
                batches.incrementAndGet();
                boolean caughtUp = pending.size() < batchSize;
                pending = null;
                costs.begin();
                housekeeping(caughtUp);
                costs.lap("housekeeping");
                backoffMillis = 100;
                state = State.RUNNING;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                if (fatal(e)) {
                    // out of memory or the like: retrying would only make it worse; health shows the consumer DOWN
                    lastError.set(e.toString());
                    state = State.FAILED;
                    log.error("{} stops: {}", thread.getName(), e.toString());
                    throw (VirtualMachineError) e;
                }
                // an Error from one batch (AssertionError, StackOverflowError) must not end the thread silently
                if (!running) {
                    break;
                }
                failures.incrementAndGet();
                lastError.set(e.toString());
                if (state != State.RETRYING) { // once per run of failures; health and lastError tell the rest
                    if (e instanceof Error) { // a bug, not an outage: the stack trace is what a developer needs
                        log.error("{} cannot process a batch; keeping it and retrying", thread.getName(), e);
                    } else {
                        log.warn("{} cannot process a batch ({}); keeping it and retrying", thread.getName(), e.toString());
                    }
                }
                state = State.RETRYING;
                resetQuietly();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoffMillis = Math.min(maxBackoff.toMillis(), backoffMillis * 2);
            }
        }
        state = State.STOPPED;
        resetQuietly();
    }

    /**
     * Errors the JVM cannot promise to recover from (out of memory, an internal error). A StackOverflowError is a
     * VirtualMachineError too, but it has unwound by the time it is caught here and leaves the thread sound: a hostile
     * frame's deep recursion is retried like any other failing batch.
     */
    static boolean fatal(Throwable e) {
        return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
    }

    /** A failing {@link #reset} must not end the consumer's thread either: the next attempt resets again. */
    private void resetQuietly() {
        try {
            reset();
        } catch (Throwable e) {
            if (fatal(e)) {
                lastError.set(e.toString());
                state = State.FAILED;
                throw e;
            }
            log.warn("{} cannot reset after a failure: {}", thread.getName(), e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
