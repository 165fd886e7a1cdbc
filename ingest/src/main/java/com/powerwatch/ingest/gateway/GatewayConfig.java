package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CrcPolicy;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.ingest.frame.ClockQuarantine;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Settings of the HJ 212 TCP gateway.
 *
 * @param bindAddress    address to listen on ("0.0.0.0" for all)
 * @param port           TCP port (0 = any free port, for tests)
 * @param idleTimeout    a connection that completes no valid frame for this long is closed (loggers send at least
 *                       every few minutes; bytes that make no frame — junk, a DTU's own heartbeat — do not keep it open)
 * @param maxDataLength  largest data segment accepted (bytes)
 * @param garbageBudget  bytes of rejected input allowed since the last valid frame before the peer is dropped
 * @param commandTimeout how long to wait for a device's 9011/9012 answers to a server command
 * @param crcPolicies    CRC policy per MN (operators accept odd devices one by one)
 * @param timeCalibration answer a 1013 time request with 9013 and then a 1012 carrying the server's time
 * @param limits         connection caps in total and per remote address
 * @param frameDeadline  once the first bytes of a frame have arrived, the rest must follow within this time, or the
 *                       connection is closed (a peer trickling a frame byte by byte holds a connection forever)
 * @param clockQuarantine frames dated too far ahead of their receive time are kept but applied nowhere
 */
public record GatewayConfig(String bindAddress, int port, Duration idleTimeout, int maxDataLength, long garbageBudget,
                            Duration commandTimeout, Function<String, CrcPolicy> crcPolicies, boolean timeCalibration,
                            ConnectionLimits limits, Duration frameDeadline, ClockQuarantine clockQuarantine) {

    public GatewayConfig {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || frameDeadline.isNegative() || frameDeadline.isZero()) {
            throw new IllegalArgumentException("the idle timeout and the frame deadline must be positive: "
                    + idleTimeout + ", " + frameDeadline);
        }
    }

    public static GatewayConfig defaults() {
        return new Builder().build();
    }

    /**
     * A copy with some settings changed, e.g. {@code config.with(b -> b.port(0).bindAddress("127.0.0.1"))}: one builder
     * instead of a copy method per field, so a new setting is a component here and a field in {@link Builder}.
     */
    public GatewayConfig with(Consumer<Builder> changes) {
        Builder b = new Builder(this);
        changes.accept(b);
        return b.build();
    }

    /** The settings being changed; starts from the defaults or from a config ({@link #with}). */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = 9212;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private int maxDataLength = DecoderOptions.DEFAULT_MAX_DATA_LENGTH;
        private long garbageBudget = 64 * 1024;
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Function<String, CrcPolicy> crcPolicies = mn -> CrcPolicy.STANDARD;
        private boolean timeCalibration = true;
        private ConnectionLimits limits = ConnectionLimits.defaults();
        private Duration frameDeadline = Duration.ofSeconds(30);
        private ClockQuarantine clockQuarantine = new ClockQuarantine(ClockQuarantine.DEFAULT_TOLERANCE);

        private Builder() {
        }

        private Builder(GatewayConfig c) {
            bindAddress = c.bindAddress;
            port = c.port;
            idleTimeout = c.idleTimeout;
            maxDataLength = c.maxDataLength;
            garbageBudget = c.garbageBudget;
            commandTimeout = c.commandTimeout;
            crcPolicies = c.crcPolicies;
            timeCalibration = c.timeCalibration;
            limits = c.limits;
            frameDeadline = c.frameDeadline;
            clockQuarantine = c.clockQuarantine;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder maxDataLength(int v) {
            maxDataLength = v;
            return this;
        }

        public Builder garbageBudget(long v) {
            garbageBudget = v;
            return this;
        }

        public Builder commandTimeout(Duration v) {
            commandTimeout = v;
            return this;
        }

        public Builder crcPolicies(Function<String, CrcPolicy> v) {
            crcPolicies = v;
            return this;
        }

        public Builder timeCalibration(boolean v) {
            timeCalibration = v;
            return this;
        }

        public Builder limits(ConnectionLimits v) {
            limits = v;
            return this;
        }

        public Builder frameDeadline(Duration v) {
            frameDeadline = v;
            return this;
        }

        public Builder clockQuarantine(ClockQuarantine v) {
            clockQuarantine = v;
            return this;
        }

        GatewayConfig build() {
            return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                    crcPolicies, timeCalibration, limits, frameDeadline, clockQuarantine);
        }
    }

    DecoderOptions decoderOptions() {
        return new DecoderOptions(maxDataLength, crcPolicies);
    }
}
