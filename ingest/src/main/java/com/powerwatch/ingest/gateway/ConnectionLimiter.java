package com.powerwatch.ingest.gateway;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a new connection while the caps of {@link ConnectionLimits} allow it; a refused one is closed before any
 * handler reads from it (so a flood of connections costs no decoder, no trace record, no journal write) and counted.
 * An admitted connection gives its place back when it closes.
 */
final class ConnectionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedOverTotal = new AtomicLong();
    private final AtomicLong refusedOverAddressCap = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionLimiter(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** True when the connection may stay; it is then released when it closes. False: the caller closes it. */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refused(refusedOverTotal, "the total cap " + limits.maxConnections() + " is reached", ch);
            return false;
        }
        InetAddress address = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        boolean capped = address != null && !limits.exempt().test(address);
        if (capped) {
            boolean[] taken = new boolean[1];
            perAddress.compute(address, (k, n) -> {
                int now = n == null ? 0 : n;
                if (now >= limits.maxConnectionsPerAddress()) {
                    return n;
                }
                taken[0] = true;
                return now + 1;
            });
            if (!taken[0]) {
                open.decrementAndGet();
                refused(refusedOverAddressCap, "its address has " + limits.maxConnectionsPerAddress()
                        + " connections (the cap per address)", ch);
                return false;
            }
        }
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (capped) {
                perAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
            }
        });
        return true;
    }

    /** A refusal is counted always and logged at most once a minute, so a flood does not flood the log too. */
    private void refused(AtomicLong counter, String why, Channel ch) {
        counter.incrementAndGet();
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            log.warn("refusing connection from {}: {} ({} refused over the total cap, {} over the address cap since start)",
                    ch.remoteAddress(), why, refusedOverTotal.get(), refusedOverAddressCap.get());
        }
    }

    int addresses() {
        return perAddress.size();
    }

    long refusedOverTotal() {
        return refusedOverTotal.get();
    }

    long refusedOverAddressCap() {
        return refusedOverAddressCap.get();
    }
}
