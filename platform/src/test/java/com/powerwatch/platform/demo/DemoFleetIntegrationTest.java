package com.powerwatch.platform.demo;

import com.powerwatch.platform.PlatformIntegrationTest;
import com.powerwatch.platform.auth.AuthTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the README promises for {@code --demo}: the simulated fleet is registered, its readings arrive through the
 * gateway, every enterprise gets a real-time state within a minute, history has its samples, and its registry
 * passes the archive-completeness data checks (so what the demo later finds is real, not noise from the demo).
 */
class DemoFleetIntegrationTest extends PlatformIntegrationTest {

    private static final int LOGGERS = 6;
    private static final List<String> STATES_FROM_DATA = List.of("RUNNING", "STOPPED", "ABNORMAL");

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry r) {
        r.add("powerwatch.demo.enabled", () -> "true");
        r.add("powerwatch.demo.loggers", () -> String.valueOf(LOGGERS));
        r.add("powerwatch.demo.interval", () -> "2s");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    com.powerwatch.simulator.Fleet demoFleet;

    @Test
    @SuppressWarnings("unchecked")
    void theDemoFleetIsRegisteredReportsAndHasStatesAndHistory() throws InterruptedException {
        TestRestTemplate admin = AuthTestSupport.as(rest, AuthTestSupport.adminToken(jdbc));
        List<Map<String, Object>> enterprises = List.of();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            enterprises = admin.getForObject("/api/realtime/enterprises", List.class);
            if (enterprises.size() == LOGGERS && enterprises.stream().allMatch(e -> STATES_FROM_DATA.contains(e.get("state")))) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(LOGGERS, enterprises.size(), "one enterprise per simulated logger: " + enterprises);
        for (Map<String, Object> e : enterprises) {
            assertTrue(String.valueOf(e.get("name")).matches("(西安|陕西).+有限(责任)?公司"), "a company's name: " + e);
            assertTrue(STATES_FROM_DATA.contains(e.get("state")), "a state from data within a minute: " + e);
        }
        // every demo enterprise has an address and a place on the map (WGS-84, in Xi'an)
        assertEquals(0, jdbc.queryForObject("""
                select count(*) from enterprise where address is null or longitude not between 107.6 and 109.9
                    or latitude not between 33.6 and 34.8""", Integer.class));
        // the demo's kept production limit (限停产中) and the plant shut for maintenance (停运)
        assertEquals(1, jdbc.queryForObject("select count(*) from production_order where source_ref = 'DEMO-LIMIT'", Integer.class));
        String maintenance = DemoRegistry.scenes(demoFleet.loggers()).maintenance().mn();
        long shut = jdbc.queryForObject("select enterprise_id from data_logger where mn = ?", Long.class, maintenance);
        assertEquals("STOPPED", enterprises.stream().filter(e -> ((Number) e.get("id")).longValue() == shut)
                .findFirst().orElseThrow().get("state"), "the plant shut for maintenance is stopped");
        assertTrue(jdbc.queryForObject("select count(*) from point_sample", Long.class) > 0, "samples stored");
        // every demo logger has its own password and proves itself with it: not one frame refused or merely warned
        assertEquals(0, jdbc.queryForObject("select count(*) from data_logger where note = '--demo' and (pw_hash is null "
                + "or access_policy <> 'REJECT')", Integer.class));
        assertEquals(0, jdbc.queryForObject("select count(*) from raw_frame f join data_logger d on d.mn = f.mn "
                + "where d.note = '--demo' and (f.verdict <> 'VALID' or f.reason is not null)", Integer.class));
        // associations follow the simulated plants' 治理线组: every line treated, every treatment serving a line
        assertEquals(0, jdbc.queryForObject("""
                select count(*) from facility f where f.kind in ('PRODUCTION', 'TREATMENT') and not exists (
                  select 1 from facility_association a where a.production_facility_id = f.id or a.treatment_facility_id = f.id)""",
                Integer.class), "a facility without association");
        assertTrue(jdbc.queryForObject("select count(*) from facility_association", Integer.class) > 0);

        long id = ((Number) enterprises.get(0).get("id")).longValue();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        // URI variables are encoded strictly: the offset's '+' arrives as '+', not as a space
        Map<?, ?> series = admin.getForObject("/api/history/series?subject=enterprise&id={id}&from={from}&to={to}", Map.class,
                id, today.minusDays(1) + "T00:00:00+08:00", today.plusDays(1) + "T00:00:00+08:00");
        assertTrue(((Number) series.get("count")).intValue() > 0, "the enterprise's power curve has points: " + series);

        // the demo's ordered stop that one round-the-clock plant does not keep: a real alarm from the engine
        assertEquals(1, jdbc.queryForObject("select count(*) from production_order where source_ref = 'DEMO'", Integer.class));
        long alarmDeadline = System.nanoTime() + 150_000_000_000L;
        Map<?, ?> alarms = Map.of();
        while (System.nanoTime() < alarmDeadline) {
            alarms = admin.getForObject("/api/alarms?type=PRODUCTION_DURING_STOP", Map.class);
            if (!((List<?>) alarms.get("items")).isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(1, ((List<?>) alarms.get("items")).size(), "the demo shows an alarm: " + alarms);

        Map<?, ?> run = admin.postForObject("/api/data-checks/runs", Map.of(), Map.class);
        assertEquals("SUCCEEDED", run.get("status"), run.toString());
        Map<?, ?> findings = admin.getForObject("/api/data-checks/findings?category=ARCHIVE_COMPLETENESS", Map.class);
        assertEquals(0, ((Number) findings.get("total")).intValue(), "the demo registry is complete: " + findings);
    }
}
