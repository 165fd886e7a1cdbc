package com.powerwatch.simulator;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.powerwatch.simulator.EnterpriseModel.EPT;
import static com.powerwatch.simulator.EnterpriseModel.IA;
import static com.powerwatch.simulator.EnterpriseModel.PF;
import static com.powerwatch.simulator.EnterpriseModel.PT;
import static com.powerwatch.simulator.EnterpriseModel.UA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The electricity model and the packets built from it, checked on the wire format (no network). */
class ModelTest {

    /** A Monday, so day-shift plants work. */
    private static final LocalDateTime MONDAY = LocalDateTime.of(2026, 3, 2, 0, 0);
    private static final String[] A_FIELDS = {"Ia", "Ib", "Ic", "Ua", "Ub", "Uc", "Pt", "Qt", "PF", "Ept"};
    private static final String[] B_ITEMS = {"01", "02", "03", "10", "11", "12", "05", "06", "09", "07"};

    /** Encodes, decodes with the hj212 FrameDecoder and reads the values back per meter and field. */
    static double[][] readBack(List<Packet> packets, FactorFamily family, int meters) {
        Map<String, String> values = new HashMap<>();
        for (Packet p : packets) {
            List<DecodeResult> results = new ArrayList<>();
            new FrameDecoder().feed(FrameEncoder.encode(p), results::add);
            assertEquals(1, results.size());
            DecodeResult.Decoded d = assertInstanceOfDecoded(results.get(0));
            values.putAll(d.packet().cp().values());
        }
        double[][] out = new double[meters][EnterpriseModel.FIELDS];
        for (int m = 0; m < meters; m++) {
            String code = PacketFactory.meterCode(family, m);
            for (int f = 0; f < EnterpriseModel.FIELDS; f++) {
                String key = family == FactorFamily.A ? code + "-" + A_FIELDS[f] : code + B_ITEMS[f] + "-Rtd";
                String v = values.get(key);
                assertNotNull(v, key);
                out[m][f] = Double.parseDouble(v);
            }
        }
        return out;
    }

    private static DecodeResult.Decoded assertInstanceOfDecoded(DecodeResult r) {
        assertTrue(r instanceof DecodeResult.Decoded, () -> "rejected: " + r);
        return (DecodeResult.Decoded) r;
    }

    @Test
    void valuesArePhysicallyConsistentOverADay() {
        int treatmentFirstChecked = 0;
        for (int index = 0; index < 12; index++) {
            FactorFamily family = index % 2 == 0 ? FactorFamily.A : FactorFamily.B;
            EnterpriseModel model = new EnterpriseModel(7, index);
            PacketFactory factory = new PacketFactory(family, model.meters(), "32", "123456", "SIM", 1024);
            double[] lastEpt = null;
            double[] lastPt = null;
            double firstProduction = -1;
            double firstTreatment = -1;
            for (int minute = 0; minute < 24 * 60; minute++) {
                LocalDateTime t = MONDAY.plusMinutes(minute);
                double[][] sent = model.step(t, minute == 0 ? 0 : 60);
                double[][] r = readBack(factory.packets("2011", t, factory.realtime(sent), 1, true, () -> "20260302000000000"),
                        family, model.meters());
                double sumSub = 0;
                for (int m = 0; m < model.meters(); m++) {
                    double[] v = r[m];
                    double p3 = 0;
                    for (int ph = 0; ph < 3; ph++) {
                        assertTrue(v[UA + ph] > 198 && v[UA + ph] < 242, "phase voltage " + v[UA + ph]);
                        assertTrue(v[IA + ph] >= 0);
                        p3 += v[UA + ph] * v[IA + ph];
                    }
                    assertTrue(v[PF] >= 0 && v[PF] <= 1, "PF " + v[PF]);
                    if (v[PT] > 1) {
                        double expected = p3 * v[PF] / 1000;
                        assertEquals(expected, v[PT], v[PT] * 0.02, "P = 3·U·I·PF at " + t + " meter " + m);
                        double uLine = (v[UA] + v[UA + 1] + v[UA + 2]) / 3 * Math.sqrt(3);
                        double iAvg = (v[IA] + v[IA + 1] + v[IA + 2]) / 3;
                        assertEquals(Math.sqrt(3) * uLine * iAvg * v[PF] / 1000, v[PT], v[PT] * 0.02, "P = √3·U_L·I·PF");
                    }
                    if (m > 0) {
                        sumSub += v[PT];
                        FacilityKind kind = model.kind(m);
                        if (v[PT] > 0.5 && kind == FacilityKind.PRODUCTION && firstProduction < 0) {
                            firstProduction = minute;
                        }
                        if (v[PT] > 0.5 && kind == FacilityKind.TREATMENT && firstTreatment < 0) {
                            firstTreatment = minute;
                        }
                    }
                    if (lastEpt != null) {
                        double delta = v[EPT] - lastEpt[m];
                        assertTrue(delta >= 0, "Ept monotonic");
                        double integral = (lastPt[m] + v[PT]) / 2 / 60;
                        assertEquals(integral, delta, integral * 0.01 + 0.002, "ΔEpt = ∫Pt dt at " + t + " meter " + m);
                    }
                }
                assertTrue(r[0][PT] >= sumSub, "total covers the sub-meters");
                assertTrue(r[0][PT] < sumSub * 1.3 + 40, "total ≈ sum of sub-meters + base load");
                lastEpt = new double[model.meters()];
                lastPt = new double[model.meters()];
                for (int m = 0; m < model.meters(); m++) {
                    lastEpt[m] = r[m][EPT];
                    lastPt[m] = r[m][PT];
                }
            }
            if (model.shift() != ShiftPattern.CONTINUOUS) {
                assertTrue(firstProduction > 0 && firstTreatment > 0, "both run on a Monday");
                assertTrue(firstTreatment < firstProduction,
                        "treatment (" + firstTreatment + ") starts before production (" + firstProduction + ")");
                treatmentFirstChecked++;
            }
        }
        assertTrue(treatmentFirstChecked > 0, "some enterprises work in shifts");
    }

