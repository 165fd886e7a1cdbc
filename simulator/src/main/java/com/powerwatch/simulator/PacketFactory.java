package com.powerwatch.simulator;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DataTimes;
import com.powerwatch.hj212.Packet;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static com.powerwatch.simulator.EnterpriseModel.DECIMALS;
import static com.powerwatch.simulator.EnterpriseModel.EPT;
import static com.powerwatch.simulator.EnterpriseModel.FIELDS;
import static com.powerwatch.simulator.EnterpriseModel.STATE;

/**
 * Turns readings into HJ 212 packets of one logger's factor family, split at factor boundaries when a
 * data segment would exceed the configured length (PNUM/PNO, D bit, one QN per sub-packet).
 */
final class PacketFactory {

    /** Items that must travel in the same sub-packet (one factor code, or one meter for family A). */
    record Group(List<String> keys, List<String> values) {
        int textLength() {
            int n = keys.size(); // separators: one before the group, one between items
            for (int i = 0; i < keys.size(); i++) {
                n += keys.get(i).length() + 1 + values.get(i).length();
            }
            return n;
        }
    }

    /** Field names of family A, in EnterpriseModel field order. */
    private static final String[] A_FIELDS = {"Ia", "Ib", "Ic", "Ua", "Ub", "Uc", "Pt", "Qt", "PF", "Ept"};
    /** Family B sends items in item-number order: Ia, Ib, Ic, P, Q, Ept, PF, Ua, Ub, Uc. */
    private static final int[] B_ORDER = {0, 1, 2, 6, 7, 9, 8, 3, 4, 5};
    private static final String[] B_ITEMS = {"01", "02", "03", "10", "11", "12", "05", "06", "09", "07"};
    private static final String NORMAL = "N";

    private final FactorFamily family;
    private final String st;
    private volatile String pw;
    private final String mn;
    private final int maxDataLength;
    private final String[] meterCodes;

    /** The access password (PW) written from now on. */
    void password(String newPw) {
        pw = newPw;
    }

    PacketFactory(FactorFamily family, int meters, String st, String pw, String mn, int maxDataLength) {
        this.family = family;
        this.st = st;
        this.pw = pw;
        this.mn = mn;
        this.maxDataLength = maxDataLength;
        this.meterCodes = new String[meters];
        for (int m = 0; m < meters; m++) {
            meterCodes[m] = meterCode(family, m);
        }
    }

    /** Family A: 100000 (total), 100001...; family B: ea300101 (total), ea300102... (append the 2-digit item). */
    static String meterCode(FactorFamily family, int meter) {
        return family == FactorFamily.A ? Integer.toString(100000 + meter)
                : "ea3001" + (meter + 1 < 10 ? "0" : "") + (meter + 1);
    }

    /** The code-field keys of one meter in a real-time packet. */
    static List<String> realtimeKeys(FactorFamily family, int meter) {
        String code = meterCode(family, meter);
        List<String> keys = new ArrayList<>();
        if (family == FactorFamily.A) {
            for (String f : A_FIELDS) {
                keys.add(code + "-" + f);
            }
            keys.add(code + "-Flag");
        } else {
            for (int i = 0; i < FIELDS; i++) {
                keys.add(code + B_ITEMS[B_ORDER[i]] + "-Rtd");
                keys.add(code + B_ITEMS[B_ORDER[i]] + "-Flag");
            }
        }
        return keys;
    }

    /** Whether a reading's meter is left out of the frames (meter offline). */
    static boolean omitted(double[] reading) {
        return reading.length > STATE && reading[STATE] == Effect.STATE_OMIT;
    }

    /** The Flag of a reading: N, or the flag an injected invalid-data effect set (D, F ...). */
    static String flag(double[] reading) {
        if (reading.length <= STATE || reading[STATE] == Effect.STATE_NORMAL || reading[STATE] == Effect.STATE_OMIT) {
            return NORMAL;
        }
        return String.valueOf((char) reading[STATE]);
    }

    /** The item groups of a CN=2011 real-time packet (meters marked offline are left out). */
    List<Group> realtime(double[][] readings) {
        List<Group> groups = new ArrayList<>();
        for (int m = 0; m < readings.length; m++) {
            double[] r = readings[m];
            if (omitted(r)) {
                continue;
            }
            String flag = flag(r);
            String code = meterCodes[m];
            if (family == FactorFamily.A) {
                List<String> keys = new ArrayList<>(FIELDS + 1);
                List<String> values = new ArrayList<>(FIELDS + 1);
                for (int f = 0; f < FIELDS; f++) {
                    keys.add(code + "-" + A_FIELDS[f]);
                    values.add(Numbers.fixed(r[f], DECIMALS[f]));
                }
                keys.add(code + "-Flag");
                values.add(flag);
                groups.add(new Group(keys, values));
            } else {
                for (int i = 0; i < FIELDS; i++) {
                    int f = B_ORDER[i];
                    String c = code + B_ITEMS[f];
                    groups.add(new Group(List.of(c + "-Rtd", c + "-Flag"), List.of(Numbers.fixed(r[f], DECIMALS[f]), flag)));
                }
            }
        }
        return groups;
    }

