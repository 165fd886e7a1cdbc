package com.powerwatch.platform.dashboard;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 首页一张图 and 情况总览 over the API: every map state with its precedence, the KPI cards and charts against what the
 * database holds, the overview's status icons, filters, sorting and paging, the caller's scope, and bad parameters.
 * The enterprises live in 蓝田县 (610122) and 周至县 (610124), districts no other test of this context uses.
 */
class DashboardIntegrationTest extends AuthIntegrationTestBase {

    static final String LANTIAN = "610122";
    static final String ZHOUZHI = "610124";
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Autowired
    TcpGateway gateway;
    @Autowired
    TelemetryRegistry registry;

    DashboardFixtures fx;
    String tag;
    long running;
    long stopped;
    long offline;
    long alarmAndOrder;
    long ordered;
    long treatmentStopped;
    long closed;
    String admin;

    @BeforeEach
    void city() throws Exception {
        fx = new DashboardFixtures(jdbc, gateway.port());
        tag = UUID.randomUUID().toString().substring(0, 6);
        admin = AuthTestSupport.adminToken(jdbc);
        running = fx.enterprise("运行企业" + tag, LANTIAN, 109.32, 34.16);
        stopped = fx.enterprise("停运企业" + tag, LANTIAN, 109.33, 34.16);
        offline = fx.enterprise("离线企业" + tag, LANTIAN, 109.34, 34.16);
        treatmentStopped = fx.enterprise("治污停运企业" + tag, LANTIAN, 109.35, 34.16);
        alarmAndOrder = fx.enterprise("报警企业" + tag, ZHOUZHI, 108.22, 34.17);
        ordered = fx.enterprise("限产企业" + tag, ZHOUZHI, 108.23, 34.17);
        closed = fx.enterprise("关闭企业" + tag, ZHOUZHI, 108.24, 34.17);
        jdbc.update("update enterprise set status = 'CLOSED' where id = ?", closed);

        DashboardFixtures.Meter run = fx.meter(running, "PRODUCTION");
        DashboardFixtures.Meter stop = fx.meter(stopped, "PRODUCTION");
        fx.meter(offline, "PRODUCTION");
        DashboardFixtures.Meter line = fx.meter(treatmentStopped, "PRODUCTION");
        DashboardFixtures.Meter fan = fx.meter(treatmentStopped, "TREATMENT");
        fx.associate(line, fan);
        DashboardFixtures.Meter alarmed = fx.meter(alarmAndOrder, "PRODUCTION");
        fx.meter(ordered, "PRODUCTION");
        fx.alarm(alarmAndOrder, "PRODUCTION_DURING_STOP", "LEVEL_1");
        fx.alarm(alarmAndOrder, "METER_OFFLINE", "LEVEL_3");
        long cancelled = fx.alarm(running, "TREATMENT_ABNORMAL", "LEVEL_3");
        jdbc.update("update alarm set handling = 'CANCELLED' where id = ?", cancelled);
        fx.stopOrder(alarmAndOrder);
        fx.stopOrder(ordered);
        registry.refresh();
        fx.send(run, 50);
        fx.send(stop, 0);
        fx.send(line, 60);
        fx.send(fan, 0);
        fx.send(alarmed, 40);
        await("real-time states from the frames", () -> {
            Map<Long, Map<String, Object>> rows = mapRows(admin);
            return "RUNNING".equals(rows.get(running).get("state")) && "STOPPED".equals(rows.get(stopped).get("state"))
                    && "ABNORMAL".equals(rows.get(treatmentStopped).get("state"))
                    && "RUNNING".equals(rows.get(alarmAndOrder).get("state"));
        });
    }

    @SuppressWarnings("unchecked")
    Map<Long, Map<String, Object>> mapRows(String token) {
        ResponseEntity<List> r = getList(token, "/api/dashboard/map");
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return ((List<Map<String, Object>>) r.getBody()).stream()
                .collect(Collectors.toMap(m -> ((Number) m.get("id")).longValue(), m -> m));
    }

