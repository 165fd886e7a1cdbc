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
 * The current {@link RegistrySnapshot}: loaded at start, reloaded when the registry tables change (a
 * fingerprint polled every few seconds) or when someone calls {@link #refresh()} after writing the registry.
 */
public final class TelemetryRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryRegistry.class);

    private final JdbcTemplate jdbc;
    private final List<Consumer<RegistrySnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile RegistrySnapshot snapshot;
    private volatile String signature;

    public TelemetryRegistry(JdbcTemplate jdbc, Duration poll) {
        this.jdbc = jdbc;
        refresh();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry-registry");
            t.setDaemon(true);
            return t;
        });
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
        boolean first = snapshot == null;
        snapshot = next;
        signature = sig;
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
