package com.powerwatch.simulator;

import com.powerwatch.hj212.Hj212Version;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Command line: runs a fleet against a platform, prints a summary line to stderr every 10 s and the final
 * report as JSON to stdout.
 *
 * <pre>
 * java -jar simulator/target/simulator.jar --host 127.0.0.1 --port 9212 --loggers 100 --interval 60s \
 *      --speedup 60 --duration 5m --seed 1 [--ack-timeout 10s] [--family A|B|mixed] [--version 2017] \
 *      [--faults 0.01] [--ground-truth file] [--source-addresses 4] \
 *      [--start 2026-11-23T00:00 --violations 0.2 --violations-file truth.jsonl --orders-file orders.jsonl]
 * java -jar simulator/target/simulator.jar --plan-only --loggers 1000 --seed 1 --start 2026-11-23T00:00 \
 *      --violations 0.2 --violations-file truth.jsonl --orders-file orders.jsonl
 * </pre>
 */
public final class SimulatorMain {

    private static final String USAGE = """
            usage: java -jar simulator.jar --host HOST --port PORT [options]
              --loggers N            simulated data loggers (default 10)
              --interval D           real-time data interval, simulated (default 60s; 500ms, 30s, 5m, 1h)
              --speedup X            simulated seconds per real second (default 1)
              --duration D           real run time, then drain and stop (default: until Ctrl-C)
              --seed N               reproducible MNs, plants and values (default 1)
              --start T              simulated start, China time yyyy-MM-ddTHH:mm[:ss] (default now)
              --ack-timeout D        wait for 9014 before re-sending (default 10s)
              --retries N            re-sends before giving up (default 3)
              --no-ack               upload without the A bit
              --family A|B|mixed     factor-code family (default mixed)
              --version 2005|2017|2025  protocol edition in the Flag (default 2017)
              --st CODE              system code of uploads (default 32)
              --password PW          access password (PW) of every logger (default 123456)
              --max-length N         split packets whose data segment exceeds N bytes (default 1024)
              --minute-data          also upload 2051 minute data
              --minute-interval D    minute-data period (default 10m)
              --time-request         send 1013 after every connect
              --faults P             probability of a malformed frame before a data frame (default 0)
              --ground-truth FILE    one line per valid data frame with its outcome and values
              --source-addresses N   bind client sockets to 127.0.0.1..127.0.0.N
              --threads N            event-loop threads (default min(4, cores))
              --no-stagger           send all loggers at the same instant of the interval
              --violations F         share of enterprises with one injected violation per simulated day (default 0 = off)
              --negatives F          share with one legitimate look-alike per simulated day (default: as --violations)
              --violation-days N     simulated days the violation plan covers (default 7)
              --violations-file FILE ground truth of violations and negatives, JSON lines
              --orders-file FILE     production orders (STOP/LIMIT) of the plan, JSON lines
              --plan-only            write the two files and exit without connecting (--host/--port optional;
                                     give --start, else the start is now rounded down to the interval)
            """;

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "simulator-logback.xml");
        }
        FleetConfig config;
        Duration duration;
        boolean planOnly;
        try {
            Parsed parsed = parse(args);
            config = parsed.config;
            duration = parsed.duration;
            planOnly = parsed.planOnly;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (planOnly) {
            ViolationPlan plan = planOnly(config);
            System.err.println("plan: start " + config.simulatedStart() + ", " + plan.positives().size()
                    + " violations, " + plan.negatives().size() + " negatives, " + plan.orders().size() + " orders");
            System.exit(0);
            return;
        }
        Fleet fleet = Fleet.start(config);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            finish(fleet, config);
            done.countDown();
        }, "simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextSummary = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long sleep = Math.min(deadline, nextSummary) - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(Math.max(1, sleep / 1_000_000));
            }
            if (System.nanoTime() >= nextSummary) {
                System.err.println(fleet.report().summaryLine());
                nextSummary += TimeUnit.SECONDS.toNanos(10);
            }
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        finish(fleet, config);
        System.exit(0);
    }

    private static void finish(Fleet fleet, FleetConfig config) {
        try {
            // Give the last frames their full chance: every re-send plus one timeout.
            fleet.drain(config.ackTimeout().multipliedBy(config.maxRetries() + 1L).plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SimulatorReport report = fleet.report();
        fleet.close();
        System.err.println(report.summaryLine());
        System.out.println(report.toJson());
        System.out.flush();
    }

    /**
     * Computes the plan of {@code config} (its start, or now rounded down to the interval) and writes the files;
     * returns it. The config passed to a later run must carry the same start.
     */
    static ViolationPlan planOnly(FleetConfig config) {
        if (config.simulatedStart() == null) {
            long step = config.interval().toSeconds();
            LocalDateTime now = LocalDateTime.now(com.powerwatch.hj212.QnGenerator.CHINA).withNano(0);
            long second = now.toLocalTime().toSecondOfDay();
            config = config.toBuilder().simulatedStart(now.toLocalDate().atStartOfDay().plusSeconds(second / step * step))
                    .build();
        }
        ViolationPlan plan = ViolationPlan.plan(config);
        plan.write(config.violationsFile(), config.ordersFile());
        return plan;
    }

    record Parsed(FleetConfig config, Duration duration, boolean planOnly) {
    }

    static Parsed parse(String[] args) {
        String host = null;
        Integer port = null;
        Duration duration = null;
        FleetConfig.Builder b = FleetConfig.builder("127.0.0.1", 9212);
        // Collect options first: host and port are needed to create the builder.
        java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (!isFlag(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            opts.put(name, value);
        }
        for (var e : opts.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "host" -> host = v;
                case "port" -> port = Integer.valueOf(v);
                case "help" -> throw new IllegalArgumentException("help requested");
                default -> { }
            }
        }
        boolean planOnly = opts.containsKey("plan-only");
        if (planOnly) {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 9212 : port;
        }
        if (host == null || port == null) {
            throw new IllegalArgumentException("--host and --port are required");
        }
        b = FleetConfig.builder(host, port);
        try {
            for (var e : opts.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "host", "port" -> { }
                    case "loggers" -> b.loggers(Integer.parseInt(v));
                    case "interval" -> b.interval(duration(v));
                    case "speedup" -> b.speedup(Double.parseDouble(v));
                    case "duration" -> duration = duration(v);
                    case "seed" -> b.seed(Long.parseLong(v));
                    case "start" -> b.simulatedStart(LocalDateTime.parse(v));
                    case "ack-timeout" -> b.ackTimeout(duration(v));
                    case "retries" -> b.maxRetries(Integer.parseInt(v));
                    case "no-ack" -> b.ackRequested(false);
                    case "family" -> b.family(FactorFamily.valueOf(v.toUpperCase(Locale.ROOT)));
                    case "version" -> b.version(version(v));
                    case "st" -> b.st(v);
                    case "password" -> b.password(v);
                    case "max-length" -> b.maxDataLength(Integer.parseInt(v));
                    case "minute-data" -> b.minuteData(true);
                    case "minute-interval" -> b.minuteInterval(duration(v));
                    case "time-request" -> b.timeRequestOnConnect(true);
                    case "faults" -> b.faultRate(Double.parseDouble(v));
                    case "ground-truth" -> b.groundTruth(Path.of(v));
                    case "source-addresses" -> b.sourceAddresses(Integer.parseInt(v));
                    case "threads" -> b.ioThreads(Integer.parseInt(v));
                    case "no-stagger" -> b.staggered(false);
                    case "violations" -> b.violations(Double.parseDouble(v));
                    case "negatives" -> b.negatives(Double.parseDouble(v));
                    case "violation-days" -> b.violationDays(Integer.parseInt(v));
                    case "violations-file" -> b.violationsFile(Path.of(v));
                    case "orders-file" -> b.ordersFile(Path.of(v));
                    case "plan-only" -> { }
                    default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
                }
            }
            return new Parsed(b.build(), duration, planOnly);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad value: " + e.getMessage());
        }
    }

    private static boolean isFlag(String name) {
        return switch (name) {
            case "no-ack", "minute-data", "time-request", "no-stagger", "help", "plan-only" -> true;
            default -> false;
        };
    }

    private static Hj212Version version(String v) {
        for (Hj212Version version : Hj212Version.values()) {
            if (version.label().equals(v) && version != Hj212Version.UNKNOWN) {
                return version;
            }
        }
        throw new IllegalArgumentException("version must be 2005, 2017 or 2025: " + v);
    }

    /** 500ms, 30s, 5m, 1h, 2d, or a bare number of seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
            }
            double n = Double.parseDouble(t.substring(0, t.length() - 1));
            long seconds = switch (unit) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86_400;
                default -> throw new IllegalArgumentException("bad duration '" + text + "'");
            };
            return Duration.ofMillis((long) (n * seconds * 1000));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad duration '" + text + "'");
        }
    }
}
