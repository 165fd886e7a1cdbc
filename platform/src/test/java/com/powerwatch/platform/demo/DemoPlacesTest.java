package com.powerwatch.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo city: 5,000 enterprises get unique names and distinct coordinates inside their own district's boundary
 * (the offline base map's web/public/map/610100.json, WGS-84), and the same place again on a restart.
 */
class DemoPlacesTest {

    private static final int FLEET = 5000;

    @Test
    void fiveThousandEnterprisesHaveUniqueNamesAndDistinctPlacesInsideTheirDistrict() throws IOException {
        Map<String, List<double[][]>> boundaries = boundaries();
        assertEquals(DemoPlaces.DISTRICTS.keySet(), boundaries.keySet(), "every district of the base map has demo places");
        Set<String> names = new HashSet<>();
        Set<String> points = new HashSet<>();
        Map<String, Set<String>> industries = new HashMap<>();
        for (int i = 0; i < FLEET; i++) {
            String district = DemoRegistry.DISTRICTS[i % DemoRegistry.DISTRICTS.length];
            String industry = DemoRegistry.industry(i);
            DemoPlaces.Place p = DemoPlaces.of(district, industry, i / DemoRegistry.INDUSTRIES.length, i / DemoRegistry.DISTRICTS.length);
            assertTrue(names.add(p.name()), "unique name: " + p);
            industries.computeIfAbsent(district, d -> new HashSet<>()).add(industry);
            assertTrue(points.add(p.longitude() + "," + p.latitude()), "distinct place: " + p);
            assertTrue(inside(boundaries.get(district), p.longitude(), p.latitude()), "inside " + district + ": " + p);
            assertTrue(p.name().matches("(西安|陕西).{2}.+有限(责任)?公司") && p.address().startsWith("陕西省西安市"), p.toString());
            assertEquals(p, DemoPlaces.of(district, industry, i / DemoRegistry.INDUSTRIES.length, i / DemoRegistry.DISTRICTS.length),
                    "deterministic");
        }
        industries.forEach((d, set) -> assertEquals(DemoRegistry.INDUSTRIES.length, set.size(), "every industry in " + d));
        assertTrue(DemoPlaces.of("610102", "2641", 0, 0).name().matches("(西安|陕西)..涂料有限(责任)?公司"), DemoPlaces.of("610102", "2641", 0, 0).name());
        // districts the fleet does not use (周至县) are sane too
        for (String district : DemoPlaces.DISTRICTS.keySet()) {
            for (int k = 0; k < 600; k++) {
                DemoPlaces.Place p = DemoPlaces.of(district, "3011", k, k);
                assertTrue(inside(boundaries.get(district), p.longitude(), p.latitude()), "inside " + district + ": " + p);
            }
        }
    }

    /** Rings of each district by its code (holes and islands alike: even-odd rule). */
    private static Map<String, List<double[][]>> boundaries() throws IOException {
        JsonNode map = new ObjectMapper().readTree(Path.of("..", "web", "public", "map", "610100.json").toFile());
        Map<String, List<double[][]>> out = new HashMap<>();
        for (JsonNode f : map.get("features")) {
            JsonNode g = f.get("geometry");
            List<JsonNode> polygons = "MultiPolygon".equals(g.get("type").asText())
                    ? iterable(g.get("coordinates")) : List.of(g.get("coordinates"));
            List<double[][]> rings = new java.util.ArrayList<>();
            for (JsonNode polygon : polygons) {
                for (JsonNode ring : polygon) {
                    double[][] r = new double[ring.size()][];
                    for (int i = 0; i < ring.size(); i++) {
                        r[i] = new double[]{ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble()};
                    }
                    rings.add(r);
                }
            }
            out.put(f.get("properties").get("code").asText(), rings);
        }
        return out;
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static boolean inside(List<double[][]> rings, double x, double y) {
        boolean in = false;
        for (double[][] r : rings) {
            for (int i = 0, j = r.length - 1; i < r.length; j = i++) {
                if ((r[i][1] > y) != (r[j][1] > y) && x < (r[j][0] - r[i][0]) * (y - r[i][1]) / (r[j][1] - r[i][1]) + r[i][0]) {
                    in = !in;
                }
            }
        }
        return in;
    }
}
