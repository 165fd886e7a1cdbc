package com.powerwatch.simulator;

import com.powerwatch.hj212.QnGenerator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A running fleet of simulated HJ 212 data loggers.
 *
 * <pre>{@code
 * try (Fleet fleet = Fleet.start(FleetConfig.builder("127.0.0.1", 9212).loggers(100).speedup(60).build())) {
 *     ...
 *     SimulatorReport report = fleet.report();
 * }
 * }</pre>
 *
 * <p>All loggers share one Netty event-loop group of {@link FleetConfig#ioThreads()} threads and its timers;
 * nothing runs per logger in its own thread, so one process holds 10,000 connections.
 */
public final class Fleet implements AutoCloseable {

    private final FleetConfig config;
    private final FleetStats stats = new FleetStats();
    private final GroundTruth groundTruth;
    private final EventLoopGroup group;
    private final InetSocketAddress remote;
    private final List<SimLogger> loggers = new ArrayList<>();
    private final long simulatedStartMillis;
    private final ViolationPlan plan;
    private volatile long startNanos;
    private volatile boolean closed;

    private Fleet(FleetConfig config) {
        this.config = config;
        this.groundTruth = new GroundTruth(config.groundTruth(), config.recordFrames());
        LocalDateTime start = config.simulatedStart();
        if (start == null) {
            long step = config.interval().toSeconds();
            LocalDateTime now = LocalDateTime.now(QnGenerator.CHINA).truncatedTo(ChronoUnit.SECONDS);
            long second = now.toLocalTime().toSecondOfDay();
            start = now.toLocalDate().atStartOfDay().plusSeconds(second / step * step);
        }
        this.simulatedStartMillis = start.atZone(QnGenerator.CHINA).toInstant().toEpochMilli();
        // The plan comes from the configuration and the resolved start only: ViolationPlan.plan(config) with the
        // same start gives the same records without starting a fleet.
        this.plan = ViolationPlan.plan(config, start);
        plan.write(config.violationsFile(), config.ordersFile());
        this.remote = new InetSocketAddress(config.host(), config.port()); // resolved once for all loggers
        this.group = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("simulator", true));
        this.startNanos = System.nanoTime();
    }

    /** Creates the loggers and starts them: connects are spread over the first real interval (or connectSpread). */
    public static Fleet start(FleetConfig config) {
        return prepare(config).begin();
    }

    /**
     * Creates the loggers without connecting them, so that a platform can register them (and the plan's production
     * orders) before any data flows; {@link #begin()} then starts the simulated clock and the connects.
     */
    public static Fleet prepare(FleetConfig config) {
        Fleet fleet = new Fleet(config);
        for (int i = 0; i < config.loggers(); i++) {
            SimLogger logger = new SimLogger(fleet, i, fleet.group.next());
            fleet.loggers.add(logger);
        }
        return fleet;
    }

    /** Starts the simulated clock at the configured start and connects the loggers of {@link #prepare}. */
    public Fleet begin() {
        startNanos = System.nanoTime();
        long spread = config.connectSpread() != null ? config.connectSpread().toMillis()
                : Math.min(30_000, config.realInterval().toMillis());
        for (int i = 0; i < config.loggers(); i++) {
            long delay = config.loggers() <= 1 ? 0 : spread * i / config.loggers();
            loggers.get(i).start(delay);
        }
        return this;
    }

    /**
     * Closes the fleet once its simulated clock has run {@code simulated} past the start (checked every 200 ms of real
     * time): a run of a given simulated length, after which the platform catches up with a finite amount of data.
     */
    public Fleet closeAfter(java.time.Duration simulated) {
        long end = simulatedStartMillis + simulated.toMillis();
        Thread watcher = new Thread(() -> {
            while (!closed) {
                if (simulatedMillis() >= end) {
                    close();
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "simulator-stop");
        watcher.setDaemon(true);
        watcher.start();
        return this;
    }

    /** A snapshot of all counters. */
    public SimulatorReport report() {
        return stats.snapshot((System.nanoTime() - startNanos) / 1_000_000,
                LocalDateTime.ofInstant(Instant.ofEpochMilli(simulatedMillis()), QnGenerator.CHINA).toString(),
                loggers.size());
    }

    /** The loggers with their MNs and meters (what the platform registers before data arrives). */
    public List<LoggerInfo> loggers() {
        List<LoggerInfo> out = new ArrayList<>(loggers.size());
        for (SimLogger l : loggers) {
            out.add(l.info());
        }
        return out;
    }

    /**
     * Shuts the plant of logger {@code index} for maintenance (停产检修): its production and treatment facilities draw
     * nothing from then on while the logger keeps reporting (the total meter shows the base load). For demos; call it
     * before {@link #begin()}.
     */
    public Fleet shutDown(int index) {
        loggers.get(index).shutDown();
        return this;
    }

    /**
     * Gives logger {@code index} its own access password (PW) instead of the fleet's common one — what a platform that
     * registers the fleet with a password per logger hands back. Call it before {@link #begin()}.
     */
    public Fleet password(int index, String pw) {
        loggers.get(index).password(pw);
        return this;
    }

    /** The injected violations and legitimate look-alikes (ground truth), ordered by start; empty when off. */
    public List<Violation> violations() {
        return plan.violations();
    }

    /** The production orders (STOP/LIMIT) the violation plan assumes; empty when off. */
    public List<ProductionOrder> orders() {
        return plan.orders();
    }

    /** The whole violation plan. */
    public ViolationPlan plan() {
        return plan;
    }

    /**
     * Every finished data frame with its outcome and values, when {@link FleetConfig#recordFrames()} is set;
     * empty otherwise.
     */
    public List<FrameRecord> frames() {
        return groundTruth.snapshot();
    }

    /**
     * The (MN, CN, DataTime, code-field) values of acknowledged frames: what the platform must have stored
     * exactly once. Needs {@link FleetConfig#recordFrames()}.
     */
    public Set<SentValue> ackedValues() {
        Set<SentValue> out = new LinkedHashSet<>();
        for (FrameRecord r : groundTruth.snapshot()) {
            if (r.acked()) {
                r.values().forEach((k, v) -> out.add(new SentValue(r.mn(), r.cn(), r.dataTime(), k, v)));
            }
        }
        return out;
    }

    /** One value the platform acknowledged. */
    public record SentValue(String mn, String cn, String dataTime, String codeField, String value) {
    }

    /**
     * Stops producing data and waits until every frame is acknowledged or given up, or until the timeout.
     *
     * @return true when nothing is pending any more
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        for (SimLogger l : loggers) {
            l.stopGenerating();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (report().framesPending() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return report().framesPending() == 0;
    }

    /** Closes every connection and the event loops; unfinished frames are recorded as pending at close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Future<?>> futures = new ArrayList<>();
        for (SimLogger l : loggers) {
            futures.add(l.close());
        }
        for (Future<?> f : futures) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        groundTruth.close();
    }

    // ---------------------------------------------------------------- for the loggers

    FleetConfig config() {
        return config;
    }

    FleetStats stats() {
        return stats;
    }

    GroundTruth groundTruth() {
        return groundTruth;
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    long simulatedStartMillis() {
        return simulatedStartMillis;
    }

    /** The fleet's simulated time: start + real elapsed × speed-up. */
    long simulatedMillis() {
        return simulatedStartMillis + (long) ((System.nanoTime() - startNanos) / 1_000_000.0 * config.speedup());
    }
}
