package com.powerwatch.platform.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credit codes, coordinates and the canonical mapper: the pure helpers. */
class RegistryValidationTest {

    // codes published by their companies (web site footers, privacy notices), found in public repositories
    private static final List<String> PUBLISHED = List.of("91440300MA5H0HLK5U", "91133100MA0D8N1J7G", "9131011877976576X6",
            "91310000332725243Y", "91310000MAERED2X1W");

    @Test
    void publishedCreditCodesPass() {
        for (String code : PUBLISHED) {
            assertNull(CreditCode.problem(code), code);
            assertEquals(code.charAt(17), CreditCode.checkCharacter(code.substring(0, 17)), code);
            assertEquals(code, CreditCode.normalize(code.toLowerCase()), "lower case is accepted");
        }
    }

    @Test
    void everySingleCharacterChangeIsCaught() {
        String code = PUBLISHED.get(0);
        for (int i = 0; i < 18; i++) {
            for (char c : CreditCode.ALPHABET.toCharArray()) {
                if (c == code.charAt(i)) {
                    continue;
                }
                String changed = code.substring(0, i) + c + code.substring(i + 1);
                assertNotNull(CreditCode.problem(changed), changed);
            }
        }
    }

    @Test
    void badCreditCodesSayWhy() {
        assertTrue(CreditCode.problem("9131000033272524").contains("须为18位"));
        assertTrue(CreditCode.problem("91310000332725243I").contains("“I”"));
        assertTrue(CreditCode.problem("O1310000332725243Y").contains("第 1 位"));
        assertTrue(CreditCode.problem("91310000332725243Z").contains("不允许"));
        assertTrue(CreditCode.problem("91310000332725243X").contains("校验位应为“Y”"));
        assertNull(CreditCode.normalize(null));
        assertNull(CreditCode.normalize("91310000332725243S"));
    }

    @Test
    void gcj02ForwardMatchesPublishedValues() {
        // reference values from the coordtransform test suites (hutool CoordinateUtilTest; geoToolbox)
        Coordinates.Point g = Coordinates.wgs84ToGcj02(116.404, 39.915);
        assertEquals(116.41024449916938, g.longitude(), 1e-9);
        assertEquals(39.91640428150164, g.latitude(), 1e-9);
        Coordinates.Point h = Coordinates.wgs84ToGcj02(116.0, 40.0);
        assertEquals(116.006141221789, h.longitude(), 1e-7); // that suite's own tolerance
        assertEquals(40.001213650174, h.latitude(), 1e-7);
    }

    @Test
    void gcj02RoundTripsAndLeavesForeignPointsAlone() {
        double[][] points = {{108.9398, 34.3416}, {116.404, 39.915}, {121.4737, 31.2304}, {87.6168, 43.8256}, {110.35, 20.02}};
        for (double[] p : points) {
            Coordinates.Point gcj = Coordinates.wgs84ToGcj02(p[0], p[1]);
            assertTrue(Math.abs(gcj.longitude() - p[0]) > 1e-4, "China has an offset");
            Coordinates.Point back = Coordinates.gcj02ToWgs84(gcj.longitude(), gcj.latitude());
            assertEquals(p[0], back.longitude(), 1e-7);
            assertEquals(p[1], back.latitude(), 1e-7);
        }
        Coordinates.Point paris = Coordinates.toWgs84(Coordinates.System.GCJ02, 2.3522, 48.8566);
        assertEquals(2.3522, paris.longitude(), 0);
        assertEquals(48.8566, paris.latitude(), 0);
        assertEquals(108.9, Coordinates.toWgs84(Coordinates.System.WGS84, 108.9, 34.3).longitude(), 0);
    }

    private static List<FactorMapping> elecA() {
        return List.of(
                new FactorMapping("elec-a", "{ch}", "Ia", CanonicalQuantity.IA, 1),
                new FactorMapping("elec-a", "{ch}-Ia", "Avg", CanonicalQuantity.IA, 1),
                new FactorMapping("elec-a", "{ch}", "Ua", CanonicalQuantity.UA, 1),
                new FactorMapping("elec-a", "{ch}", "Pt", CanonicalQuantity.P, 1),
                new FactorMapping("elec-a", "{ch}", "PF", CanonicalQuantity.PF, 1),
                new FactorMapping("elec-a", "{ch}", "Ept", CanonicalQuantity.E, 1),
                new FactorMapping("elec-a", "{ch}", "Flag", CanonicalQuantity.FLAG, 1));
    }

    @Test
    void mapperAppliesCtPtAndScale() {
        Map<String, String> cp = Map.of("100001-Ia", "2.5", "100001-Ua", "100", "100001-Pt", "0.4", "100001-PF", "0.9",
                "100001-Ept", "12", "100001-Flag", "N", "100000-Ia", "99");
        CanonicalMapper.Result r = CanonicalMapper.map(elecA(), "100001", 40, 100, cp);
        assertEquals(100.0, r.values().get(CanonicalQuantity.IA), 1e-9, "current × CT");
        assertEquals(10000.0, r.values().get(CanonicalQuantity.UA), 1e-9, "voltage × PT");
        assertEquals(1600.0, r.values().get(CanonicalQuantity.P), 1e-9, "power × CT × PT");
        assertEquals(48000.0, r.values().get(CanonicalQuantity.E), 1e-9, "energy × CT × PT");
        assertEquals(0.9, r.values().get(CanonicalQuantity.PF), 1e-12, "power factor untouched");
        assertEquals("N", r.flag());
        assertEquals("100001-Pt", r.sources().get(CanonicalQuantity.P));
        assertEquals(List.of("100000-Ia"), r.unmapped(), "another channel's items are not this point's");

        List<FactorMapping> watts = List.of(new FactorMapping("x", "{ch}07", "Rtd", CanonicalQuantity.P, 0.001));
        assertEquals(3.2, CanonicalMapper.map(watts, "ea300101", 1, 1, Map.of("ea30010107-Rtd", "3200")).values().get(CanonicalQuantity.P), 1e-12);
    }

    @Test
    void mapperPrefersRtdAndReportsBadNumbersAndAbnormalFlags() {
        List<FactorMapping> m = List.of(
                new FactorMapping("s", "i33201", "Cou", CanonicalQuantity.E, 1),
                new FactorMapping("s", "i33201", "Rtd", CanonicalQuantity.E, 1),
                new FactorMapping("s", "i33200", "Rtd", CanonicalQuantity.LOAD_CURRENT, 1),
                new FactorMapping("s", "{ch}01", "Flag", CanonicalQuantity.FLAG, 1),
                new FactorMapping("s", "{ch}02", "Flag", CanonicalQuantity.FLAG, 1));
        CanonicalMapper.Result r = CanonicalMapper.map(m, "ea3001", 10, 10, Map.of("i33201-Cou", "5", "i33201-Rtd", "7",
                "i33200-Rtd", "abc", "ea300101-Flag", "N", "ea300102-Flag", "D"));
        assertEquals(7.0 * 100, r.values().get(CanonicalQuantity.E), 1e-9, "Rtd wins over Cou");
        assertEquals(List.of("i33200-Rtd"), r.invalid());
        assertEquals("D", r.flag(), "an abnormal flag is not hidden by a normal one");
        assertThrows(IllegalArgumentException.class, () -> CanonicalMapper.map(m, "", 0, 1, Map.of()));
    }
}
