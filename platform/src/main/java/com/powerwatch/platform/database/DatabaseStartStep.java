package com.powerwatch.platform.database;

/**
 * One piece of the platform that needs the database to start (rebuild state from the store, start a journal consumer,
 * create the first administrator). {@link DatabaseStartup} runs the steps in {@link #order} once the schema is
 * migrated: during the start when the database answers, else as soon as it comes back — meanwhile the gateway and
 * the journal already take frames. A step that fails because the database went away again is retried; a step that
 * succeeded is not run again, so each action should do one thing.
 *
 * @param name   for the log
 * @param order  steps run in ascending order; the constants below give the platform's sequence
 * @param action the work
 */
public record DatabaseStartStep(String name, int order, Action action) {

    /** The data loggers' passwords: until read, the gateway judges frames by its local copy (or refuses them). */
    public static final int DEVICES = 50;
    /** The store writer: stores what the journal holds, first of all. */
    public static final int STORE = 100;
    /** The registry snapshot, then the real-time state rebuilt from the store, then the telemetry consumer. */
    public static final int TELEMETRY = 200;
    /** The alarm engine, rebuilt from the store and the open alarms, then started on the journal. */
    public static final int ENGINE = 300;
    /** Accounts: the first administrator of a new installation. */
    public static final int ACCOUNTS = 400;
    /** The demo fleet (registered in the registry, then connected). */
    public static final int DEMO = 500;

    /** The work of a step. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
