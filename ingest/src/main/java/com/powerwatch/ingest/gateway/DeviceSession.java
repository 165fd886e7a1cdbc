package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.ServerCommands;
import io.netty.channel.Channel;

/**
 * What the gateway knows about one data logger: its connection while online and when it was last heard.
 * Mutated only on the connection's event loop; read by anyone (fields are volatile).
 */
public final class DeviceSession {

    private final String mn;
    private volatile Channel channel;
    private volatile String peer;
    private volatile long connectedAtMillis;
    private volatile long lastSeenMillis;
    private volatile long frames;
    private volatile ServerCommands.Target target;
    private volatile DeviceAuthenticator.Outcome admission;

    DeviceSession(String mn) {
        this.mn = mn;
    }

    void bind(Channel ch, String peerAddress, long now) {
        this.channel = ch;
        this.peer = peerAddress;
        this.connectedAtMillis = now;
    }

    void seen(Packet packet, long now, DeviceAuthenticator.Outcome outcome) {
        lastSeenMillis = now;
        admission = outcome;
        frames++;
        if (!packet.cn().startsWith("90") || target == null) {
            target = ServerCommands.Target.of(packet);
        }
    }

    void unbind(Channel ch) {
        if (channel == ch) {
            channel = null;
        }
    }

    /** How its latest frame was admitted: password verified, allowed by address, warned, or unregistered MN. */
    public DeviceAuthenticator.Outcome admission() {
        return admission;
    }

    public String mn() {
        return mn;
    }

    public boolean online() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    Channel channel() {
        return channel;
    }

    public String peer() {
        return peer;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    public long frames() {
        return frames;
    }

    /** How to address commands to this device (its PW, ST and version), or null before its first frame. */
    public ServerCommands.Target target() {
        return target;
    }
}
