package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.registry.CanonicalMapper;
import com.powerwatch.platform.registry.CanonicalQuantity;
import com.powerwatch.platform.registry.FactorMapping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's per-item mapping gives exactly what the registry's mapper (dictionary preview) gives. */
class CanonicalSampleTest {

    private static final FactorMapping P_AVG = new FactorMapping("t", "{ch}", "Pt-Avg", CanonicalQuantity.P, 1);
    private static final FactorMapping P_RTD = new FactorMapping("t", "{ch}", "Rtd", CanonicalQuantity.P, 0.001);
    private static final FactorMapping IA = new FactorMapping("t", "{ch}", "Ia", CanonicalQuantity.IA, 1);
    private static final FactorMapping UA = new FactorMapping("t", "{ch}", "Ua", CanonicalQuantity.UA, 1);
    private static final FactorMapping PF = new FactorMapping("t", "{ch}", "PF", CanonicalQuantity.PF, 1);
    private static final FactorMapping FLAG = new FactorMapping("t", "{ch}", "Flag", CanonicalQuantity.FLAG, 1);

    @Test
    void rtdWinsOverAvgWhateverTheFrameOrderAndRatiosFollowTheQuantity() {
        Map<String, String> frame = Map.of("01-Pt-Avg", "9", "01-Rtd", "2000", "01-Ia", "1.5", "01-Ua", "100",
                "01-PF", "0.9", "01-Flag", "F");
        List<FactorMapping> mappings = List.of(P_AVG, P_RTD, IA, UA, PF, FLAG);
        for (List<FactorMapping> order : List.of(mappings, List.of(FLAG, PF, UA, IA, P_RTD, P_AVG))) {
            CanonicalSample s = new CanonicalSample(1, 0);
            for (FactorMapping m : order) {
                s.put(m, frame.get(m.key("01")), 40, 100);
            }
            CanonicalMapper.Result expected = CanonicalMapper.map(mappings, "01", 40, 100, frame);
            for (CanonicalQuantity q : expected.values().keySet()) {
                assertEquals(expected.values().get(q), s.get(q.name()), 1e-9, q + " in order " + order);
            }
            assertEquals(2.0 * 40 * 100, s.get("P"), 1e-9, "Rtd × scale × CT × PT");
            assertEquals(60.0, s.get("IA"), 1e-9, "current × CT");
            assertEquals(10000.0, s.get("UA"), 1e-9, "voltage × PT");
            assertEquals(0.9, s.get("PF"), 1e-9, "no ratio");
            assertTrue(s.invalid(), "flag F marks the sample");
        }
    }
}
