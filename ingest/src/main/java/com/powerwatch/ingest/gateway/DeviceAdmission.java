package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.ReceivedFrame;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Which valid frames are admitted — acknowledged, applied by the consumers, allowed to bind the MN's session:
 * those the {@link DeviceAuthenticator} accepts, from a connection that has not announced more than
 * {@code maxMnsPerConnection} distinct MNs. A refused frame is still journaled (with its verdict and reason, for
 * the raw-message trace), but nothing else happens to it.
 *
 * @param authenticator            judges each frame's PW against the registry
 * @param maxMnsPerConnection      distinct MNs one connection may carry; a frame of one more is refused and the
 *                                 connection closed (a data logger has one MN; a concentrator a few)
 * @param authFailuresBeforeClose  refused passwords on one connection after which it is closed (guessing costs a
 *                                 new connection each few tries)
 * @param sessionEviction          a registered device's session is forgotten after this long offline; an
 *                                 unregistered MN's session ends with its connection
 */
public record DeviceAdmission(DeviceAuthenticator authenticator, int maxMnsPerConnection, int authFailuresBeforeClose,
                              Duration sessionEviction) {

    /** Verdict of a frame whose device did not prove who it is. */
    public static final String AUTH_FAILED = "AUTH_FAILED";
    /** Verdict of a frame naming one MN more than its connection may carry. */
    public static final String TOO_MANY_MNS = "TOO_MANY_MNS";

    public DeviceAdmission {
        if (maxMnsPerConnection < 1 || authFailuresBeforeClose < 1) {
            throw new IllegalArgumentException("maxMnsPerConnection and authFailuresBeforeClose must be at least 1");
        }
        if (sessionEviction == null || sessionEviction.isNegative() || sessionEviction.isZero()) {
            throw new IllegalArgumentException("sessionEviction must be positive: " + sessionEviction);
        }
    }

    /** No passwords (every MN unregistered), the default limits: for tools and tests that need no registry. */
    public static DeviceAdmission open() {
        return new DeviceAdmission(DeviceAuthenticator.OPEN, 32, 5, Duration.ofDays(1));
    }

    /**
     * @param frame   the frame as journaled: unchanged, with a warning, or refused
     * @param outcome what the authenticator said (REJECTED also for the MN limit)
     * @param close   the connection should be closed after this frame is journaled
     */
    public record Result(ReceivedFrame frame, DeviceAuthenticator.Outcome outcome, boolean close) {
        public boolean admitted() {
            return outcome.admitted();
        }
    }

    /** The password check alone, for frames that come through a broker (no connection, no address). */
    public static Result authenticate(DeviceAuthenticator authenticator, ReceivedFrame frame, Packet packet, InetAddress address) {
        DeviceAuthenticator.Verdict v = authenticator.check(packet.mn(), packet.pw(), address);
        ReceivedFrame judged = switch (v.outcome()) {
            case REJECTED -> frame.refused(AUTH_FAILED, v.reason());
            case VERIFIED, UNREGISTERED -> v.reason() == null ? frame : frame.warned(v.reason());
            case ADDRESS_ALLOWED, WARNED -> frame.warned(v.reason());
        };
        return new Result(judged, v.outcome(), false);
    }

    /**
     * A sink that judges each valid frame's password before passing it on: the broker paths (AMQP 0-9-1 and 1.0)
     * have no connection of their own, so this is their admission. Refused frames still reach {@code sink}.
     */
    public static FrameSink authenticating(FrameSink sink, DeviceAuthenticator authenticator) {
        return frame -> sink.append(frame.valid() && frame.mn() != null
                ? authenticate(authenticator, frame, frame.packet(), null).frame() : frame);
    }

    /** The admission state of one TCP connection; used only on that connection's event loop. */
    Connection connection(InetAddress address) {
        return new Connection(address);
    }

    final class Connection {
        private final InetAddress address;
        private final Set<String> mns = new HashSet<>(2);
        private int authFailures;

        private Connection(InetAddress address) {
            this.address = address;
        }

        Result admit(ReceivedFrame frame, Packet packet) {
            if (!mns.contains(packet.mn()) && mns.size() >= maxMnsPerConnection) {
                return new Result(frame.refused(TOO_MANY_MNS, "本连接已报送 " + mns.size() + " 个不同的 MN，超过上限 "
                        + maxMnsPerConnection + "，连接已断开"), DeviceAuthenticator.Outcome.REJECTED, true);
            }
            Result r = authenticate(authenticator, frame, packet, address);
            if (!r.admitted()) {
                authFailures++;
                return new Result(r.frame(), r.outcome(), authFailures >= authFailuresBeforeClose);
            }
            mns.add(packet.mn());
            return r;
        }
    }
}
