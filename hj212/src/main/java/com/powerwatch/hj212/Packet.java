package com.powerwatch.hj212;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HJ 212 packet: the header of the data segment and its CP data area.
 *
 * @param qn          request number (yyyyMMddHHmmssSSS), null when absent or empty (2005 devices omit it)
 * @param st          system code, e.g. "31", "32", "80", "91"; null when absent
 * @param cn          command code, never null in a decoded packet
 * @param pw          access password as written (may be empty), null when absent
 * @param mn          data logger identity, never null or empty in a decoded packet
 * @param flag        the header Flag, null when absent (then the packet is 2005, no ack, not split)
 * @param pnum        total sub-packets of a split packet, null when not split
 * @param pno         number of this sub-packet (1-based), null when not split
 * @param extraHeader header keys the standard does not define (e.g. 2025's {@code RF}), as written
 * @param cp          the data area
 * @param warnings    tolerated deviations found while reading (non-standard key case, missing closing &amp;&amp;, ...)
 */
public record Packet(String qn, String st, String cn, String pw, String mn, Integer flag, Integer pnum, Integer pno,
                     Map<String, String> extraHeader, Cp cp, List<String> warnings) {

    /** Flag bit A: the sender wants an acknowledgement. */
    public static final int FLAG_ACK = 1;
    /** Flag bit D: the packet is one part of a split packet and carries PNUM/PNO. */
    public static final int FLAG_SPLIT = 2;

    public Packet {
        extraHeader = extraHeader == null ? Map.of() : FrozenMap.copyOf(extraHeader);
        cp = cp == null ? Cp.EMPTY : cp;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A packet without extra header keys or warnings: what the server and the simulator build. */
    public static Packet of(String qn, String st, String cn, String pw, String mn, Integer flag, Integer pnum, Integer pno, Cp cp) {
        return new Packet(qn, st, cn, pw, mn, flag, pnum, pno, Map.of(), cp, List.of());
    }

    public Hj212Version version() {
        return Hj212Version.ofFlag(flag);
    }

    /** The raw V5..V0 bits of the Flag (0 when there is no Flag): what replies mirror. */
    public int versionBits() {
        return flag == null ? 0 : flag >>> 2;
    }

    /** Whether the sender asked for an acknowledgement (Flag bit A). */
    public boolean ackRequested() {
        return flag != null && (flag & FLAG_ACK) != 0;
    }

    /** Whether this is one sub-packet of a split packet (PNUM/PNO present, with or without the D bit). */
    public boolean split() {
        return pnum != null;
    }

    /** The data segment text: what goes between {@code ##LLLL} and the CRC. */
    public String toDataSegment() {
        StringBuilder sb = new StringBuilder(96);
        append(sb, "QN", qn);
        append(sb, "ST", st);
        append(sb, "CN", cn);
        append(sb, "PW", pw);
        append(sb, "MN", mn);
        append(sb, "Flag", flag == null ? null : flag.toString());
        append(sb, "PNUM", pnum == null ? null : pnum.toString());
        append(sb, "PNO", pno == null ? null : pno.toString());
        for (Map.Entry<String, String> e : extraHeader.entrySet()) {
            append(sb, e.getKey(), e.getValue());
        }
        return sb.append("CP=&&").append(cp.toText()).append("&&").toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(key).append('=').append(value).append(';');
        }
    }

    /** The same packet with another CP, e.g. to build one sub-packet of a split upload. */
    public Packet withCp(Cp newCp) {
        return new Packet(qn, st, cn, pw, mn, flag, pnum, pno, extraHeader, newCp, warnings);
    }

    @Override
    public String toString() {
        return toDataSegment();
    }

    /** Equality of what was said, ignoring reading warnings (so a packet equals its built original). */
    public boolean sameContent(Packet other) {
        return other != null && Objects.equals(qn, other.qn) && Objects.equals(st, other.st) && Objects.equals(cn, other.cn)
                && Objects.equals(pw, other.pw) && Objects.equals(mn, other.mn) && Objects.equals(flag, other.flag)
                && Objects.equals(pnum, other.pnum) && Objects.equals(pno, other.pno)
                && extraHeader.equals(other.extraHeader) && cp.equals(other.cp);
    }
}
