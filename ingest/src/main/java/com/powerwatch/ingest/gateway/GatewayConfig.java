package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CrcPolicy;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.ingest.frame.ClockQuarantine;

import java.time.Duration;
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
        return new GatewayConfig("0.0.0.0", 9212, Duration.ofMinutes(10), DecoderOptions.DEFAULT_MAX_DATA_LENGTH,
                64 * 1024, Duration.ofSeconds(30), mn -> CrcPolicy.STANDARD, true,
                ConnectionLimits.defaults(), Duration.ofSeconds(30), new ClockQuarantine(ClockQuarantine.DEFAULT_TOLERANCE));
    }

    public GatewayConfig withPort(int v) {
        return new GatewayConfig(bindAddress, v, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, limits, frameDeadline, clockQuarantine);
    }

    public GatewayConfig withBindAddress(String v) {
        return new GatewayConfig(v, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, limits, frameDeadline, clockQuarantine);
    }

    public GatewayConfig withIdleTimeout(Duration v) {
        return new GatewayConfig(bindAddress, port, v, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, limits, frameDeadline, clockQuarantine);
    }

    public GatewayConfig withGarbageBudget(long v) {
        return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, v, commandTimeout,
                crcPolicies, timeCalibration, limits, frameDeadline, clockQuarantine);
    }

    public GatewayConfig withLimits(ConnectionLimits v) {
        return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, v, frameDeadline, clockQuarantine);
    }

    public GatewayConfig withFrameDeadline(Duration v) {
        return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, limits, v, clockQuarantine);
    }

    public GatewayConfig withClockQuarantine(ClockQuarantine v) {
        return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration, limits, frameDeadline, v);
    }

    DecoderOptions decoderOptions() {
        return new DecoderOptions(maxDataLength, crcPolicies);
    }
}