    @Test
    void splitPacketsAreSelfContained() {
        EnterpriseModel model = new EnterpriseModel(3, 1);
        PacketFactory factory = new PacketFactory(FactorFamily.B, model.meters(), "80", "123456", "SIM00003000000000000001", 400);
        LocalDateTime t = MONDAY.plusHours(10);
        int[] qn = {0};
        List<Packet> packets = factory.packets("2011", t, factory.realtime(model.step(t, 0)), 1, true,
                () -> String.format("20260302100000%03d", qn[0]++));
        assertTrue(packets.size() > 1, "family B of several meters does not fit 400 bytes");
        Set<String> qns = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Packet p : packets) {
            byte[] frame = FrameEncoder.encode(p);
            List<DecodeResult> results = new ArrayList<>();
            new FrameDecoder().feed(frame, results::add);
            Packet d = assertInstanceOfDecoded(results.get(0)).packet();
            assertTrue(frame.length - 12 <= 400, "data segment within the maximum");
            assertEquals(7, d.flag(), "2017 + split + ack");
            assertEquals(packets.size(), d.pnum());
            assertEquals(packets.indexOf(p) + 1, d.pno());
            assertEquals("20260302100000", d.cp().dataTime(), "each sub-packet carries its DataTime");
            assertTrue(qns.add(d.qn()), "own QN per sub-packet");
            for (String key : d.cp().values().keySet()) {
                String code = key.substring(0, key.lastIndexOf('-'));
                assertTrue(d.cp().values().containsKey(code + "-Rtd") && d.cp().values().containsKey(code + "-Flag"),
                        "factor " + code + " complete in one sub-packet");
                assertTrue(keys.add(key), "no item in two sub-packets");
            }
        }
        Set<String> expected = new HashSet<>();
        for (int m = 0; m < model.meters(); m++) {
            expected.addAll(PacketFactory.realtimeKeys(FactorFamily.B, m));
        }
        assertEquals(expected, keys, "the sub-packets together carry every item");
    }

    @Test
    void sameSeedGivesSameValuesOtherSeedDoesNot() {
        List<String> a = firstSegments(11);
        List<String> b = firstSegments(11);
        List<String> c = firstSegments(12);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertFalse(a.isEmpty());
    }

    private static List<String> firstSegments(long seed) {
        List<String> out = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            EnterpriseModel model = new EnterpriseModel(seed, index);
            PacketFactory factory = new PacketFactory(FactorFamily.A, model.meters(), "32", "123456", "SIM", 1024);
            for (int minute = 0; minute < 5; minute++) {
                LocalDateTime t = MONDAY.plusHours(9).plusMinutes(minute);
                for (Packet p : factory.packets("2011", t, factory.realtime(model.step(t, 60)), 1, true, () -> "1")) {
                    out.add(p.toDataSegment());
                }
            }
        }
        return out;
    }

    @Test
    void minuteAggregatesCarryAvgMinMaxAndEnergy() {
        EnterpriseModel model = new EnterpriseModel(5, 0);
        PacketFactory factory = new PacketFactory(FactorFamily.A, model.meters(), "32", "123456", "SIM", 9999);
        History history = new History(100);
        for (int minute = 0; minute < 30; minute++) {
            LocalDateTime t = MONDAY.plusHours(10).plusMinutes(minute);
            history.add(t, model.step(t, 60));
        }
        List<History.Period> periods = history.periods(MONDAY.plusHours(10).plusMinutes(10), MONDAY.plusHours(10).plusMinutes(10), 600);
        assertEquals(1, periods.size());
        History.Period period = periods.get(0);
        assertEquals(10, period.records().size());
        Packet p = factory.packets("2051", period.start(), factory.aggregate(period.records(), period.before()), 1, true, () -> "1").get(0);
        Map<String, String> v = p.cp().values();
        double cou = Double.parseDouble(v.get("100000-Ept-Cou"));
        double expected = period.records().get(9)[0][EPT] - period.before()[0][EPT];
        assertEquals(expected, cou, 0.0011);
        double min = Double.parseDouble(v.get("100000-Pt-Min"));
        double avg = Double.parseDouble(v.get("100000-Pt-Avg"));
        double max = Double.parseDouble(v.get("100000-Pt-Max"));
        assertTrue(min <= avg && avg <= max);
        assertEquals("N", v.get("100000-Flag"));
    }
}
