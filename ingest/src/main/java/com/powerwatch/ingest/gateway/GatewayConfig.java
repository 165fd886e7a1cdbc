package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CrcPolicy;
import com.powerwatch.hj212.DecoderOptions;

import java.time.Duration;
import java.util.function.Function;

/**
 * Settings of the HJ 212 TCP gateway.
 *
 * @param bindAddress    address to listen on ("0.0.0.0" for all)
 * @param port           TCP port (0 = any free port, for tests)
 * @param idleTimeout    a connection with no bytes for this long is closed (loggers send at least every few minutes)
 * @param maxDataLength  largest data segment accepted (bytes)
 * @param garbageBudget  bytes of rejected input allowed since the last valid frame before the peer is dropped
 * @param commandTimeout how long to wait for a device's 9011/9012 answers to a server command
 * @param crcPolicies    CRC policy per MN (operators accept odd devices one by one)
 * @param timeCalibration answer a 1013 time request with 9013 and then a 1012 carrying the server's time
 */
public record GatewayConfig(String bindAddress, int port, Duration idleTimeout, int maxDataLength, long garbageBudget,
                            Duration commandTimeout, Function<String, CrcPolicy> crcPolicies, boolean timeCalibration) {

    public static GatewayConfig defaults() {
        return new GatewayConfig("0.0.0.0", 9212, Duration.ofMinutes(10), DecoderOptions.DEFAULT_MAX_DATA_LENGTH,
                64 * 1024, Duration.ofSeconds(30), mn -> CrcPolicy.STANDARD, true);
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(bindAddress, newPort, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration);
    }

    public GatewayConfig withBindAddress(String address) {
        return new GatewayConfig(address, port, idleTimeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration);
    }

    public GatewayConfig withIdleTimeout(Duration timeout) {
        return new GatewayConfig(bindAddress, port, timeout, maxDataLength, garbageBudget, commandTimeout,
                crcPolicies, timeCalibration);
    }

    public GatewayConfig withGarbageBudget(long bytes) {
        return new GatewayConfig(bindAddress, port, idleTimeout, maxDataLength, bytes, commandTimeout,
                crcPolicies, timeCalibration);
    }

    DecoderOptions decoderOptions() {
        return new DecoderOptions(maxDataLength, crcPolicies);
    }
}
