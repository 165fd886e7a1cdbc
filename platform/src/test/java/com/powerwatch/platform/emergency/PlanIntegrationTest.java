package com.powerwatch.platform.emergency;

import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.auth.AuthTestSupport;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 企业应急管理: plans through the API and Excel, their rules, scope, audit and 指标查询 (docs/emergency.md §1). */
class PlanIntegrationTest extends EmergencyTestSupport {

    static final List<String> HEADERS = List.of("年度*", "预警级别*", "企业信用代码", "企业名称", "所属区县", "是否参与", "绩效分级",
            "减排清单编码", "减排措施", "限停方式", "限停对象", "限产比例(%)", "参与轮循", "核定基准负荷(kW)", "减排措施说明",
            "经济损失预估(万元)", "备注");

    @Test
    void aPlanIsCheckedStoredScopedAndAudited() {
        String admin = AuthTestSupport.adminToken(jdbc);
        Ent a = enterprise("610113", "C", Map.of("1#喷涂线", Map.of("喷涂室1", 50.0, "烘干炉1", 30.0), "2#喷涂线", Map.of("喷涂室2", 40.0)));
        Ent other = enterprise("610112", "B", Map.of("线", Map.of("设备", 10.0)));
        Map<String, Object> body = map("year", 2031, "level", "ORANGE", "enterpriseId", a.id(), "measure", "STOP", "scope", "LINE",
                "targetIds", List.of(a.lines().get("1#喷涂线")), "reductionCode", "YT-001", "economicLoss", 12.5,
                "measureText", "1#线停产");
        ResponseEntity<Map> created = post(admin, "/api/emergency/plans", body);
        assertEquals(201, created.getStatusCode().value(), String.valueOf(created.getBody()));
        Map<?, ?> plan = created.getBody();
        assertEquals("C", plan.get("grade"), "the grade comes from the registry when none is given");
        assertEquals(2, ((Number) plan.get("facilities")).intValue(), "the line's two production facilities");
        assertEquals(80.0, ((Number) plan.get("ratedKw")).doubleValue(), 1e-9);
        assertEquals("1#喷涂线", ((Map<?, ?>) ((List<?>) plan.get("targets")).get(0)).get("name"));
        long id = ((Number) plan.get("id")).longValue();

        // the rules, each answered on its field
        assertField(post(admin, "/api/emergency/plans", map("year", 2031, "level", "RED", "enterpriseId", a.id(), "measure", "LIMIT")),
                "limitPercent");
        assertField(post(admin, "/api/emergency/plans", map("year", 2031, "level", "RED", "enterpriseId", a.id(), "measure", "SELF")),
                "measure");
        assertField(post(admin, "/api/emergency/plans", map("year", 2031, "level", "RED", "enterpriseId", a.id(), "measure", "STOP",
                "scope", "LINE", "targetIds", List.of(other.lines().get("线")))), "targetIds");
        assertField(post(admin, "/api/emergency/plans", map("year", 2031, "level", "RED", "enterpriseId", a.id(), "participates", false,
                "measure", "STOP")), "measure");
        assertEquals(409, post(admin, "/api/emergency/plans", body).getStatusCode().value(), "one plan per year × level × enterprise");

        // an update, audited
        ResponseEntity<Map> updated = put(admin, "/api/emergency/plans/" + id, map("year", 2031, "level", "ORANGE", "enterpriseId", a.id(),
                "measure", "LIMIT", "limitPercent", 40, "scope", "ENTERPRISE"));
        assertEquals(200, updated.getStatusCode().value(), String.valueOf(updated.getBody()));
        assertEquals(3, ((Number) updated.getBody().get("facilities")).intValue(), "whole enterprise: every production facility");
        assertEquals(0, jdbc.queryForObject("select count(*) from emergency_plan_target where plan_id = ?", Integer.class, id));
        assertEquals(2, jdbc.queryForObject("select count(*) from audit_log where target = ? and action like 'EMERGENCY_PLAN_%'",
                Integer.class, "emergency-plan:" + id));

        // scope: an officer of another district neither sees nor changes it
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null);
        assertTrue(List.of(403, 404).contains(get(officer, "/api/emergency/plans/" + id).getStatusCode().value()));
        assertTrue(items(get(officer, "/api/emergency/plans?year=2031")).stream().noneMatch(p -> ((Number) p.get("id")).longValue() == id));
        assertTrue(List.of(403, 404).contains(post(officer, "/api/emergency/plans", map("year", 2031, "level", "RED",
                "enterpriseId", a.id(), "measure", "STOP")).getStatusCode().value()));
        // an operator reads but does not write
        String operator = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        assertEquals(200, get(operator, "/api/emergency/plans/" + id).getStatusCode().value());
        assertEquals(403, call(operator, HttpMethod.DELETE, "/api/emergency/plans/" + id, null).getStatusCode().value());