    @Test
    void theMapColoursEveryEnterpriseByItsStateWithAlarmsFirstThenOrdersThenOfflineThenStopped() {
        Map<Long, Map<String, Object>> rows = mapRows(admin);
        assertEquals("NORMAL", rows.get(running).get("mapState"), "a cancelled alarm is not open");
        assertEquals(0, rows.get(running).get("openAlarms"));
        assertEquals("STOPPED", rows.get(stopped).get("mapState"));
        assertEquals("OFFLINE", rows.get(offline).get("mapState"));
        assertEquals("ALARM", rows.get(alarmAndOrder).get("mapState"), "alarms before orders");
        assertEquals(2, rows.get(alarmAndOrder).get("openAlarms"));
        assertEquals("LEVEL_1", rows.get(alarmAndOrder).get("maxAlarmLevel"));
        assertEquals("ORDERED", rows.get(ordered).get("mapState"), "an order before offline");
        assertFalse(rows.containsKey(closed), "a closed enterprise is not supervised");
        Map<String, Object> r = rows.get(running);
        assertEquals(109.32, ((Number) r.get("lng")).doubleValue(), 1e-9);
        assertEquals(34.16, ((Number) r.get("lat")).doubleValue(), 1e-9);
        assertEquals("蓝田县", r.get("districtName"));
        assertEquals("2641", r.get("industryCode"));
        assertEquals("涂料制造", r.get("industryName"));
        // the map and the database agree on open alarms for every row
        for (Map<String, Object> row : rows.values()) {
            long id = ((Number) row.get("id")).longValue();
            assertEquals(jdbc.queryForObject("""
                    select count(*) from alarm where enterprise_id = ? and status = 'ACTIVE' and handling <> 'CANCELLED'""",
                    Integer.class, id), row.get("openAlarms"), row.toString());
        }
    }

    @Test
    void aDistrictOfficerSeesOnlyTheDistrictAndAnEnterpriseUserOnlyItself() {
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of(ZHOUZHI), null);
        Map<Long, Map<String, Object>> rows = mapRows(officer);
        assertTrue(rows.keySet().containsAll(Set.of(alarmAndOrder, ordered)));
        assertTrue(rows.values().stream().allMatch(m -> ZHOUZHI.equals(m.get("districtCode"))), rows.toString());

