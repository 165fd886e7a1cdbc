package com.powerwatch.platform.registry;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every registry API: the happy path, validation errors naming the field, 404 and 409. */
class RegistryApiIntegrationTest extends RegistryTestBase {

    @Test
    void codeListsAreSeededAndBrowsable() {
        TestRestTemplate t = as(Role.ENTERPRISE_USER, List.of(), createEnterpriseForUser());
        List<Map<String, Object>> provinces = t.exchange("/api/registry/regions", HttpMethod.GET, null, LIST).getBody();
        assertEquals(31, provinces.size());
        assertTrue(provinces.stream().anyMatch(p -> "610000".equals(p.get("code")) && "陕西省".equals(p.get("name"))));
        List<Map<String, Object>> xian = t.exchange("/api/registry/regions?parentCode=610100", HttpMethod.GET, null, LIST).getBody();
        assertTrue(xian.stream().anyMatch(d -> YANTA.equals(d.get("code")) && "雁塔区".equals(d.get("name"))));
        assertEquals("3360", t.exchange("/api/registry/industries?q=金属表面处理&level=4", HttpMethod.GET, null, LIST).getBody().get(0).get("code"));
        List<Map<String, Object>> children = t.exchange("/api/registry/industries/301/children", HttpMethod.GET, null, LIST).getBody();
        assertEquals(List.of("3011", "3012"), children.stream().map(c -> c.get("code")).toList());
        assertEquals(20, t.exchange("/api/registry/industries?level=1", HttpMethod.GET, null, LIST).getBody().size());
        assertEquals(404, call(t, HttpMethod.GET, "/api/registry/industries/9999", null).getStatusCode().value());
        // only admin and operator maintain code lists
        Map<String, Object> region = Map.of("code", "619801", "name", "测试新区", "level", 3, "parentCode", "610100");
        assertEquals(403, call(t, HttpMethod.POST, "/api/registry/regions", region).getStatusCode().value());
        TestRestTemplate op = as(Role.OPERATOR, List.of(), null);
        assertEquals("测试新区", ok(call(op, HttpMethod.POST, "/api/registry/regions", region), 201).get("name"));
        assertEquals(409, call(op, HttpMethod.POST, "/api/registry/regions", region).getStatusCode().value());
        Map<String, Object> bad = ok(call(op, HttpMethod.POST, "/api/registry/regions", Map.of("code", "619802", "name", "x", "level", 3, "parentCode", "610000")), 400);
        assertEquals("parentCode", bad.get("field"));
    }

    private Long createEnterpriseForUser() {
        return createEnterprise(admin(), YANTA);
    }

