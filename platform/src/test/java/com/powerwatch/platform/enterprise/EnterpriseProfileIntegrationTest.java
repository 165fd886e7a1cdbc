package com.powerwatch.platform.enterprise;

import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 一企一档 over real data: {@link EnterpriseFixture} (registry rows, a year of history, live frames through the gateway). */
class EnterpriseProfileIntegrationTest extends AuthIntegrationTestBase {

    @Autowired
    ApplicationContext app;
    @Autowired
    AlarmRecorder alarmRecorder;

    static EnterpriseFixture fx;
    static long ent;
    static long other;
    static long prodA;
    static long prodB;
    static long treat1;
    static long treat2;
    static long pointTotal;
    static String mn;
    static String quietMn;
    static LocalDate today;

    @BeforeEach
    void fixture() throws Exception {
        if (fx != null) {
            return;
        }
        other = enterprises()[1]; // 雁塔区 and 未央区, regions included
        fx = new EnterpriseFixture(app, PlatformIntegrationTest::await);
        ent = fx.enterprise;
        prodA = fx.prodA;
        prodB = fx.prodB;
        treat1 = fx.treat1;
        treat2 = fx.treat2;
        pointTotal = fx.pointTotal;
        mn = fx.mn;
        quietMn = fx.quietMn;
        today = fx.today;
    }

    @AfterAll
    static void closeFixture() throws IOException {
        if (fx != null) {
            fx.close();
            fx = null;
        }
    }

    private String admin() {
        return AuthTestSupport.adminToken(jdbc);
    }

