package com.powerwatch.simulator;

import com.powerwatch.hj212.Hj212Version;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * Everything a {@link Fleet} needs. Build with {@link #builder(String, int)}; every field has a default that
 * behaves like a real 2017 data logger on a 4G link.
 *
 * @param host                 platform address
 * @param port                 platform HJ 212 port
 * @param loggers              number of simulated data loggers (one enterprise each)
 * @param seed                 makes MNs, plants and every value reproducible
 * @param interval             real-time data interval in simulated time (RtdInterval, default 60 s)
 * @param speedup              simulated seconds per real second (60 = one simulated minute per second)
 * @param simulatedStart       simulated China time at start; null = now, rounded down to the interval
 * @param family               factor-code family, or {@link FactorFamily#MIXED} to alternate per logger
 * @param version              protocol edition written in the Flag (2005, 2017, 2025)
 * @param st                   system code of uploads, "32" by default ("80" as field electricity loggers use)
 * @param password             PW of every packet
 * @param ackRequested         set the A bit on uploads and wait for 9014 (default true)
 * @param ackTimeout           real time to wait for a 9014 before re-sending (default 10 s)
 * @param maxRetries           re-sends before giving a frame up (default 3)
 * @param maxDataLength        split uploads whose data segment would exceed this many bytes (default 1024)
 * @param minuteData           also upload CN=2051 minute data (-Avg/-Min/-Max, energy -Cou)
 * @param minuteInterval       minute-data period (MinInterval, default 10 min)
 * @param timeRequestOnConnect send a 1013 time-calibration request after every connect
 * @param faultRate            probability per new data frame of first writing a malformed frame (0 = off)
 * @param groundTruth          file receiving one line per valid data frame once its outcome is known; null = none
 * @param recordFrames         keep every data frame's outcome and values in memory ({@link Fleet#frames()})
 * @param sourceAddresses      spread client sockets over 127.0.0.1..127.0.0.N (0 = let the OS choose)
 * @param staggered            spread the loggers' send instants evenly over the interval (default true)
 * @param historyCapacity      real-time records kept per logger for history requests (default 180)
 * @param outboxCapacity       data frames kept per logger while disconnected; the oldest are dropped beyond it
 * @param reconnectMin         first reconnect delay (real time), doubled per failure
 * @param reconnectMax         longest reconnect delay
 * @param ioThreads            Netty event-loop threads for the whole fleet
 * @param connectSpread        real time over which the initial connects are spread; null = one real interval (≤ 30 s)
 * @param mnPrefix             first characters of every MN (default "SIM")
 * @param violationRate        share of enterprises that get one injected violation per simulated day (0 = off, the default)
 * @param negativeRate         share of enterprises that get one legitimate look-alike per simulated day (builder default:
 *                             violationRate, capped so that violationRate + negativeRate ≤ 1)
 * @param violationDays        simulated days from the start the violation plan covers (default 7)
 * @param violationsFile       JSON-lines ground truth of violations and negatives, written at start; null = none
 * @param ordersFile           JSON-lines production orders (STOP/LIMIT), written at start; null = none
 */
public record FleetConfig(String host, int port, int loggers, long seed, Duration interval, double speedup,
                          LocalDateTime simulatedStart, FactorFamily family, Hj212Version version, String st,
                          String password, boolean ackRequested, Duration ackTimeout, int maxRetries,
                          int maxDataLength, boolean minuteData, Duration minuteInterval, boolean timeRequestOnConnect,
                          double faultRate, Path groundTruth, boolean recordFrames, int sourceAddresses,
                          boolean staggered, int historyCapacity, int outboxCapacity, Duration reconnectMin,
                          Duration reconnectMax, int ioThreads, Duration connectSpread, String mnPrefix,
                          double violationRate, double negativeRate, int violationDays, Path violationsFile,
                          Path ordersFile) {

    public FleetConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(version, "version");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (loggers < 0) {
            throw new IllegalArgumentException("loggers must be >= 0: " + loggers);
        }
        if (interval.toMillis() < 1000) {
            throw new IllegalArgumentException("interval must be at least 1 s: " + interval);
        }
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be > 0: " + speedup);
        }
        if (version == Hj212Version.UNKNOWN) {
            throw new IllegalArgumentException("version must be 2005, 2017 or 2025");
        }
        if (maxRetries < 0 || maxDataLength < 200 || maxDataLength > 9999) {
            throw new IllegalArgumentException("maxRetries >= 0 and maxDataLength 200..9999 required");
        }
        if (faultRate < 0 || faultRate > 1) {
            throw new IllegalArgumentException("faultRate must be 0..1: " + faultRate);
        }
        if (sourceAddresses < 0 || sourceAddresses > 254) {
            throw new IllegalArgumentException("sourceAddresses must be 0..254: " + sourceAddresses);
        }
        if (mnPrefix.length() > 8) {
            throw new IllegalArgumentException("mnPrefix longer than 8 characters: " + mnPrefix);
        }
        if (violationRate < 0 || negativeRate < 0 || violationRate + negativeRate > 1) {
            throw new IllegalArgumentException("violation and negative rates must be >= 0 with a sum <= 1: "
                    + violationRate + " + " + negativeRate);
        }
        if (violationDays < 1 || violationDays > 366) {
            throw new IllegalArgumentException("violationDays must be 1..366: " + violationDays);
        }
        if (historyCapacity < 1 || outboxCapacity < 1 || ioThreads < 1) {
            throw new IllegalArgumentException("historyCapacity, outboxCapacity and ioThreads must be >= 1");
        }
    }

    /** The constructor before violation injection existed: no violations, no negatives. */
    public FleetConfig(String host, int port, int loggers, long seed, Duration interval, double speedup,
                       LocalDateTime simulatedStart, FactorFamily family, Hj212Version version, String st,
                       String password, boolean ackRequested, Duration ackTimeout, int maxRetries,
                       int maxDataLength, boolean minuteData, Duration minuteInterval, boolean timeRequestOnConnect,
                       double faultRate, Path groundTruth, boolean recordFrames, int sourceAddresses,
                       boolean staggered, int historyCapacity, int outboxCapacity, Duration reconnectMin,
                       Duration reconnectMax, int ioThreads, Duration connectSpread, String mnPrefix) {
        this(host, port, loggers, seed, interval, speedup, simulatedStart, family, version, st, password, ackRequested,
                ackTimeout, maxRetries, maxDataLength, minuteData, minuteInterval, timeRequestOnConnect, faultRate,
                groundTruth, recordFrames, sourceAddresses, staggered, historyCapacity, outboxCapacity, reconnectMin,
                reconnectMax, ioThreads, connectSpread, mnPrefix, 0, 0, 7, null, null);
    }

    /** Whether a violation plan is made: violations or negatives requested. */
    public boolean violationsEnabled() {
        return violationRate > 0 || negativeRate > 0;
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(host, port);
        b.loggers = loggers;
        b.seed = seed;
        b.interval = interval;
        b.speedup = speedup;
        b.simulatedStart = simulatedStart;
        b.family = family;
        b.version = version;
        b.st = st;
        b.password = password;
        b.ackRequested = ackRequested;
        b.ackTimeout = ackTimeout;
        b.maxRetries = maxRetries;
        b.maxDataLength = maxDataLength;
        b.minuteData = minuteData;
        b.minuteInterval = minuteInterval;
        b.timeRequestOnConnect = timeRequestOnConnect;
        b.faultRate = faultRate;
        b.groundTruth = groundTruth;
        b.recordFrames = recordFrames;
        b.sourceAddresses = sourceAddresses;
        b.staggered = staggered;
        b.historyCapacity = historyCapacity;
        b.outboxCapacity = outboxCapacity;
        b.reconnectMin = reconnectMin;
        b.reconnectMax = reconnectMax;
        b.ioThreads = ioThreads;
        b.connectSpread = connectSpread;
        b.mnPrefix = mnPrefix;
        b.violationRate = violationRate;
        b.negativeRate = negativeRate;
        b.violationDays = violationDays;
        b.violationsFile = violationsFile;
        b.ordersFile = ordersFile;
        return b;
    }

    /** Real time between two uploads of one logger. */
    Duration realInterval() {
        return Duration.ofNanos((long) (interval.toNanos() / speedup));
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private int loggers = 10;
        private long seed = 1;
        private Duration interval = Duration.ofSeconds(60);
        private double speedup = 1;
        private LocalDateTime simulatedStart;
        private FactorFamily family = FactorFamily.MIXED;
        private Hj212Version version = Hj212Version.V2017;
        private String st = "32";
        private String password = "123456";
        private boolean ackRequested = true;
        private Duration ackTimeout = Duration.ofSeconds(10);
        private int maxRetries = 3;
        private int maxDataLength = 1024;
        private boolean minuteData;
        private Duration minuteInterval = Duration.ofMinutes(10);
        private boolean timeRequestOnConnect;
        private double faultRate;
        private Path groundTruth;
        private boolean recordFrames;
        private int sourceAddresses;
        private boolean staggered = true;
        private int historyCapacity = 180;
        private int outboxCapacity = 1000;
        private Duration reconnectMin = Duration.ofSeconds(1);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private Duration connectSpread;
        private String mnPrefix = "SIM";
        private double violationRate;
        private Double negativeRate;
        private int violationDays = 7;
        private Path violationsFile;
        private Path ordersFile;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        public Builder loggers(int v) { loggers = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder interval(Duration v) { interval = v; return this; }
        public Builder speedup(double v) { speedup = v; return this; }
        public Builder simulatedStart(LocalDateTime v) { simulatedStart = v; return this; }
        public Builder family(FactorFamily v) { family = v; return this; }
        public Builder version(Hj212Version v) { version = v; return this; }
        public Builder st(String v) { st = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder ackRequested(boolean v) { ackRequested = v; return this; }
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder maxDataLength(int v) { maxDataLength = v; return this; }
        public Builder minuteData(boolean v) { minuteData = v; return this; }
        public Builder minuteInterval(Duration v) { minuteInterval = v; return this; }
        public Builder timeRequestOnConnect(boolean v) { timeRequestOnConnect = v; return this; }
        public Builder faultRate(double v) { faultRate = v; return this; }
        public Builder groundTruth(Path v) { groundTruth = v; return this; }
        public Builder recordFrames(boolean v) { recordFrames = v; return this; }
        public Builder sourceAddresses(int v) { sourceAddresses = v; return this; }
        public Builder staggered(boolean v) { staggered = v; return this; }
        public Builder historyCapacity(int v) { historyCapacity = v; return this; }
        public Builder outboxCapacity(int v) { outboxCapacity = v; return this; }
        public Builder reconnectMin(Duration v) { reconnectMin = v; return this; }
        public Builder reconnectMax(Duration v) { reconnectMax = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder connectSpread(Duration v) { connectSpread = v; return this; }
        public Builder mnPrefix(String v) { mnPrefix = v; return this; }
        /** Share of enterprises with one injected violation per simulated day (0 = off). */
        public Builder violations(double rate) { violationRate = rate; return this; }
        /** Share of enterprises with one legitimate look-alike per simulated day (default: the violation rate). */
        public Builder negatives(double rate) { negativeRate = rate; return this; }
        public Builder violationDays(int v) { violationDays = v; return this; }
        public Builder violationsFile(Path v) { violationsFile = v; return this; }
        public Builder ordersFile(Path v) { ordersFile = v; return this; }

        public FleetConfig build() {
            return new FleetConfig(host, port, loggers, seed, interval, speedup, simulatedStart, family, version, st,
                    password, ackRequested, ackTimeout, maxRetries, maxDataLength, minuteData, minuteInterval,
                    timeRequestOnConnect, faultRate, groundTruth, recordFrames, sourceAddresses, staggered,
                    historyCapacity, outboxCapacity, reconnectMin, reconnectMax, ioThreads, connectSpread, mnPrefix,
                    violationRate, negativeRate != null ? negativeRate : Math.min(violationRate, 1 - violationRate),
                    violationDays, violationsFile, ordersFile);
        }
    }
}