        String own = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), running);
        assertEquals(Set.of(running), mapRows(own).keySet());

        Map<?, ?> summary = get(officer, "/api/dashboard/summary").getBody();
        Map<?, ?> kpi = (Map<?, ?>) summary.get("kpi");
        assertEquals(jdbc.queryForObject("select count(*) from enterprise where district_code = ? and status <> 'CLOSED'",
                Long.class, ZHOUZHI), ((Number) kpi.get("enterprises")).longValue());
        for (Object d : (List<?>) summary.get("byDistrict")) {
            assertEquals(ZHOUZHI, ((Map<?, ?>) d).get("code"));
        }
        Map<?, ?> list = get(officer, "/api/overview/enterprises?size=500").getBody();
        for (Object o : (List<?>) list.get("items")) {
            assertEquals(ZHOUZHI, ((Map<?, ?>) o).get("districtCode"));
        }
        Map<?, ?> mine = get(own, "/api/overview/enterprises").getBody();
        assertEquals(1, mine.get("total"));
        // filtering on another district does not widen the scope
        assertEquals(0, get(officer, "/api/overview/enterprises?district=" + LANTIAN).getBody().get("total"));
        assertEquals(0L, ((Number) ((Map<?, ?>) get(officer, "/api/dashboard/summary?district=" + LANTIAN).getBody()
                .get("kpi")).get("enterprises")).longValue());
    }

    @Test
    void theSummaryCountsWhatTheDatabaseHolds() {
        // energy of the running enterprise's meter: the day before yesterday 120 kWh, the same weekday a week before
        // 100 kWh (not yesterday: shortly after midnight the fixture's live frames still fall into yesterday, and the
        // telemetry recomputes that day from them)
        long point = jdbc.queryForObject("""
                select mp.id from monitoring_point mp join facility f on f.id = mp.facility_id where f.enterprise_id = ?""",
                Long.class, running);
        LocalDate today = LocalDate.now(CHINA);
        // the district's energy sums every enterprise of 蓝田县, and other tests' enterprises there may have data on
        // those days: what the fixture adds must show up as exactly that much more
        Map<?, ?> dayBefore = (Map<?, ?>) ((List<?>) ((Map<?, ?>) get(admin, "/api/dashboard/summary?district=" + LANTIAN).getBody()
                .get("energy")).get("days")).get(4);
        for (Object[] day : new Object[][]{{today.minusDays(2), 120.0}, {today.minusDays(9), 100.0}}) {
            jdbc.update("insert into point_agg (point_id, grain, bucket, n, energy) values (?, '1d', ?, 1440, ?)", point,
                    Timestamp.from(((LocalDate) day[0]).atStartOfDay(CHINA).toInstant()), day[1]);
        }
        Map<?, ?> summary = get(admin, "/api/dashboard/summary?district=" + LANTIAN).getBody();
        Map<?, ?> kpi = (Map<?, ?>) summary.get("kpi");
        assertEquals(count("select count(*) from enterprise where district_code = ? and status <> 'CLOSED'", LANTIAN),
                ((Number) kpi.get("enterprises")).longValue());
        assertEquals(count("""
                select count(distinct o.enterprise_id) from production_order o join enterprise e on e.id = o.enterprise_id
                where e.district_code = ? and e.status <> 'CLOSED' and o.status = 'ACTIVE' and now() between o.valid_from and o.valid_to""", LANTIAN),
                ((Number) kpi.get("limited")).longValue());
        assertEquals(count("""
                select count(distinct a.enterprise_id) from alarm a join enterprise e on e.id = a.enterprise_id
                where e.district_code = ? and e.status <> 'CLOSED' and a.status = 'ACTIVE' and a.handling <> 'CANCELLED'""", LANTIAN),
                ((Number) kpi.get("problem")).longValue());
        long loggers = count("select count(*) from data_logger d join enterprise e on e.id = d.enterprise_id where e.district_code = ? and e.status <> 'CLOSED'", LANTIAN);
        assertEquals(loggers, ((Number) kpi.get("loggers")).longValue());
        // of this test's five loggers in 蓝田县 four sent data, one never did
        assertTrue(((Number) kpi.get("loggersOnline")).longValue() >= 4 && ((Number) kpi.get("loggersOnline")).longValue() < loggers,
                kpi.toString());
        assertEquals(((Number) kpi.get("loggersOnline")).doubleValue() / loggers, ((Number) kpi.get("onlineRate")).doubleValue(), 1e-4);

        Map<?, ?> energy = (Map<?, ?>) summary.get("energy");
        List<?> days = (List<?>) energy.get("days");
        assertEquals(7, days.size());
        Map<?, ?> twoDaysAgo = (Map<?, ?>) days.get(4);
        assertEquals(today.minusDays(2).toString(), twoDaysAgo.get("day"));
        assertEquals(120.0, ((Number) twoDaysAgo.get("energy")).doubleValue() - number(dayBefore.get("energy")), 1e-6);
        assertEquals(100.0, ((Number) twoDaysAgo.get("previousEnergy")).doubleValue() - number(dayBefore.get("previousEnergy")), 1e-6);

        Map<?, ?> global = get(admin, "/api/dashboard/summary").getBody();
        Map<?, ?> ranking = ((List<?>) global.get("alarmRanking")).stream().map(o -> (Map<?, ?>) o)
                .filter(m -> ZHOUZHI.equals(m.get("code"))).findFirst().orElseThrow();
        assertEquals(count("""
                select count(*) from alarm a join enterprise e on e.id = a.enterprise_id where e.district_code = ?
                and e.status <> 'CLOSED' and a.status = 'ACTIVE' and a.handling <> 'CANCELLED'""", ZHOUZHI),
                ((Number) ranking.get("open")).longValue());
        assertEquals("周至县", ranking.get("name"));
        Map<?, ?> levels = (Map<?, ?>) ((Map<?, ?>) global.get("kpi")).get("openAlarmsByLevel");
        assertTrue(((Number) levels.get("LEVEL_1")).intValue() >= 1, levels.toString());
        assertTrue(((List<?>) global.get("byIndustry")).stream().anyMatch(m -> "26".equals(((Map<?, ?>) m).get("code"))
                && "化学原料和化学制品制造业".equals(((Map<?, ?>) m).get("name"))), String.valueOf(global.get("byIndustry")));
    }

    private long count(String sql, String district) {
        return jdbc.queryForObject(sql, Long.class, district);
    }

    @Test
    void theOverviewShowsTheFourStatesAndFiltersSortsAndPages() {
        Map<Long, Map<?, ?>> rows = overview("q=" + tag + "&size=100");
        assertEquals(6, rows.size(), "name search: " + rows.keySet());
        assertEquals(List.of("RUNNING", "NONE", "NONE", "ONLINE"), states(rows.get(running)));
        assertEquals(List.of("STOPPED", "NONE", "NONE", "ONLINE"), states(rows.get(stopped)));
        assertEquals(List.of("OFFLINE", "NONE", "NONE", "OFFLINE"), states(rows.get(offline)));
        assertEquals(List.of("RUNNING", "ABNORMAL", "NONE", "ONLINE"), states(rows.get(treatmentStopped)));
        assertEquals(List.of("RUNNING", "NONE", "VIOLATED", "ONLINE"), states(rows.get(alarmAndOrder)));
        assertEquals(List.of("OFFLINE", "NONE", "KEPT", "OFFLINE"), states(rows.get(ordered)));
        assertEquals("STOP", rows.get(ordered).get("orderKind"));

        assertEquals(Set.of(alarmAndOrder), overview("q=" + tag + "&abnormality=alarm").keySet());
        assertEquals(Set.of(treatmentStopped), overview("q=" + tag + "&abnormality=TREATMENT").keySet());
        assertEquals(Set.of(alarmAndOrder), overview("q=" + tag + "&abnormality=ORDER").keySet());
        assertEquals(Set.of(alarmAndOrder, ordered), overview("q=" + tag + "&abnormality=ORDERED").keySet());
        assertEquals(Set.of(offline, ordered), overview("q=" + tag + "&abnormality=OFFLINE").keySet());
        assertEquals(Set.of(running, stopped, offline, treatmentStopped), overview("q=" + tag + "&district=" + LANTIAN).keySet());
        assertEquals(6, overview("q=" + tag + "&industry=26").size(), "an industry includes its sub-codes");
        assertEquals(0, overview("q=" + tag + "&industry=33").size());
        assertEquals(Set.of(running), overview("q=运行企业" + tag).keySet());
        assertEquals(0, overview("q=" + tag + "%25").size(), "% in a name search is a character, not a wildcard");

        // sorted by name descending, two per page: three pages, no row twice
        Map<?, ?> first = get(admin, "/api/overview/enterprises?q=" + tag + "&sort=name,desc&size=2&page=0").getBody();
        assertEquals(6, first.get("total"));
        List<String> names = new java.util.ArrayList<>();
        for (int page = 0; page < 3; page++) {
            for (Object o : (List<?>) get(admin, "/api/overview/enterprises?q=" + tag + "&sort=name,desc&size=2&page=" + page)
                    .getBody().get("items")) {
                names.add((String) ((Map<?, ?>) o).get("name"));
            }
        }
        List<String> expected = new java.util.ArrayList<>(names);
        expected.sort(java.util.Comparator.reverseOrder());
        assertEquals(expected, names);
        assertEquals(6, Set.copyOf(names).size());
        // the default order: most open alarms first
        Map<?, ?> top = (Map<?, ?>) ((List<?>) get(admin, "/api/overview/enterprises?q=" + tag).getBody().get("items")).get(0);
        assertEquals(alarmAndOrder, ((Number) top.get("id")).longValue());
        Map<?, ?> counts = (Map<?, ?>) get(admin, "/api/overview/enterprises?q=" + tag).getBody().get("abnormalityCounts");
        assertEquals(2, counts.get("ORDERED"));
    }

    private Map<Long, Map<?, ?>> overview(String query) {
        ResponseEntity<Map> r = get(admin, "/api/overview/enterprises?size=500&" + query);
        assertEquals(200, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return ((List<?>) r.getBody().get("items")).stream().map(o -> (Map<?, ?>) o)
                .collect(Collectors.toMap(m -> ((Number) m.get("id")).longValue(), m -> m));
    }

    private static List<Object> states(Map<?, ?> row) {
        assertNotNull(row);
        return List.of(row.get("emission"), row.get("treatment"), row.get("order"), row.get("comm"));
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        for (String[] c : new String[][]{
                {"/api/dashboard/summary?district=61", "district"},
                {"/api/overview/enterprises?district=abc", "district"},
                {"/api/overview/enterprises?size=0", "size"},
                {"/api/overview/enterprises?size=501", "size"},
                {"/api/overview/enterprises?page=-1", "page"},
                {"/api/overview/enterprises?page=x", "page"},
                {"/api/overview/enterprises?sort=bogus", "sort"},
                {"/api/overview/enterprises?sort=name,up", "sort"},
                {"/api/overview/enterprises?abnormality=LATE", "abnormality"},
                {"/api/overview/enterprises?industry=26';", "industry"}}) {
            ResponseEntity<Map> r = get(admin, c[0]);
            assertEquals(400, r.getStatusCode().value(), c[0] + " " + r.getBody());
            assertEquals(c[1], r.getBody().get("field"), c[0] + " " + r.getBody());
        }
        assertEquals(401, get(null, "/api/dashboard/map").getStatusCode().value());
    }

    @Test
    void theMapRowsAreSentCompressed() throws Exception {
        java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(http.getRootUri() + "/api/dashboard/map"))
                .header("Authorization", "Bearer " + admin).header("Accept-Encoding", "gzip").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""), "JSON over 2 KB is gzipped");
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"id\":" + running), "the rows inside");
    }

    @Test
    void theBaseMapIsOfflineByDefault() {
        Map<?, ?> config = get(admin, "/api/dashboard/map-config").getBody();
        assertEquals("610100", config.get("adcode"));
        assertEquals("西安市", config.get("city"));
        assertEquals("/map/610100.json", config.get("boundaries"));
        assertEquals("none", ((Map<?, ?>) config.get("tiles")).get("source"));
        assertEquals(2, ((List<?>) config.get("center")).size());
    }

    /** A day's energy as the summary gives it: absent (null) when the district had no data that day. */
    private static double number(Object energy) {
        return energy == null ? 0 : ((Number) energy).doubleValue();
    }
}
