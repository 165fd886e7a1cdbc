package com.powerwatch.hj212;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a data segment (the text between {@code ##LLLL} and the CRC) into a {@link Packet}.
 *
 * <p>Lenient where real devices deviate (key case, key order, stray separators, missing QN/Flag/PW,
 * a missing closing {@code &&}), strict only where a packet cannot be used: no {@code CP=&&}, no MN,
 * no CN, a Flag/PNUM/PNO that is not a number, a DataTime that is not a real instant.
 */
public final class PacketParser {

    private PacketParser() {
    }

    /**
     * The outcome of reading one data segment.
     *
     * @param packet  the packet; on a rejection, as much of it as could be read (may be null)
     * @param error   null when the packet is usable
     * @param message what is wrong, naming the field and value
     */
    public record Outcome(Packet packet, RejectReason error, String message) {
        public boolean ok() {
            return error == null;
        }
    }

    public static Outcome parse(String segment) {
        List<String> warnings = null;
        int cpAt = findCp(segment);
        String header = cpAt < 0 ? segment : segment.substring(0, cpAt);

        String qn = null, st = null, cn = null, pw = null, mn = null, flagText = null, pnumText = null, pnoText = null;
        Map<String, String> extra = null;
        int n = header.length();
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && header.charAt(j) != ';' && header.charAt(j) != ',') {
                j++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0 || eq >= j) {
                String token = header.substring(i, j).trim();
                if (!token.isEmpty()) {
                    warnings = warn(warnings, "header token without '=': '" + token + "'");
                }
            } else {
                String key = trimmed(header, i, eq);
                String value = trimmed(header, eq + 1, j);
                String canonical = canonicalHeaderKey(key);
                if (canonical == null) {
                    if (extra == null) {
                        extra = new LinkedHashMap<>();
                    }
                    if (extra.putIfAbsent(key, value) != null) {
                        warnings = warn(warnings, "duplicate header key '" + key + "'");
                    }
                } else {
                    if (!canonical.equals(key)) {
                        warnings = warn(warnings, "header key '" + key + "' in non-standard case");
                    }
                    String previous;
                    switch (canonical) {
                        case "QN": previous = qn; if (qn == null) { qn = value; } break;
                        case "ST": previous = st; if (st == null) { st = value; } break;
                        case "CN": previous = cn; if (cn == null) { cn = value; } break;
                        case "PW": previous = pw; if (pw == null) { pw = value; } break;
                        case "MN": previous = mn; if (mn == null) { mn = value; } break;
                        case "Flag": previous = flagText; if (flagText == null) { flagText = value; } break;
                        case "PNUM": previous = pnumText; if (pnumText == null) { pnumText = value; } break;
                        default: previous = pnoText; if (pnoText == null) { pnoText = value; } break;
                    }
                    if (previous != null) {
                        warnings = warn(warnings, "duplicate header key '" + key + "', first value kept");
                    }
                }
            }
            i = j + 1;
        }
        if (qn != null && qn.isEmpty()) {
            qn = null;
        }
        if (st != null && st.isEmpty()) {
            st = null;
        }

        RejectReason error = null;
        String message = null;
        Integer flag = null, pnum = null, pno = null;
        try {
            flag = number("Flag", flagText, 255);
            pnum = number("PNUM", pnumText, 9999);
            pno = number("PNO", pnoText, 9999);
        } catch (IllegalArgumentException e) {
            error = RejectReason.BAD_HEADER;
            message = e.getMessage();
        }
        if (error == null && (pnum == null) != (pno == null)) {
            error = RejectReason.BAD_HEADER;
            message = pnum == null ? "PNO without PNUM" : "PNUM without PNO";
        }

        Cp cp = Cp.EMPTY;
        if (cpAt < 0) {
            if (error == null) {
                error = RejectReason.BAD_HEADER;
                message = "no 'CP=&&' data area";
            }
        } else {
            int cpStart = cpAt + 5;
            int close = segment.lastIndexOf("&&");
            int cpEnd;
            if (close < cpStart) {
                cpEnd = segment.length();
                warnings = warn(warnings, "CP data area has no closing '&&'");
            } else {
                cpEnd = close;
                if (!segment.substring(close + 2).isBlank()) {
                    warnings = warn(warnings, "text after the closing '&&': '" + segment.substring(close + 2) + "'");
                }
            }
            CpReading reading = readCp(segment, cpStart, cpEnd, warnings);
            cp = reading.cp;
            warnings = reading.warnings;
            if (error == null && cp.dataTime() != null && !DataTimes.isValid(cp.dataTime())) {
                error = RejectReason.BAD_DATATIME;
                message = "DataTime '" + cp.dataTime() + "' is not 14 or 17 digits of a real date and time";
            }
        }
        if (mn == null || mn.isEmpty()) {
            if (error == null || error == RejectReason.BAD_DATATIME) {
                error = RejectReason.MISSING_MN;
                message = mn == null ? "no MN in the header" : "MN is empty";
            }
            mn = null;
        }
        if (cn == null || cn.isEmpty()) {
            if (error == null || error == RejectReason.BAD_DATATIME) {
                error = RejectReason.MISSING_CN;
                message = cn == null ? "no CN in the header" : "CN is empty";
            }
            cn = null;
        }
        Packet packet = new Packet(qn, st, cn, pw, mn, flag, pnum, pno, extra, cp, warnings);
        return new Outcome(packet, error, message);
    }

    private record CpReading(Cp cp, List<String> warnings) {
    }

    private static CpReading readCp(String s, int from, int to, List<String> warnings) {
        String dataTime = null;
        LinkedHashMap<String, String> params = new LinkedHashMap<>(4);
        LinkedHashMap<String, String> values = new LinkedHashMap<>(64);
        int i = from;
        while (i < to) {
            int j = i;
            int eq = -1;
            char c;
            while (j < to && (c = s.charAt(j)) != ';' && c != ',') {
                if (c == '=' && eq < 0) {
                    eq = j;
                }
                j++;
            }
            if (eq < 0) {
                String token = s.substring(i, j).trim();
                if (!token.isEmpty()) {
                    warnings = warn(warnings, "CP item without '=': '" + token + "'");
                }
            } else {
                String key = trimmed(s, i, eq);
                String value = trimmed(s, eq + 1, j);
                if (key.indexOf('-') > 0) {
                    if (values.putIfAbsent(key, value) != null) {
                        warnings = warn(warnings, "duplicate item '" + key + "', first value kept");
                    }
                } else if (key.equalsIgnoreCase("DataTime")) {
                    if (dataTime == null) {
                        dataTime = value;
                    } else {
                        warnings = warn(warnings, "duplicate DataTime, first value kept");
                    }
                } else if (key.isEmpty()) {
                    warnings = warn(warnings, "CP item without a name: '" + s.substring(i, j) + "'");
                } else if (params.putIfAbsent(key, value) != null) {
                    warnings = warn(warnings, "duplicate parameter '" + key + "', first value kept");
                }
            }
            i = j + 1;
        }
        return new CpReading(new Cp(dataTime, FrozenMap.adopt(params), FrozenMap.adopt(values)), warnings);
    }

    /** Index of {@code CP=&&} (the key in any case), or -1. */
    static int findCp(String s) {
        int at = s.indexOf("CP=&&");
        if (at >= 0) {
            return at;
        }
        for (int i = 0; i + 5 <= s.length(); i++) {
            if (s.regionMatches(true, i, "CP=&&", 0, 5)) {
                return i;
            }
        }
        return -1;
    }

    private static String canonicalHeaderKey(String key) {
        switch (key) {
            case "QN": case "ST": case "CN": case "PW": case "MN": case "Flag": case "PNUM": case "PNO":
                return key;
            default:
                break;
        }
        for (String k : new String[] {"QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"}) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        return null;
    }

    private static Integer number(String name, String text, int max) {
        if (text == null) {
            return null;
        }
        int v = 0;
        if (text.isEmpty() || text.length() > 6) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a number 0.." + max);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(name + " '" + text + "' is not a number 0.." + max);
            }
            v = v * 10 + (c - '0');
        }
        if (v > max) {
            throw new IllegalArgumentException(name + " " + v + " is out of range 0.." + max);
        }
        return v;
    }

    private static String trimmed(String s, int from, int to) {
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        return s.substring(from, to);
    }

    private static List<String> warn(List<String> warnings, String w) {
        List<String> out = warnings == null ? new ArrayList<>(2) : warnings;
        out.add(w);
        return out;
    }
}
