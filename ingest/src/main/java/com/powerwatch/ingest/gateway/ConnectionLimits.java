package com.powerwatch.ingest.gateway;

import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * How many TCP connections the gateway holds.
 *
 * @param maxConnections           open connections in total; beyond it a new connection is closed at once
 * @param maxConnectionsPerAddress open connections from one remote address, except the exempt ones
 * @param exempt                   addresses not capped per address (loopback, where the demo fleet and the bench
 *                                 run; a carrier NAT or APN gateway that many loggers share); the total cap still
 *                                 applies to them
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, Predicate<InetAddress> exempt) {

    public ConnectionLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1: total " + maxConnections
                    + ", per address " + maxConnectionsPerAddress);
        }
    }

    /** 15,000 in total (below the 20,000 open files a process may hold here), 100 per address, loopback exempt. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(15_000, 100, InetAddress::isLoopbackAddress);
    }
}