    private Map<?, ?> profile(String token) {
        ResponseEntity<Map> r = get(token, "/api/enterprises/" + ent + "/profile");
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    private static Map<?, ?> byId(Object list, long id) {
        return ((List<?>) list).stream().map(o -> (Map<?, ?>) o).filter(m -> ((Number) m.get("id")).longValue() == id)
                .findFirst().orElseThrow(() -> new AssertionError("no " + id + " in " + list));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void theProfileHasTheBasicFactsStateEnergyFlowAndCommunication() {
        Map<?, ?> p = profile(admin());
        Map<?, ?> e = (Map<?, ?>) p.get("enterprise");
        assertEquals("雁塔区", e.get("districtName"));
        assertEquals("2641", e.get("industryCode"));
        assertEquals("KEY", e.get("permitClass"));
        assertEquals("王工", ((Map<?, ?>) ((List<?>) e.get("contacts")).get(0)).get("name"));
        assertEquals(108.9, num(e.get("longitude")), 1e-9);

        // state: T2 stopped while A runs
        Map<?, ?> state = (Map<?, ?>) p.get("state");
        assertEquals("ABNORMAL", state.get("state"));
        assertEquals("TREATMENT_STOPPED", state.get("reason"));
        assertNotNull(state.get("since"));

        // energy: the daily aggregates per class
        Map<?, ?> energy = (Map<?, ?>) p.get("energy");
        assertEquals("TOTAL", energy.get("basis"));
        long daysOfYear = ChronoUnit.DAYS.between(today.withDayOfYear(1), today);
        long daysOfMonth = ChronoUnit.DAYS.between(today.withDayOfMonth(1), today);
        double[][] expected = {{EnterpriseFixture.TOTAL_KW, EnterpriseFixture.TOTAL_TODAY}, {EnterpriseFixture.PROD_KW, EnterpriseFixture.PROD_TODAY}, {EnterpriseFixture.TREAT_KW, EnterpriseFixture.TREAT_TODAY}};
        String[] classes = {"total", "production", "treatment"};
        for (int i = 0; i < 3; i++) {
            double kw = expected[i][0];
            double todayKwh = expected[i][1];
            assertEquals(todayKwh, num(((Map<?, ?>) energy.get("today")).get(classes[i])), 1e-6, classes[i] + " today");
            assertEquals(kw * 24 * daysOfMonth + todayKwh, num(((Map<?, ?>) energy.get("month")).get(classes[i])), 1e-6,
                    classes[i] + " this month");
            assertEquals(kw * 24 * daysOfYear + todayKwh, num(((Map<?, ?>) energy.get("year")).get(classes[i])), 1e-6,
                    classes[i] + " this year");
        }

        // 工艺流程: lines, facilities with live state, power and thresholds in force, associations
        assertEquals(List.of("一号线", "二号线"), ((List<?>) p.get("lines")).stream().map(l -> ((Map<?, ?>) l).get("name")).toList());
        Map<?, ?> a = byId(p.get("facilities"), prodA);
        assertEquals("PRODUCTION", a.get("kind"));
        assertEquals("一号线", a.get("productionLineName"));
        assertEquals("RUNNING", a.get("state"));
        assertEquals(EnterpriseFixture.PROD_KW, num(a.get("powerKw")), 1e-9);
        assertEquals(5.0, num(a.get("stopBelow")), 1e-9);
        assertEquals(10.0, num(a.get("runAbove")), 1e-9);
        assertEquals("STOPPED", byId(p.get("facilities"), prodB).get("state"));
        assertEquals("STOPPED", byId(p.get("facilities"), treat2).get("state"));
        Map<?, ?> t1 = byId(p.get("facilities"), treat1);
        assertEquals("RUNNING", t1.get("state"));
        assertEquals(10.0, num(t1.get("abnormalBelow")), 1e-9);
        assertEquals(5, ((List<?>) p.get("facilities")).size());
        List<String> pairs = ((List<?>) p.get("associations")).stream().map(o -> (Map<?, ?>) o)
                .map(m -> m.get("productionFacilityId") + ">" + m.get("treatmentFacilityId")).sorted().toList();
        assertEquals(List.of(prodA + ">" + treat1, prodA + ">" + treat2, prodB + ">" + treat2).stream().sorted().toList(), pairs);

        // 通讯: the logger with frames, the quiet one without
        List<?> loggers = (List<?>) p.get("loggers");
        Map<?, ?> busy = loggers.stream().map(o -> (Map<?, ?>) o).filter(m -> mn.equals(m.get("mn"))).findFirst().orElseThrow();
        assertEquals(true, busy.get("online"));
        assertEquals(true, busy.get("connected"));
        assertEquals(2, num(busy.get("framesToday")), 1e-9);
        assertEquals(0, num(busy.get("rejectedToday")), 1e-9);
        assertEquals(jdbc.queryForObject("select max(received_at) from raw_frame where mn = ?", java.time.OffsetDateTime.class, mn)
                .toInstant(), java.time.OffsetDateTime.parse((String) busy.get("lastFrameAt")).toInstant());
        assertEquals(5, ((List<?>) busy.get("points")).size());
        assertEquals("ONLINE", byId(busy.get("points"), pointTotal).get("state"));
        Map<?, ?> quiet = loggers.stream().map(o -> (Map<?, ?>) o).filter(m -> quietMn.equals(m.get("mn"))).findFirst().orElseThrow();
        assertEquals(false, quiet.get("online"));
        assertNull(quiet.get("lastFrameAt"));
        assertEquals(0, num(quiet.get("framesToday")), 1e-9);
    }

    @Test
    void ordersAndAlarmsAwaitingTheEnterprisesExplanation() {
        String admin = admin();
        ResponseEntity<Map> order = post(admin, "/api/production-orders", Map.of("enterpriseId", ent, "kind", "STOP",
                "facilityIds", List.of(prodB), "validFrom", java.time.OffsetDateTime.now(EnterpriseFixture.CHINA).minusHours(1).toString(),
                "validTo", java.time.OffsetDateTime.now(EnterpriseFixture.CHINA).plusHours(1).toString(), "source", "OTHER", "baselineKw", 50));
        assertEquals(201, order.getStatusCode().value(), String.valueOf(order.getBody()));
        long orderId = ((Number) order.getBody().get("id")).longValue();

        alarmRecorder.raise(new AlarmSignal("TREATMENT_STOPPED", "facility:" + treat2, ent, treat2, null, null, null,
                java.time.Instant.now().minusSeconds(120), Map.of("test", true)));
        long alarmId = jdbc.queryForObject("select id from alarm where subject_key = ? and status = 'ACTIVE'", Long.class, "facility:" + treat2);

        Map<?, ?> p = profile(admin);
        Map<?, ?> o = byId(p.get("orders"), orderId);
        assertEquals(true, o.get("inForce"));
        assertEquals(true, byId(p.get("facilities"), prodB).get("underOrder"));
        assertEquals(false, byId(p.get("facilities"), prodA).get("underOrder"));

        Map<?, ?> alarms = (Map<?, ?>) p.get("alarms");
        long open = jdbc.queryForObject("select count(*) from alarm where enterprise_id = ? and status = 'ACTIVE' and handling <> 'CANCELLED'",
                Long.class, ent);
        assertEquals(open, num(alarms.get("open")), 1e-9);
        assertTrue(open >= 1);
        long awaiting = ((Number) alarms.get("awaitingReason")).longValue();
        byId(alarms.get("awaitingReasonItems"), alarmId);

        // the enterprise explains: the alarm no longer waits
        String company = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), ent);
        assertEquals(200, post(company, "/api/alarms/" + alarmId + "/reason", Map.of("text", "活性炭更换，已报备")).getStatusCode().value());
        Map<?, ?> after = (Map<?, ?>) profile(company).get("alarms");
        assertEquals(awaiting - 1, ((Number) after.get("awaitingReason")).longValue());
        assertFalse(((List<?>) after.get("awaitingReasonItems")).stream().anyMatch(m -> ((Number) ((Map<?, ?>) m).get("id")).longValue() == alarmId));

        // the load curve shades the order
        Map<?, ?> load = get(admin, "/api/enterprises/" + ent + "/load?from=" + today + "&to=" + today.plusDays(1)).getBody();
        assertTrue(((List<?>) load.get("orders")).stream().anyMatch(m -> ((Number) ((Map<?, ?>) m).get("id")).longValue() == orderId));
    }

