package com.powerwatch.hj212;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Packets the server sends: acknowledgements (9014, 9013) and the commands of HJ 212 Appendix C.
 * Every command mirrors the device's version bits in its Flag, so a 2005 device is spoken to as
 * 2005, a 2025 device as 2025.
 */
public final class ServerCommands {

    public static final String ST_SYSTEM = "91";
    public static final String CN_REQUEST_RESPONSE = "9011";
    public static final String CN_EXECUTION_RESULT = "9012";
    public static final String CN_NOTIFICATION_RESPONSE = "9013";
    public static final String CN_DATA_RESPONSE = "9014";

    /** Device-initiated notifications answered with 9013: time request, 2025 heartbeat, key request, hardware serial. */
    public static final Set<String> NOTIFICATIONS = Set.of("1013", "9015", "1014", "1001");
    /** Answers and acknowledgements: never acknowledged themselves. */
    private static final Set<String> RESPONSES = Set.of("9011", "9012", "9013", "9014");
    /** History requests the server may send to back-fill gaps: daily, daily running time, minute, hourly. */
    public static final Set<String> HISTORY_CNS = Set.of("2031", "2041", "2051", "2061");
    private static final Set<Integer> MINUTE_INTERVALS = Set.of(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30);

    private ServerCommands() {
    }

    /**
     * Who a command goes to, as learned from the device's own packets.
     *
     * @param mn          the data logger
     * @param pw          its password (echoed back)
     * @param st          its system code (commands carry the device's ST, replies ST=91)
     * @param versionBits the V5..V0 bits the device speaks (0 = 2005, 1 = 2017, 2 = 2025)
     */
    public record Target(String mn, String pw, String st, int versionBits) {
        public static Target of(Packet packet) {
            return new Target(packet.mn(), packet.pw(), packet.st(), packet.versionBits());
        }
    }

    /** The reply a received packet calls for: 9013 to a notification, 9014 to anything else with the A bit; none to answers. */
    public static Optional<Packet> replyTo(Packet received) {
        String cn = received.cn();
        if (RESPONSES.contains(cn)) {
            return Optional.empty();
        }
        if (NOTIFICATIONS.contains(cn)) {
            return Optional.of(notificationAck(received));
        }
        return received.ackRequested() ? Optional.of(dataAck(received)) : Optional.empty();
    }

    /** 9014 data response: same QN, PW, MN; ST=91; Flag = the device's version bits only. */
    public static Packet dataAck(Packet upload) {
        return reply(upload, CN_DATA_RESPONSE);
    }

    /** 9013 notification response, e.g. to a 1013 time request or a 9015 heartbeat. */
    public static Packet notificationAck(Packet notification) {
        return reply(notification, CN_NOTIFICATION_RESPONSE);
    }

    private static Packet reply(Packet to, String cn) {
        return Packet.of(to.qn(), ST_SYSTEM, cn, to.pw(), to.mn(), to.versionBits() << 2, null, null, Cp.EMPTY);
    }

    /** The answer to a 1013 time-calibration request: 9013 now, then 1012 with the server's time. */
    public static List<Packet> timeCalibration(Packet request, String qn, LocalDateTime serverTime) {
        String polId = request.cp().params().get("PolId");
        return List.of(notificationAck(request), setTime(Target.of(request), qn, polId, serverTime));
    }

    /** 1011: ask the device for its time ({@code polId} null for the data logger itself). */
    public static Packet getTime(Target t, String qn, String polId) {
        Cp.Builder cp = Cp.builder();
        if (polId != null) {
            cp.param("PolId", polId);
        }
        return command(t, qn, "1011", cp.build());
    }

    /** 1012: set the device's time. */
    public static Packet setTime(Target t, String qn, String polId, LocalDateTime time) {
        Cp.Builder cp = Cp.builder();
        if (polId != null) {
            cp.param("PolId", polId);
        }
        return command(t, qn, "1012", cp.param("SystemTime", DataTimes.format14(time)).build());
    }

    /** 1061: ask for the real-time data interval. */
    public static Packet getRealtimeInterval(Target t, String qn) {
        return command(t, qn, "1061", Cp.EMPTY);
    }

    /** 1062: set the real-time data interval, 30..3600 s as the standard allows. */
    public static Packet setRealtimeInterval(Target t, String qn, int seconds) {
        if (seconds < 30 || seconds > 3600) {
            throw new IllegalArgumentException("RtdInterval must be 30..3600 seconds: " + seconds);
        }
        return command(t, qn, "1062", Cp.builder().param("RtdInterval", Integer.toString(seconds)).build());
    }

    /** 1063: ask for the minute data interval. */
    public static Packet getMinuteInterval(Target t, String qn) {
        return command(t, qn, "1063", Cp.EMPTY);
    }

    /** 1064: set the minute data interval (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 minutes). */
    public static Packet setMinuteInterval(Target t, String qn, int minutes) {
        if (!MINUTE_INTERVALS.contains(minutes)) {
            throw new IllegalArgumentException("MinInterval must be one of " + MINUTE_INTERVALS + ": " + minutes);
        }
        return command(t, qn, "1064", Cp.builder().param("MinInterval", Integer.toString(minutes)).build());
    }

    /** 2011: start real-time data upload. */
    public static Packet startRealtimeUpload(Target t, String qn) {
        return command(t, qn, "2011", Cp.EMPTY);
    }

    /** 2012: stop real-time data upload. */
    public static Packet stopRealtimeUpload(Target t, String qn) {
        return command(t, qn, "2012", Cp.EMPTY);
    }

    /** 2021: start equipment running-status upload. */
    public static Packet startStatusUpload(Target t, String qn) {
        return command(t, qn, "2021", Cp.EMPTY);
    }

    /** 2022: stop equipment running-status upload. */
    public static Packet stopStatusUpload(Target t, String qn) {
        return command(t, qn, "2022", Cp.EMPTY);
    }

    /** 2031 / 2041 / 2051 / 2061: ask for stored data from {@code begin} to {@code end}, e.g. to back-fill a gap. */
    public static Packet requestHistory(Target t, String qn, String cn, LocalDateTime begin, LocalDateTime end) {
        if (!HISTORY_CNS.contains(cn)) {
            throw new IllegalArgumentException("history CN must be one of " + HISTORY_CNS + ": " + cn);
        }
        if (end.isBefore(begin)) {
            throw new IllegalArgumentException("EndTime " + end + " is before BeginTime " + begin);
        }
        return command(t, qn, cn, Cp.builder().param("BeginTime", DataTimes.format14(begin))
                .param("EndTime", DataTimes.format14(end)).build());
    }

    /** A server request: the device's ST, version bits, A bit set (the device answers 9011 and 9012). */
    public static Packet command(Target t, String qn, String cn, Cp cp) {
        return Packet.of(qn, t.st(), cn, t.pw(), t.mn(), (t.versionBits() << 2) | Packet.FLAG_ACK, null, null, cp);
    }
}
