package com.powerwatch.ingest.gateway;

import java.net.InetAddress;

/**
 * Decides whether a frame really comes from the data logger whose MN it carries: the HJ 212 access password
 * ({@code PW}) it sends in every frame, judged against what the registry holds for that MN. The platform
 * implements this from the registry; the gateway and the AMQP consumers ask it for every valid frame, on the
 * connection's event loop, so an implementation answers from memory and never blocks.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    /**
     * @param mn       the MN the frame names
     * @param password the frame's PW, or null when it has none
     * @param address  the peer's IP address; null when the frame came through a message broker (AMQP)
     */
    Verdict check(String mn, String password, InetAddress address);

    /** What became of a frame: admitted or refused, and why (the reason is traced with the frame). */
    enum Outcome {
        /** the password matched */
        VERIFIED,
        /** no matching password, but the peer's address is on the logger's allow-list */
        ADDRESS_ALLOWED,
        /** no matching password; the logger's policy accepts it with a warning (the roll-out stage) */
        WARNED,
        /** nobody registered this MN; accepted as before registration existed, unless configured otherwise */
        UNREGISTERED,
        /** refused: journaled and traced with the reason, never acknowledged, never applied */
        REJECTED;

        public boolean admitted() {
            return this != REJECTED;
        }
    }

    /** @param reason why, for the raw-message trace; null for a verified or an unregistered frame */
    record Verdict(Outcome outcome, String reason) {
        public static final Verdict VERIFIED = new Verdict(Outcome.VERIFIED, null);
        public static final Verdict UNREGISTERED = new Verdict(Outcome.UNREGISTERED, null);

        public static Verdict rejected(String reason) {
            return new Verdict(Outcome.REJECTED, reason);
        }
    }

    /** Every MN treated as unregistered: what the gateway did before devices had passwords (tests, tools). */
    DeviceAuthenticator OPEN = (mn, password, address) -> Verdict.UNREGISTERED;
}