    @Test
    void theLoadCurveHasTotalProductionAndTreatmentOrTheChosenFacilitiesWithThresholds() {
        String admin = admin();
        LocalDate yesterday = today.minusDays(1);
        ResponseEntity<Map> r = get(admin, "/api/enterprises/" + ent + "/load?from=" + yesterday + "&to=" + today + "&grain=1h");
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        List<?> series = (List<?>) r.getBody().get("series");
        assertEquals(List.of("TOTAL", "PRODUCTION", "TREATMENT"), series.stream().map(s -> ((Map<?, ?>) s).get("key")).toList());
        double[] kw = {EnterpriseFixture.TOTAL_KW, EnterpriseFixture.PROD_KW, EnterpriseFixture.TREAT_KW};
        for (int i = 0; i < 3; i++) {
            List<?> points = (List<?>) ((Map<?, ?>) series.get(i)).get("points");
            assertEquals(4, points.size(), "samples at 00, 06, 12, 18 h");
            for (Object pt : points) {
                assertEquals(kw[i], num(((Map<?, ?>) pt).get("p")), 1e-6);
            }
        }
        // one total meter: its thresholds apply; two production facilities: a sum has none
        assertEquals(10.0, num(((Map<?, ?>) ((Map<?, ?>) series.get(0)).get("thresholds")).get("runAbove")), 1e-9);
        assertNull(((Map<?, ?>) series.get(1)).get("thresholds"));
        assertEquals(List.of(prodA, prodB), ((List<?>) ((Map<?, ?>) series.get(1)).get("facilityIds")).stream()
                .map(x -> ((Number) x).longValue()).toList());

        Map<?, ?> chosen = get(admin, "/api/enterprises/" + ent + "/load?from=" + yesterday + "&to=" + today
                + "&facilityIds=" + prodA + "&facilityIds=" + treat1).getBody();
        List<?> two = (List<?>) chosen.get("series");
        assertEquals(2, two.size());
        Map<?, ?> a = (Map<?, ?>) two.get(0);
        assertEquals("喷涂线A", a.get("name"));
        assertEquals(5.0, num(((Map<?, ?>) a.get("thresholds")).get("stopBelow")), 1e-9);
        assertEquals(10.0, num(((Map<?, ?>) ((Map<?, ?>) two.get(1)).get("thresholds")).get("abnormalBelow")), 1e-9);
        assertFalse(((List<?>) a.get("points")).isEmpty());

        long foreign = jdbc.queryForObject("insert into facility (enterprise_id, name, kind) values (?, ?, 'PRODUCTION') returning id",
                Long.class, other, unique("别家设施"));
        ResponseEntity<Map> bad = get(admin, "/api/enterprises/" + ent + "/load?from=" + yesterday + "&to=" + today + "&facilityIds=" + foreign);
        assertEquals(400, bad.getStatusCode().value());
        assertEquals("facilityIds", bad.getBody().get("field"));
        assertEquals("from", get(admin, "/api/enterprises/" + ent + "/load?from=" + today + "&to=" + yesterday).getBody().get("field"));
    }

    @Test
    void onlyCallersWhoseScopeCoversTheEnterpriseSeeIt() {
        String yanta = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        String weiyang = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null);
        String own = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), ent);
        String neighbour = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), other);
        String range = "?from=" + today + "&to=" + today.plusDays(1);
        for (String path : List.of("/profile", "/load" + range)) {
            String url = "/api/enterprises/" + ent + path;
            assertEquals(200, get(yanta, url).getStatusCode().value(), "the district's officer: " + url);
            assertEquals(200, get(own, url).getStatusCode().value(), "the enterprise itself: " + url);
            assertEquals(403, get(weiyang, url).getStatusCode().value(), "another district's officer: " + url);
            assertEquals(403, get(neighbour, url).getStatusCode().value(), "another enterprise: " + url);
            assertEquals(401, get(null, url).getStatusCode().value(), "anonymous: " + url);
            assertEquals(404, get(yanta, "/api/enterprises/999999999" + path).getStatusCode().value(), "unknown id");
        }
        assertFalse(String.valueOf(get(neighbour, "/api/enterprises/" + ent + "/profile").getBody()).contains(fx.name));
    }
}
