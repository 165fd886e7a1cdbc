package com.powerwatch.platform.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The current {@link RegistrySnapshot}: loaded by {@link #start()} (once the database is there; empty before),
 * reloaded when the registry tables change (a fingerprint polled every few seconds) or when someone calls
 * {@link #refresh()} after writing the registry.
 */
public final class TelemetryRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryRegistry.class);

    private final JdbcTemplate jdbc;
    private final List<Consumer<RegistrySnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final Duration poll;
    private volatile RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;
    private volatile String signature;
    private boolean loaded; // guarded by this

    public TelemetryRegistry(JdbcTemplate jdbc, Duration poll) {
        this.jdbc = jdbc;
        this.poll = poll;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry-registry");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the first snapshot and starts watching for changes. */
    public synchronized void start() {
        if (loaded) {
            return;
        }
        refresh();
        poller.scheduleWithFixedDelay(this::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    public RegistrySnapshot snapshot() {
        return snapshot;
    }

    /** Called with every new snapshot (after the first). */
    public void onChange(Consumer<RegistrySnapshot> listener) {
        listeners.add(listener);
    }

    /** Reloads now (e.g. right after a registry write) and tells the listeners. */
    public synchronized void refresh() {
        String sig = RegistrySnapshot.signature(jdbc);
        RegistrySnapshot next = RegistrySnapshot.load(jdbc);
        boolean first = !loaded;
        snapshot = next;
        signature = sig;
        loaded = true;
        if (!first) {
            log.info("registry reloaded: {} points, {} facilities, {} enterprises", next.points().size(),
                    next.facilities().size(), next.enterprises().size());
            for (Consumer<RegistrySnapshot> l : listeners) {
                l.accept(next);
            }
        }
    }

    private void poll() {
        try {
            if (!Objects.equals(signature, RegistrySnapshot.signature(jdbc))) {
                refresh();
            }
        } catch (RuntimeException e) {
            log.debug("registry poll failed: {}", e.toString()); // database away: try again next time
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