    /**
     * The item groups of a 2051/2061/2031 packet over {@code period} real-time records: -Avg/-Min/-Max of every
     * quantity, and for energy -Cou (kWh in the period) and -Max (the register at the period's end). Records in
     * which a meter was offline are left out of its statistics (a meter offline for the whole period is left out);
     * a flagged record gives the aggregate its flag.
     *
     * @param before the record just before the period (for the energy difference), or null
     */
    List<Group> aggregate(List<double[][]> period, double[][] before) {
        List<Group> groups = new ArrayList<>();
        int meters = period.get(0).length;
        for (int m = 0; m < meters; m++) {
            double[] avg = new double[FIELDS];
            double[] min = new double[FIELDS];
            double[] max = new double[FIELDS];
            java.util.Arrays.fill(min, Double.MAX_VALUE);
            java.util.Arrays.fill(max, -Double.MAX_VALUE);
            List<double[]> present = new ArrayList<>(period.size());
            String flag = NORMAL;
            for (double[][] rec : period) {
                if (!omitted(rec[m])) {
                    present.add(rec[m]);
                    if (!flag(rec[m]).equals(NORMAL)) {
                        flag = flag(rec[m]);
                    }
                }
            }
            if (present.isEmpty()) {
                continue;
            }
            for (double[] r : present) {
                for (int f = 0; f < FIELDS; f++) {
                    double v = r[f];
                    avg[f] += v / present.size();
                    min[f] = Math.min(min[f], v);
                    max[f] = Math.max(max[f], v);
                }
            }
            double first = before != null ? before[m][EPT] : present.get(0)[EPT];
            double cou = Math.max(0, present.get(present.size() - 1)[EPT] - first);
            String code = meterCodes[m];
            if (family == FactorFamily.A) {
                List<String> keys = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (int f = 0; f < FIELDS; f++) {
                    String c = code + "-" + A_FIELDS[f];
                    addStats(keys, values, c, f, avg, min, max, cou);
                }
                keys.add(code + "-Flag");
                values.add(flag);
                groups.add(new Group(keys, values));
            } else {
                for (int i = 0; i < FIELDS; i++) {
                    int f = B_ORDER[i];
                    String c = code + B_ITEMS[f];
                    List<String> keys = new ArrayList<>();
                    List<String> values = new ArrayList<>();
                    addStats(keys, values, c, f, avg, min, max, cou);
                    keys.add(c + "-Flag");
                    values.add(flag);
                    groups.add(new Group(keys, values));
                }
            }
        }
        return groups;
    }

    private static void addStats(List<String> keys, List<String> values, String c, int f, double[] avg, double[] min,
                                 double[] max, double cou) {
        int dec = DECIMALS[f];
        if (f == EPT) {
            keys.add(c + "-Cou");
            values.add(Numbers.fixed(cou, dec));
            keys.add(c + "-Max");
            values.add(Numbers.fixed(max[f], dec));
        } else {
            keys.add(c + "-Avg");
            values.add(Numbers.fixed(avg[f], dec));
            keys.add(c + "-Min");
            values.add(Numbers.fixed(min[f], dec));
            keys.add(c + "-Max");
            values.add(Numbers.fixed(max[f], dec));
        }
    }

    /**
     * Packs groups into one packet, or into several self-contained sub-packets (each with DataTime, whole
     * groups, its own QN, PNUM/PNO and the D bit) when one would exceed the maximum data length.
     */
    List<Packet> packets(String cn, LocalDateTime dataTime, List<Group> groups, int versionBits, boolean ack,
                         Supplier<String> qns) {
        String time = DataTimes.format14(dataTime);
        int baseFlag = (versionBits << 2) | (ack ? Packet.FLAG_ACK : 0);
        int plain = headerLength(cn, time, baseFlag, false);
        int total = plain;
        for (Group g : groups) {
            total += g.textLength();
        }
        List<List<Group>> chunks = new ArrayList<>();
        if (total <= maxDataLength) {
            chunks.add(groups);
        } else {
            int header = headerLength(cn, time, baseFlag | Packet.FLAG_SPLIT, true);
            List<Group> current = new ArrayList<>();
            int length = header;
            for (Group g : groups) {
                int n = g.textLength();
                if (!current.isEmpty() && length + n > maxDataLength) {
                    chunks.add(current);
                    current = new ArrayList<>();
                    length = header;
                }
                current.add(g);
                length += n;
            }
            chunks.add(current);
        }
        boolean split = chunks.size() > 1;
        List<Packet> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Cp.Builder cp = Cp.builder().dataTime(time);
            for (Group g : chunks.get(i)) {
                for (int k = 0; k < g.keys.size(); k++) {
                    String key = g.keys.get(k);
                    int dash = key.lastIndexOf('-');
                    cp.value(key.substring(0, dash), key.substring(dash + 1), g.values.get(k));
                }
            }
            out.add(Packet.of(qns.get(), st, cn, pw, mn, split ? baseFlag | Packet.FLAG_SPLIT : baseFlag,
                    split ? chunks.size() : null, split ? i + 1 : null, cp.build()));
        }
        return out;
    }

    /** Length of the data segment with no items: QN is 17 digits; PNUM/PNO sized for up to 999 parts. */
    private int headerLength(String cn, String time, int flag, boolean split) {
        Packet p = Packet.of("00000000000000000", st, cn, pw, mn, flag, split ? 999 : null, split ? 999 : null,
                Cp.builder().dataTime(time).build());
        return p.toDataSegment().getBytes(StandardCharsets.UTF_8).length;
    }
}
