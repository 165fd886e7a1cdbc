package com.powerwatch.ingest.gateway;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two clocks of one connection, on its event loop: a frame whose first bytes have arrived must complete within
 * the frame deadline (a peer that trickles a frame byte by byte would otherwise hold the connection forever), and a
 * valid frame must come at least once per idle timeout (bytes that never make a frame do not keep a connection
 * open). One timer per connection, re-armed lazily: it fires at the earlier of the two ends and looks again.
 */
final class ReadDeadlines {

    /** Why a connection was closed. */
    enum Expiry { SLOW_FRAME, IDLE }

    interface OnExpiry {
        void expired(Expiry why);
    }

    private final Channel channel;
    private final long frameDeadline;
    private final long idleTimeout;
    private final OnExpiry onExpiry;
    /** nanoTime when the frame now pending started arriving; -1 when nothing is pending. */
    private long pendingSince = -1;
    private long lastValid;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private boolean stopped;

    ReadDeadlines(Channel channel, Duration frameDeadline, Duration idleTimeout, OnExpiry onExpiry) {
        this.channel = channel;
        this.frameDeadline = frameDeadline.toNanos();
        this.idleTimeout = idleTimeout.toNanos();
        this.onExpiry = onExpiry;
    }

    void start() {
        lastValid = System.nanoTime();
        arm(lastValid + idleTimeout);
    }

    /**
     * After the decoder took a read: {@code framePending} when it holds the start of a frame, {@code completed} when
     * the read finished anything (the pending bytes are then a new frame), {@code valid} when a valid frame came.
     */
    void afterRead(boolean framePending, boolean completed, boolean valid) {
        long now = System.nanoTime();
        if (valid) {
            lastValid = now;
        }
        if (!framePending) {
            pendingSince = -1;
        } else if (pendingSince < 0 || completed) {
            pendingSince = now;
            arm(now + frameDeadline);
        }
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void arm(long at) {
        if (stopped || (timer != null && !timer.isDone() && timerAt <= at)) {
            return; // the earlier timer looks again when it fires
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        timer = channel.eventLoop().schedule(this::check, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (stopped || !channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (pendingSince >= 0 && now - pendingSince >= frameDeadline) {
            stopped = true;
            onExpiry.expired(Expiry.SLOW_FRAME);
        } else if (now - lastValid >= idleTimeout) {
            stopped = true;
            onExpiry.expired(Expiry.IDLE);
        } else {
            arm(pendingSince >= 0 ? Math.min(pendingSince + frameDeadline, lastValid + idleTimeout) : lastValid + idleTimeout);
        }
    }
}