    @Test
    void enterpriseLifecycleWithConversionAndValidation() {
        TestRestTemplate t = admin();
        Map<String, Object> body = enterpriseBody(unique("西安涂装"), YANTA);
        body.put("creditCode", "91310000maered2x1w");
        body.put("coordinateSystem", "GCJ02");
        Coordinates.Point gcj = Coordinates.wgs84ToGcj02(108.94, 34.21);
        body.put("longitude", gcj.longitude());
        body.put("latitude", gcj.latitude());
        Map<String, Object> e = ok(call(t, HttpMethod.POST, "/api/registry/enterprises", body), 201);
        assertEquals("91310000MAERED2X1W", e.get("creditCode"), "stored upper case");
        assertEquals(108.94, ((Number) e.get("longitude")).doubleValue(), 1e-6, "GCJ-02 stored as WGS-84");
        assertEquals(34.21, ((Number) e.get("latitude")).doubleValue(), 1e-6);
        assertEquals("雁塔区", e.get("districtName"));
        assertEquals("金属表面处理及热处理加工", e.get("industryName"));
        long id = id(e);

        Map<String, Object> dup = new HashMap<>(body);
        dup.put("name", unique("另一家"));
        assertTrue(String.valueOf(ok(call(t, HttpMethod.POST, "/api/registry/enterprises", dup), 409).get("message")).contains("91310000MAERED2X1W"));

        Map<String, Object> badCode = enterpriseBody("x", YANTA);
        badCode.put("creditCode", "91310000MAERED2X1X");
        assertEquals("creditCode", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", badCode), 400).get("field"));
        assertEquals("districtCode", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody("x", "610100")), 400).get("field"),
                "a city is not a district");
        assertEquals("districtCode", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", enterpriseBody("x", "999999")), 400).get("field"));
        Map<String, Object> noName = enterpriseBody("", YANTA);
        assertEquals("name", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", noName), 400).get("field"));
        Map<String, Object> badGrade = enterpriseBody("x", YANTA);
        badGrade.put("emergencyGrade", "E");
        assertEquals("emergencyGrade", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", badGrade), 400).get("field"));
        Map<String, Object> badIndustry = enterpriseBody("x", YANTA);
        badIndustry.put("industryCode", "3369");
        assertEquals("industryCode", ok(call(t, HttpMethod.POST, "/api/registry/enterprises", badIndustry), 400).get("field"));

        body.put("name", "改名后企业" + id);
        body.put("districtCode", WEIYANG);
        assertEquals(WEIYANG, ok(call(t, HttpMethod.PUT, "/api/registry/enterprises/" + id, body), 200).get("districtCode"));
        Map<String, Object> page = ok(call(t, HttpMethod.GET, "/api/registry/enterprises?q=改名后企业" + id, null), 200);
        assertEquals(1, ((Number) page.get("total")).intValue());
        Map<String, Object> byCity = ok(call(t, HttpMethod.GET, "/api/registry/enterprises?districtCode=610100&industryCode=C&size=500&q=改名后企业" + id, null), 200);
        assertEquals(1, ((Number) byCity.get("total")).intValue(), "city code and 门类 letter select what is under them");
        assertEquals(0, ((Number) ok(call(t, HttpMethod.GET, "/api/registry/enterprises?industryCode=D&q=改名后企业" + id, null), 200).get("total")).intValue());
        assertEquals("CLOSED", ok(call(t, HttpMethod.DELETE, "/api/registry/enterprises/" + id, null), 200).get("status"));
        assertEquals(404, call(t, HttpMethod.GET, "/api/registry/enterprises/99999999", null).getStatusCode().value());
        assertEquals(404, call(t, HttpMethod.PUT, "/api/registry/enterprises/99999999", body).getStatusCode().value());
    }

    @Test
    void facilitiesLinesPointsAndAssociations() {
        TestRestTemplate t = admin();
        Fixture f = fixture(t, YANTA);
        Map<String, Object> detail = ok(call(t, HttpMethod.GET, "/api/registry/enterprises/" + f.enterpriseId(), null), 200);
        assertEquals(2, ((List<?>) detail.get("facilities")).size());
        assertEquals(1, ((List<?>) detail.get("monitoringPoints")).size());
        assertEquals(1, ((List<?>) detail.get("associations")).size());
        assertEquals(1, ((List<?>) detail.get("productionLines")).size());
        assertTrue(f.mn().matches(YANTA + "\\d{8}"), "allocated MN = district + 8 random digits: " + f.mn());
        String second = (String) ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + f.enterpriseId() + "/data-loggers", null), 201).get("mn");
        assertTrue(second.startsWith(YANTA) && !second.equals(f.mn()), "another MN of the district: " + second);
        assertEquals(409, call(t, HttpMethod.POST, "/api/registry/enterprises/" + f.enterpriseId() + "/data-loggers", Map.of("mn", second)).getStatusCode().value());
        assertEquals("mn", ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + f.enterpriseId() + "/data-loggers", Map.of("mn", "bad mn!")), 400).get("field"));

        String facilities = "/api/registry/enterprises/" + f.enterpriseId() + "/facilities";
        assertEquals("stopBelow", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x1", "kind", "PRODUCTION", "stopBelow", 9, "runAbove", 5)), 400).get("field"));
        assertEquals("abnormalBelow", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x2", "kind", "PRODUCTION", "abnormalBelow", 1)), 400).get("field"));
        assertEquals("abnormalBelow", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x3", "kind", "TREATMENT", "runAbove", 5, "abnormalBelow", 1)), 400).get("field"));
        assertEquals("runAbove", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x4", "kind", "TOTAL", "ratedKw", 10, "runAbove", 50)), 400).get("field"));
        assertEquals("kind", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x5", "kind", "OTHER")), 400).get("field"));
        assertEquals("ratedKw", ok(call(t, HttpMethod.POST, facilities, Map.of("name", "x6", "kind", "TOTAL", "ratedKw", -1)), 400).get("field"));
        assertEquals(409, call(t, HttpMethod.POST, facilities, Map.of("name", "喷涂室", "kind", "PRODUCTION")).getStatusCode().value());
        Map<String, Object> updated = ok(call(t, HttpMethod.PUT, "/api/registry/facilities/" + f.treatmentId(), Map.of("name", "活性炭吸附",
                "kind", "TREATMENT", "ratedKw", 15, "stopBelow", 0.5, "runAbove", 1.5, "abnormalBelow", 4, "thresholdQuantity", "P")), 200);
        assertEquals(4.0, ((Number) updated.get("abnormalBelow")).doubleValue());
        assertEquals(409, call(t, HttpMethod.PUT, "/api/registry/facilities/" + f.treatmentId(), Map.of("name", "活性炭吸附", "kind", "PRODUCTION")).getStatusCode().value(),
                "an associated treatment facility cannot silently become production");

        String points = "/api/registry/facilities/" + f.productionId() + "/points";
        Map<String, Object> clash = ok(call(t, HttpMethod.POST, points, Map.of("name", "重复", "mn", f.mn(), "channel", "100001", "profile", "elec-a")), 409);
        assertTrue(String.valueOf(clash.get("message")).contains("喷涂室电表"), clash.toString());
        assertEquals("profile", ok(call(t, HttpMethod.POST, points, Map.of("name", "p", "mn", f.mn(), "channel", "9", "profile", "nope")), 400).get("field"));
        long other = createEnterprise(t, YANTA);
        String foreignMn = (String) ok(call(t, HttpMethod.POST, "/api/registry/enterprises/" + other + "/data-loggers", null), 201).get("mn");
        assertEquals("mn", ok(call(t, HttpMethod.POST, points, Map.of("name", "p", "mn", foreignMn, "channel", "1", "profile", "elec-a")), 400).get("field"),
                "the MN must be a logger of the same enterprise");
        assertEquals("ctRatio", ok(call(t, HttpMethod.POST, points, Map.of("name", "p", "mn", f.mn(), "channel", "2", "profile", "elec-a", "ctRatio", 0)), 400).get("field"));
        Map<String, Object> moved = ok(call(t, HttpMethod.PUT, "/api/registry/points/" + f.pointId() + "?facilityId=" + f.treatmentId(),
                Map.of("name", "活性炭电表", "mn", f.mn(), "channel", "100002", "profile", "elec-c", "ctRatio", 30, "ptRatio", 1)), 200);
        assertEquals(f.treatmentId(), ((Number) moved.get("facilityId")).longValue());
        assertEquals("elec-c", moved.get("profile"));
        assertEquals(409, call(t, HttpMethod.DELETE, "/api/registry/data-loggers/" + f.mn(), null).getStatusCode().value(), "logger with points");

        Map<String, Object> assoc = Map.of("productionFacilityId", f.productionId(), "treatmentFacilityId", f.treatmentId());
        assertEquals(409, call(t, HttpMethod.POST, "/api/registry/associations", assoc).getStatusCode().value());
        assertEquals("treatmentFacilityId", ok(call(t, HttpMethod.POST, "/api/registry/associations",
                Map.of("productionFacilityId", f.productionId(), "treatmentFacilityId", f.productionId())), 400).get("field"));
        Map<String, Object> tol = ok(call(t, HttpMethod.PUT, "/api/registry/associations/" + f.productionId() + "/" + f.treatmentId(),
                Map.of("productionFacilityId", f.productionId(), "treatmentFacilityId", f.treatmentId(), "startLeadMinutes", 5, "stopLagMinutes", 45)), 200);
        assertEquals(45, ((Number) tol.get("stopLagMinutes")).intValue());
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/associations/" + f.productionId() + "/" + f.treatmentId(), null).getStatusCode().value());
        assertEquals(404, call(t, HttpMethod.DELETE, "/api/registry/associations/" + f.productionId() + "/" + f.treatmentId(), null).getStatusCode().value());

        assertEquals("2#线", ok(call(t, HttpMethod.PUT, "/api/registry/lines/" + f.lineId(), Map.of("name", "2#线")), 200).get("name"));
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/points/" + f.pointId(), null).getStatusCode().value());
        assertEquals(404, call(t, HttpMethod.GET, "/api/registry/points/" + f.pointId(), null).getStatusCode().value());
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/data-loggers/" + f.mn(), null).getStatusCode().value());
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/lines/" + f.lineId(), null).getStatusCode().value());
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/facilities/" + f.productionId(), null).getStatusCode().value());
        assertEquals(404, call(t, HttpMethod.GET, "/api/registry/facilities/" + f.productionId(), null).getStatusCode().value());
    }

    @Test
    void factorDictionaryProfilesAndPreview() {
        TestRestTemplate t = admin();
        List<Map<String, Object>> quantities = t.exchange("/api/registry/canonical-quantities", HttpMethod.GET, null, LIST).getBody();
        assertEquals(CanonicalQuantity.values().length, quantities.size());
        List<Map<String, Object>> profiles = t.exchange("/api/registry/factor-profiles", HttpMethod.GET, null, LIST).getBody();
        for (String code : List.of("elec-a", "elec-b", "elec-c", "elec-d", "hj212-site", "equipment-status", "hj212-fluegas", "ph")) {
            assertTrue(profiles.stream().anyMatch(p -> code.equals(p.get("code"))), code);
        }

        Map<String, Object> preview = ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles/elec-a/preview",
                Map.of("channel", "100000", "ct", 10, "cp", "DataTime=20261123100000;100000-Ia=12.5,100000-Pt=3.2,100000-Flag=N;100001-Ia=1")), 200);
        Map<String, Double> values = new HashMap<>();
        for (Object o : (List<?>) preview.get("values")) {
            Map<?, ?> v = (Map<?, ?>) o;
            values.put((String) v.get("quantity"), ((Number) v.get("value")).doubleValue());
        }
        assertEquals(125.0, values.get("IA"), 1e-9);
        assertEquals(32.0, values.get("P"), 1e-9);
        assertEquals("N", preview.get("flag"));
        assertEquals(List.of("100001-Ia"), preview.get("unmapped"));
        assertEquals("20261123100000", preview.get("dataTime"));

        Map<String, Object> site = ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles/hj212-site/preview",
                Map.of("cp", "DataTime=20261123100000;i33201-Cou=1234.5;I33400-Rtd=80")), 200);
        assertTrue(site.get("values").toString().contains("E") && site.get("values").toString().contains("1234.5"), site.toString());
        Map<String, Object> status = ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles/equipment-status/preview",
                Map.of("channel", "SB1", "cp", "DataTime=20261123100000;SB1-RS=1;SB1-RT=12.5")), 200);
        assertTrue(status.get("values").toString().contains("RUNNING_STATE"), status.toString());
        assertEquals("cp", ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles/elec-a/preview", Map.of("cp", "DataTime=2026x")), 400).get("field"));
        assertEquals(404, call(t, HttpMethod.POST, "/api/registry/factor-profiles/nope/preview", Map.of("cp", "DataTime=20261123100000")).getStatusCode().value());

        // a new vendor is data: a profile with mappings, usable at once
        String code = "vendor-" + unique("").toLowerCase();
        Map<String, Object> profile = Map.of("code", code, "name", "某厂商", "mappings", List.of(
                Map.of("codeTemplate", "{ch}", "field", "I1", "quantity", "IA"),
                Map.of("codeTemplate", "{ch}", "field", "PW", "quantity", "P", "scale", 0.001)));
        ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles", profile), 201);
        assertEquals(409, call(t, HttpMethod.POST, "/api/registry/factor-profiles", profile).getStatusCode().value());
        Map<String, Object> p2 = ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles/" + code + "/preview",
                Map.of("channel", "M1", "cp", "M1-PW=2500")), 200);
        assertTrue(p2.get("values").toString().contains("2.5"), p2.toString());
        Map<String, Object> badQuantity = Map.of("code", code + "x", "name", "x", "mappings", List.of(Map.of("codeTemplate", "{ch}", "field", "I1", "quantity", "NOPE")));
        assertEquals(400, call(t, HttpMethod.POST, "/api/registry/factor-profiles", badQuantity).getStatusCode().value());
        Map<String, Object> twice = Map.of("code", code + "y", "name", "x", "mappings", List.of(Map.of("codeTemplate", "{ch}", "field", "I1", "quantity", "IA"),
                Map.of("codeTemplate", "{ch}", "field", "I1", "quantity", "IB")));
        assertEquals("mappings[1]", ok(call(t, HttpMethod.POST, "/api/registry/factor-profiles", twice), 400).get("field"));
        assertEquals(1, ((List<?>) ok(call(t, HttpMethod.PUT, "/api/registry/factor-profiles/" + code, Map.of("code", code, "name", "改名",
                "mappings", List.of(Map.of("codeTemplate", "{ch}", "field", "I1", "quantity", "IA")))), 200).get("mappings")).size());
        assertEquals(403, call(as(Role.DISTRICT_OFFICER, List.of(YANTA), null), HttpMethod.DELETE, "/api/registry/factor-profiles/" + code, null).getStatusCode().value());
        assertEquals(204, call(t, HttpMethod.DELETE, "/api/registry/factor-profiles/" + code, null).getStatusCode().value());
        fixture(t, YANTA); // a point that uses elec-a
        assertEquals(409, call(t, HttpMethod.DELETE, "/api/registry/factor-profiles/elec-a", null).getStatusCode().value());
    }

    @Test
    void openApiDescribesTheRegistryWithABearerScheme() {
        Map<String, Object> doc = ok(call(http, HttpMethod.GET, "/v3/api-docs", null), 200);
        assertTrue(doc.get("info").toString().contains("PowerWatch"));
        assertTrue(doc.get("components").toString().contains("bearer"));
        assertTrue(((Map<?, ?>) doc.get("paths")).containsKey("/api/registry/enterprises"));
        assertNotEquals(null, ((Map<?, ?>) doc.get("paths")).get("/api/registry/factor-profiles/{code}/preview"));
    }
}