        // the attachment: stored, read back byte for byte; a foreign type refused
        byte[] pdf = "%PDF-1.4 一厂一策".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(400, upload(admin, "/api/emergency/plans/" + id + "/attachment", pdf, "plan.exe").getStatusCode().value());
        ResponseEntity<Map<String, Object>> up = upload(admin, "/api/emergency/plans/" + id + "/attachment", pdf, "一厂一策.pdf");
        assertEquals(200, up.getStatusCode().value(), String.valueOf(up.getBody()));
        assertArrayEquals(pdf, bytes(admin, "/api/emergency/plans/" + id + "/attachment").getBody());
    }

    @Test
    void anImportWithABadRowImportsNothingAndNamesTheCellThenImportsAllAndExportsBack() throws Exception {
        String admin = AuthTestSupport.adminToken(jdbc);
        Ent a = enterprise("610113", "C", Map.of("1#线", Map.of("1#窑", 100.0), "2#线", Map.of("2#窑", 80.0)));
        Ent b = enterprise("610112", "B", Map.of("", Map.of("磨机", 60.0)));
        Ent c = enterprise("610112", "A", Map.of("", Map.of("熔炉", 200.0)));
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(map("年度*", 2032, "预警级别*", "红色", "企业名称", a.name(), "是否参与", "是", "减排措施", "停产", "限停方式", "生产线",
                "限停对象", "1#线；2#线", "减排清单编码", "R-1", "经济损失预估(万元)", 88.8));
        rows.add(map("年度*", 2032, "预警级别*", "红色", "企业名称", b.name(), "是否参与", "是", "减排措施", "限产", "限停方式", "整厂",
                "限产比例(%)", 30, "参与轮循", "是", "核定基准负荷(kW)", 45));
        rows.add(map("年度*", 2032, "预警级别*", "红色", "企业名称", c.name(), "是否参与", "是", "减排措施", "自主减排", "限停方式", "设施",
                "限停对象", "不存在的炉"));
        rows.add(map("年度*", 2032, "预警级别*", "紫色", "企业名称", a.name(), "减排措施", "停产"));
        String before = planCount(2032);

        ResponseEntity<Map<String, Object>> bad = upload(admin, "/api/emergency/plans/excel/import",
                workbook("应急预案", HEADERS, rows), "plans.xlsx");
        assertEquals(422, bad.getStatusCode().value(), String.valueOf(bad.getBody()));
        List<Map<String, Object>> errors = errors(bad);
        assertTrue(errors.stream().anyMatch(e -> ((Number) e.get("row")).intValue() == 4 && "限停对象".equals(e.get("column"))
                || ((Number) e.get("row")).intValue() == 4 && "限停方式".equals(e.get("column"))), "row 4 named: " + errors);
        assertTrue(errors.stream().anyMatch(e -> ((Number) e.get("row")).intValue() == 5 && "预警级别".equals(e.get("column"))),
                "row 5's level named: " + errors);
        assertTrue(errors.stream().noneMatch(e -> List.of(2, 3).contains(((Number) e.get("row")).intValue())), "good rows pass: " + errors);
        assertEquals(before, planCount(2032), "nothing half-imported");

        // the bad rows corrected: a dry run counts, the import writes all
        rows.set(2, map("年度*", 2032, "预警级别*", "红色", "企业信用代码", null, "企业名称", c.name(), "是否参与", "是", "减排措施", "自主减排",
                "限产比例(%)", 10));
        rows.set(3, map("年度*", 2032, "预警级别*", "黄色", "企业名称", a.name(), "是否参与", "否"));
        byte[] good = workbook("应急预案", HEADERS, rows);
        ResponseEntity<Map<String, Object>> dry = upload(admin, "/api/emergency/plans/excel/import?dryRun=true", good, "plans.xlsx");
        assertEquals(200, dry.getStatusCode().value(), String.valueOf(dry.getBody()));
        assertEquals(4, ((Number) dry.getBody().get("created")).intValue());
        assertEquals(before, planCount(2032), "a dry run writes nothing");
        ResponseEntity<Map<String, Object>> done = upload(admin, "/api/emergency/plans/excel/import", good, "plans.xlsx");
        assertEquals(200, done.getStatusCode().value(), String.valueOf(done.getBody()));
        assertEquals(Boolean.TRUE, done.getBody().get("imported"));
        assertEquals(4, ((Number) done.getBody().get("created")).intValue());
        assertEquals(2, jdbc.queryForObject("""
                select count(*) from emergency_plan_target t join emergency_plan p on p.id = t.plan_id
                where p.enterprise_id = ? and p.year = 2032""", Integer.class, a.id()), "both lines of the stop plan");
        assertEquals(new BigDecimal("30.00"), jdbc.queryForObject(
                "select limit_percent from emergency_plan where enterprise_id = ? and year = 2032", BigDecimal.class, b.id()));
        assertEquals("A", jdbc.queryForObject("select grade from emergency_plan where enterprise_id = ? and year = 2032", String.class, c.id()),
                "the registry's grade");
        // importing the same file again updates, creates nothing
        ResponseEntity<Map<String, Object>> again = upload(admin, "/api/emergency/plans/excel/import", good, "plans.xlsx");
        assertEquals(4, ((Number) again.getBody().get("updated")).intValue());

        // the export reads back as what was imported
        byte[] exported = bytes(admin, "/api/emergency/plans/excel/export?year=2032").getBody();
        Map<String, Map<String, String>> byKey = new HashMap<>();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(exported))) {
            Sheet s = wb.getSheet("应急预案");
            DataFormatter fmt = new DataFormatter();
            Row h = s.getRow(0);
            for (int r = 1; r <= s.getLastRowNum(); r++) {
                Map<String, String> cells = new HashMap<>();
                for (int col = 0; col < h.getLastCellNum(); col++) {
                    cells.put(fmt.formatCellValue(h.getCell(col)).replace("*", ""), fmt.formatCellValue(s.getRow(r).getCell(col)));
                }
                byKey.put(cells.get("企业名称") + "|" + cells.get("预警级别"), cells);
            }
        }
        Map<String, String> stop = byKey.get(a.name() + "|红色");
        assertEquals("停产", stop.get("减排措施"));
        assertEquals("生产线", stop.get("限停方式"));
        assertEquals("1#线；2#线", stop.get("限停对象"));
        assertEquals("雁塔区", stop.get("所属区县"));
        assertEquals("88.8", stop.get("经济损失预估(万元)"));
        assertEquals("30", byKey.get(b.name() + "|红色").get("限产比例(%)"));
        assertEquals("是", byKey.get(b.name() + "|红色").get("参与轮循"));
        assertEquals("否", byKey.get(a.name() + "|黄色").get("是否参与"));
        // … and imports back unchanged
        ResponseEntity<Map<String, Object>> roundTrip = upload(admin, "/api/emergency/plans/excel/import?dryRun=true", exported, "export.xlsx");
        assertEquals(200, roundTrip.getStatusCode().value(), String.valueOf(roundTrip.getBody()));
        assertEquals(4, ((Number) roundTrip.getBody().get("updated")).intValue());
    }

    @Test
    void indicatorsAddUpWhatThePlansSay() {
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2033;
        Ent s1 = enterprise("610113", "C", Map.of("A线", Map.of("a1", 100.0, "a2", 50.0), "B线", Map.of("b1", 70.0)));
        Ent s2 = enterprise("610113", "D", Map.of("", Map.of("x", 40.0)));
        Ent l1 = enterprise("610112", "B", Map.of("L", Map.of("l1", 200.0)));
        Ent self = enterprise("610112", "LEADING", Map.of("", Map.of("s", 500.0)));
        Ent out = enterprise("610112", "B", Map.of("", Map.of("o", 10.0)));
        post(admin, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", s1.id(), "measure", "STOP", "scope", "LINE",
                "targetIds", List.of(s1.lines().get("A线"))));
        post(admin, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", s2.id(), "measure", "STOP", "baselineKw", 25.0));
        post(admin, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", l1.id(), "measure", "LIMIT", "limitPercent", 30));
        post(admin, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", self.id(), "measure", "SELF", "limitPercent", 10));
        post(admin, "/api/emergency/plans", map("year", year, "level", "RED", "enterpriseId", out.id(), "participates", false));
        Map<?, ?> ind = get(admin, "/api/emergency/plans/indicators?year=" + year + "&level=RED").getBody();
        double factor = jdbc.queryForObject("select 0.7", Double.class); // powerwatch.analysis.baseline.rated-load-factor default

        // 雁塔区 STOP: s1 (line A: 2 facilities, 150 kW rated, baseline 150 × factor) + s2 (1 facility, 40 kW, typed baseline 25)
        Map<String, Object> yantaStop = find(ind, "byDistrict", "610113", "STOP");
        assertEquals(2, num(yantaStop, "enterprises"));
        assertEquals(1, num(yantaStop, "lines"), "line A; s2's facility without a line is no line");
        assertEquals(3, num(yantaStop, "facilities"));
        assertEquals(150 + 40, dbl(yantaStop, "ratedKw"), 0.05);
        assertEquals(150 * factor + 25, dbl(yantaStop, "baselineKw"), 0.05);
        assertEquals(150 * factor + 25, dbl(yantaStop, "reductionKw"), 0.05, "a stop takes the whole baseline off");
        // 未央区 LIMIT 30 %: 200 kW rated
        Map<String, Object> weiyangLimit = find(ind, "byDistrict", "610112", "LIMIT");
        assertEquals(200 * factor * 0.30, dbl(weiyangLimit, "reductionKw"), 0.05);
        // by grade: the leading enterprise self-reduces 10 % of 500 × factor
        Map<String, Object> leading = find(ind, "byGrade", "LEADING", "SELF");
        assertEquals("引领性", leading.get("groupName"));
        assertEquals(500 * factor * 0.10, dbl(leading, "reductionKw"), 0.05);
        assertEquals(1, num(find(ind, "byGrade", "D", "STOP"), "enterprises"));
        assertEquals(1, ((Number) ind.get("notParticipating")).intValue());
    }

    @Test
    void plansAreCopiedFromLastYearWithTheirTargetsAndTodaysGrade() {
        String admin = AuthTestSupport.adminToken(jdbc);
        Ent a = enterprise("610111", "C", Map.of("1#线", Map.of("窑", 100.0), "2#线", Map.of("磨", 30.0)));
        post(admin, "/api/emergency/plans", map("year", 2034, "level", "ORANGE", "enterpriseId", a.id(), "measure", "STOP", "scope", "LINE",
                "targetIds", List.of(a.lines().get("2#线"))));
        post(admin, "/api/emergency/plans", map("year", 2035, "level", "RED", "enterpriseId", a.id(), "measure", "STOP"));
        post(admin, "/api/emergency/plans", map("year", 2034, "level", "RED", "enterpriseId", a.id(), "measure", "STOP", "scope", "ENTERPRISE"));
        jdbc.update("update enterprise set emergency_grade = 'B' where id = ?", a.id());
        Map<?, ?> r = post(admin, "/api/emergency/plans/copy", map("fromYear", 2034, "toYear", 2035)).getBody();
        assertTrue(((Number) r.get("copied")).intValue() >= 1, String.valueOf(r));
        Map<String, Object> copied = jdbc.queryForMap("select id, grade, scope from emergency_plan where year = 2035 and level = 'ORANGE' and enterprise_id = ?",
                a.id());
        assertEquals("B", copied.get("grade"), "this year's grade from the registry");
        assertEquals(List.of(a.lines().get("2#线")), jdbc.queryForList("select line_id from emergency_plan_target where plan_id = ?",
                Long.class, copied.get("id")));
        assertEquals(1, jdbc.queryForObject("select count(*) from emergency_plan where year = 2035 and level = 'RED' and enterprise_id = ?",
                Integer.class, a.id()), "an existing plan is left as it is");
        assertFalse(jdbc.queryForList("select 1 from audit_log where action = 'EMERGENCY_PLANS_COPIED'").isEmpty());
    }

    private String planCount(int year) {
        return String.valueOf(jdbc.queryForObject("select count(*) from emergency_plan where year = ?", Long.class, year));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(ResponseEntity<Map<String, Object>> r) {
        return (List<Map<String, Object>>) r.getBody().get("errors");
    }

    private static void assertField(ResponseEntity<Map> r, String field) {
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals(field, r.getBody().get("field"), String.valueOf(r.getBody()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> find(Map<?, ?> indicators, String list, String group, String measure) {
        return ((List<Map<String, Object>>) indicators.get(list)).stream()
                .filter(r -> group.equals(r.get("group")) && measure.equals(r.get("measure"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + group + "/" + measure + " in " + indicators.get(list)));
    }

    private static long num(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).longValue();
    }

    private static double dbl(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }
}
