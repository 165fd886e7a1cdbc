package com.powerwatch.platform.analysis;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.auth.TokenHashing;
import com.powerwatch.platform.registry.ThresholdProposals;
import com.powerwatch.platform.telemetry.FacilityStateMachine;
import com.powerwatch.platform.telemetry.RegistrySnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learned thresholds end to end on the real database: days of 1-minute samples written into point_sample, a
 * proposal computed through the API, accepted by an operator (facility row, audit log, registry snapshot, the
 * engine's state), refused with a reason, rejected, and proposed by the daily run only where thresholds are missing.
 */
class ThresholdProposalIntegrationTest extends EngineTestSupport {

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static final String YANTA = "610113";
    private static final String WEIYANG = "610112";

    @Autowired
    TestRestTemplate http;
    @Autowired
    ThresholdProposals proposals;

    record User(TestRestTemplate http, String username) {
    }

    User user(Role role, List<String> regions, Long enterpriseId) {
        String token = AuthTestSupport.token(jdbc, role, regions, enterpriseId);
        String name = jdbc.queryForObject("select u.username from app_user u join auth_token t on t.user_id = u.id where t.token_hash = ?",
                String.class, TokenHashing.hash(token));
        return new User(AuthTestSupport.as(http, token), name);
    }

    static ResponseEntity<Map<String, Object>> call(TestRestTemplate t, HttpMethod method, String url, Object body) {
        return t.exchange(url, method, body == null ? null : new HttpEntity<>(body), MAP);
    }

    static Map<String, Object> ok(ResponseEntity<Map<String, Object>> r, int status) {
        assertEquals(status, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** {@code days} of 1-minute samples of one meter up to {@code end}: P (kW) and three equal phase currents (A). */
    void history(long pointId, LocalDateTime end, int days, Function<LocalDateTime, Double> kw, Function<LocalDateTime, Double> amps) {
        List<Object[]> rows = new ArrayList<>();
        for (LocalDateTime t = end.minusDays(days); t.isBefore(end); t = t.plusMinutes(1)) {
            Double p = kw.apply(t);
            Double i = amps.apply(t);
            if (p != null || i != null) {
                rows.add(new Object[]{pointId, Timestamp.from(t.toInstant(CHINA)), p, i, i, i});
            }
        }
        jdbc.batchUpdate("insert into point_sample (point_id, ts, p, ia, ib, ic, received_at) values (?, ?, ?, ?, ?, ?, now())", rows);
    }

    /** Up to the current minute. */
    void history(long pointId, int days, Function<LocalDateTime, Double> kw, Function<LocalDateTime, Double> amps) {
        history(pointId, LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES), days, kw, amps);
    }

    static boolean dayShift(LocalDateTime t) {
        return t.getHour() >= 8 && t.getHour() < 20;
    }

    /** A treatment facility without thresholds, two meters carrying 12 + 8 kW while it runs (08:00–20:00), 5 days. */
    record Plant(long enterprise, long facility, long point1, long point2) {
    }

    Plant treatmentWithHistory(long seed) {
        long e = enterprise();
        long f = facility(e, "TREATMENT", null, null, null, 30.0);
        String mn = uniqueMn();
        logger(mn, e);
        long p1 = point(f, mn, "100001");
        long p2 = point(f, mn, "100002");
        Random r = new Random(seed);
        LocalDateTime end = LocalDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES); // both meters: the same minutes
        LocalDateTime gap = end.truncatedTo(ChronoUnit.HOURS).minusDays(2).withHour(10);
        history(p1, end, 5, t -> dayShift(t) ? 12 * (1 + 0.02 * r.nextGaussian()) : 0.02 * r.nextDouble(), t -> null);
        // meter 2 silent for an hour: those minutes are left out rather than read as a low level
        history(p2, end, 5, t -> !t.isBefore(gap) && t.isBefore(gap.plusHours(1)) ? null
                : dayShift(t) ? 8 * (1 + 0.02 * r.nextGaussian()) : 0.01 * r.nextDouble(), t -> null);
        registry.refresh();
        return new Plant(e, f, p1, p2);
    }

    Map<String, Object> facilityRow(long id) {
        return jdbc.queryForMap("select stop_below, run_above, abnormal_below, normal_running from facility where id = ?", id);
    }

    @Test
    void anOperatorAcceptsAProposalAndTheEngineUsesTheLearnedThresholds() throws Exception {
        Plant plant = treatmentWithHistory(1);
        User operator = user(Role.OPERATOR, List.of(), null);
        User enterpriseUser = user(Role.ENTERPRISE_USER, List.of(), plant.enterprise());
        User apiClient = user(Role.API_CLIENT, List.of(), null);
        String compute = "/api/registry/facilities/" + plant.facility() + "/threshold-proposals";

        assertEquals(403, call(enterpriseUser.http(), HttpMethod.POST, compute, Map.of()).getStatusCode().value());
        assertEquals(403, call(apiClient.http(), HttpMethod.POST, compute, Map.of()).getStatusCode().value());
        assertEquals(0, jdbc.queryForObject("select count(*) from threshold_proposal where facility_id = ?", Long.class, plant.facility()));

        Map<String, Object> p = ok(call(operator.http(), HttpMethod.POST, compute, Map.of("days", 7)), 201);
        long id = ((Number) p.get("id")).longValue();
        assertEquals("PROPOSED", p.get("status"));
        assertEquals("P", p.get("quantity"));
        assertEquals("MANUAL", p.get("trigger"));
        assertEquals(operator.username(), p.get("requestedBy"));
        assertEquals(20, num(p.get("normalRunning")), 0.4, "the two meters summed: " + p);
        double stop = num(p.get("stopBelow"));
        double run = num(p.get("runAbove"));
        assertTrue(0.03 < stop && stop < run && run < 10, p.toString());
        assertEquals(0.6 * num(p.get("normalRunning")), num(p.get("abnormalBelow")), 0.05, "k = TREATMENT_ABNORMAL abnormalRatio");
        @SuppressWarnings("unchecked")
        Map<String, Object> quality = (Map<String, Object>) p.get("quality");
        assertEquals(2, quality.get("points"));
        assertEquals(60, quality.get("incompleteBuckets"), "the hour meter 2 was silent");
        assertEquals(5 * 1440 - 60, quality.get("samples"));
        assertEquals(2, quality.get("levels"));
        assertTrue(num(quality.get("separation")) > 0.9, quality.toString());
        assertNull(facilityRow(plant.facility()).get("run_above"), "nothing changes before an operator accepts");

        // the review list, scoped like every registry list; reads are open to the enterprise's own user
        String review = "/api/registry/threshold-proposals?status=PROPOSED&size=500";
        assertTrue(ids(ok(call(operator.http(), HttpMethod.GET, review, null), 200)).contains(id));
        assertTrue(ids(ok(call(user(Role.DISTRICT_OFFICER, List.of(YANTA), null).http(), HttpMethod.GET, review, null), 200)).contains(id));
        assertTrue(!ids(ok(call(user(Role.DISTRICT_OFFICER, List.of(WEIYANG), null).http(), HttpMethod.GET, review, null), 200)).contains(id));
        assertEquals(200, call(enterpriseUser.http(), HttpMethod.GET, "/api/registry/threshold-proposals/" + id, null).getStatusCode().value());

        String accept = "/api/registry/threshold-proposals/" + id + "/accept";
        assertEquals(403, call(enterpriseUser.http(), HttpMethod.POST, accept, Map.of()).getStatusCode().value());
        assertEquals(403, call(apiClient.http(), HttpMethod.POST, accept, Map.of()).getStatusCode().value());
        assertNull(facilityRow(plant.facility()).get("run_above"));

        Map<String, Object> accepted = ok(call(operator.http(), HttpMethod.POST, accept, Map.of("note", "现场核对后接受")), 200);
        assertEquals("ACCEPTED", accepted.get("status"));
        assertEquals(operator.username(), accepted.get("decidedBy"));
        assertEquals("现场核对后接受", accepted.get("note"));
        Map<String, Object> row = facilityRow(plant.facility());
        assertEquals(stop, num(row.get("stop_below")));
        assertEquals(run, num(row.get("run_above")));
        assertEquals(num(p.get("abnormalBelow")), num(row.get("abnormal_below")));
        assertEquals(num(p.get("normalRunning")), num(row.get("normal_running")));

        List<Map<String, Object>> audit = jdbc.queryForList("""
                select username, role, outcome, detail::text as detail from audit_log
                where action = 'THRESHOLD_PROPOSAL_ACCEPTED' and target = ?""", "facility:" + plant.facility());
        assertEquals(1, audit.size(), audit.toString());
        assertEquals(operator.username(), audit.get(0).get("username"));
        assertEquals("OPERATOR", audit.get(0).get("role"));
        assertEquals("SUCCESS", audit.get(0).get("outcome"));
        String detail = (String) audit.get(0).get("detail");
        assertTrue(detail.contains("\"proposalId\": " + id) && detail.contains("\"runAbove\": " + run) && detail.contains("\"before\""), detail);

        assertEquals(409, call(operator.http(), HttpMethod.POST, accept, Map.of()).getStatusCode().value(), "decided once");
        assertEquals(409, call(operator.http(), HttpMethod.POST, "/api/registry/threshold-proposals/" + id + "/reject",
                Map.of("note", "晚了")).getStatusCode().value());

        // the snapshot was reloaded by the acceptance: the engine's thresholds are the accepted ones
        RegistrySnapshot.Facility f = registry.snapshot().facilities().get(plant.facility());
        assertEquals(num(p.get("normalRunning")), f.normalRunning());
        FacilityStateMachine.Thresholds th = engine.thresholds(f);
        assertEquals(stop, th.stopBelow());
        assertEquals(run, th.runAbove());
        assertEquals(num(p.get("abnormalBelow")), th.abnormalBelow());

        // and its state machine reads the facility with them: 20 kW running, 7 kW (35 % of normal) abnormal, 0 stopped
        long rx = System.currentTimeMillis();
        int m = 0;
        for (double[] kw : new double[][]{{12, 8}, {12, 8}, {4, 3}, {4, 3}, {0, 0}, {0, 0}}) {
            apply(sample(plant.point1(), m, kw[0], 230, null, false, rx), sample(plant.point2(), m, kw[1], 230, null, false, rx));
            FacilityStateMachine.State expected = m < 2 ? FacilityStateMachine.State.RUNNING
                    : m < 4 ? FacilityStateMachine.State.ABNORMAL : FacilityStateMachine.State.STOPPED;
            if (m % 2 == 1) { // debounce: two samples agree
                assertEquals(expected, engine.facilityState(plant.facility()), "minute " + m);
            }
            m++;
        }
    }

    @Test
    void acceptedValuesMayBeEditedButMustKeepTheRegistryRules() {
        Plant plant = treatmentWithHistory(2);
        User officer = user(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        long id = ((Number) ok(call(officer.http(), HttpMethod.POST,
                "/api/registry/facilities/" + plant.facility() + "/threshold-proposals", null), 201).get("id")).longValue();
        String accept = "/api/registry/threshold-proposals/" + id + "/accept";
        ResponseEntity<Map<String, Object>> bad = call(officer.http(), HttpMethod.POST, accept, Map.of("stopBelow", 5, "runAbove", 4));
        assertEquals(400, bad.getStatusCode().value());
        assertEquals("stopBelow", bad.getBody().get("field"));
        bad = call(officer.http(), HttpMethod.POST, accept, Map.of("runAbove", 15, "abnormalBelow", 10));
        assertEquals("abnormalBelow", bad.getBody().get("field"), "the abnormal band sits above run_above");
        bad = call(officer.http(), HttpMethod.POST, accept, Map.of("runAbove", 31, "abnormalBelow", 35));
        assertEquals("runAbove", bad.getBody().get("field"), "run_above above the rated 30 kW");
        assertNull(facilityRow(plant.facility()).get("run_above"), "refused edits write nothing");

        Map<String, Object> a = ok(call(officer.http(), HttpMethod.POST, accept, Map.of("stopBelow", 1.5, "runAbove", 3, "abnormalBelow", 13)), 200);
        assertEquals(Map.of("stopBelow", 1.5, "runAbove", 3.0, "abnormalBelow", 13.0, "normalRunning", a.get("normalRunning")),
                a.get("accepted"));
        Map<String, Object> row = facilityRow(plant.facility());
        assertEquals(1.5, num(row.get("stop_below")));
        assertEquals(3.0, num(row.get("run_above")));
        assertEquals(13.0, num(row.get("abnormal_below")));
    }

    @Test
    void theEngineTakesTheAbnormalThresholdFromTheNormalValueWhenNoneIsSet() {
        long e = enterprise();
        long t = facility(e, "TREATMENT", 1.0, 3.0, null, null);
        long prod = facility(e, "PRODUCTION", 1.0, 3.0, null, null);
        jdbc.update("update facility set normal_running = 20, updated_at = now() where id in (?, ?)", t, prod);
        registry.refresh();
        engine.refreshRules();
        assertEquals(0.6 * 20, engine.thresholds(registry.snapshot().facilities().get(t)).abnormalBelow(), 1e-9,
                "k = abnormalRatio of TREATMENT_ABNORMAL (default 0.6)");
        assertNull(engine.thresholds(registry.snapshot().facilities().get(prod)).abnormalBelow(), "production: no abnormal band");

        User admin = user(Role.CITY_ADMIN, List.of(), null);
        ok(call(admin.http(), HttpMethod.PUT, "/api/alarm-rules", Map.of("type", "TREATMENT_ABNORMAL", "scopeLevel", "FACILITY",
                "scopeKey", String.valueOf(t), "params", Map.of("abnormalRatio", 0.7))), 200);
        engine.refreshRules();
        assertEquals(0.7 * 20, engine.thresholds(registry.snapshot().facilities().get(t)).abnormalBelow(), 1e-9);

        jdbc.update("update facility set abnormal_below = 5, updated_at = now() where id = ?", t);
        registry.refresh();
        assertEquals(5.0, engine.thresholds(registry.snapshot().facilities().get(t)).abnormalBelow(), "the registry's value wins");
    }

    @Test
    void aHistoryThatDoesNotAllowLearningIsRefusedWithItsReason() {
        long e = enterprise();
        long always = facility(e, "PRODUCTION", null, null, null, null);
        String mn = uniqueMn();
        logger(mn, e);
        long pt = point(always, mn, "100001");
        Random r = new Random(3);
        history(pt, 5, t -> 50 * (1 + 0.05 * r.nextGaussian()), t -> null);
        long noPoints = facility(e, "PRODUCTION", null, null, null, null);
        registry.refresh();
        User operator = user(Role.OPERATOR, List.of(), null);

        ResponseEntity<Map<String, Object>> res = call(operator.http(), HttpMethod.POST,
                "/api/registry/facilities/" + always + "/threshold-proposals", null);
        assertEquals(422, res.getStatusCode().value(), String.valueOf(res.getBody()));
        assertEquals("CANNOT_LEARN", res.getBody().get("error"));
        assertTrue(((String) res.getBody().get("message")).contains("从未停机"), res.getBody().toString());

        res = call(operator.http(), HttpMethod.POST, "/api/registry/facilities/" + always + "/threshold-proposals", Map.of("days", 1));
        assertEquals(422, res.getStatusCode().value());
        assertTrue(((String) res.getBody().get("message")).contains("至少需要 3 天"), res.getBody().toString());

        res = call(operator.http(), HttpMethod.POST, "/api/registry/facilities/" + noPoints + "/threshold-proposals", null);
        assertEquals(422, res.getStatusCode().value());
        assertTrue(((String) res.getBody().get("message")).contains("没有在用的监测点"), res.getBody().toString());

        res = call(operator.http(), HttpMethod.POST, "/api/registry/facilities/" + always + "/threshold-proposals", Map.of("days", 0));
        assertEquals(400, res.getStatusCode().value());
        assertEquals("days", res.getBody().get("field"));
        res = call(operator.http(), HttpMethod.POST, "/api/registry/facilities/" + always + "/threshold-proposals", Map.of("days", 61));
        assertEquals("days", res.getBody().get("field"));

        assertEquals(0, jdbc.queryForObject("select count(*) from threshold_proposal where facility_id in (?, ?)", Long.class,
                always, noPoints), "refusals store nothing");
    }

    @Test
    void devicesReportingOnlyCurrentAreLearnedInAmperes() {
        long e = enterprise();
        long f = facility(e, "TREATMENT", null, null, null, null);
        jdbc.update("update facility set threshold_quantity = 'I' where id = ?", f);
        String mn = uniqueMn();
        logger(mn, e);
        long pt = point(f, mn, "100001");
        Random r = new Random(4);
        history(pt, 5, t -> null, t -> dayShift(t) ? 40 * (1 + 0.02 * r.nextGaussian()) : 0.2 * r.nextDouble());
        registry.refresh();
        Map<String, Object> p = ok(call(user(Role.OPERATOR, List.of(), null).http(), HttpMethod.POST,
                "/api/registry/facilities/" + f + "/threshold-proposals", null), 201);
        assertEquals("I", p.get("quantity"));
        assertEquals("A", p.get("unit"));
        assertEquals(40, num(p.get("normalRunning")), 0.8);
        assertTrue(num(p.get("stopBelow")) > 0.2 && num(p.get("runAbove")) < 20, p.toString());
    }

    @Test
    void rejectionNeedsANoteAndANewProposalSupersedesTheOpenOne() {
        Plant plant = treatmentWithHistory(5);
        User operator = user(Role.OPERATOR, List.of(), null);
        String compute = "/api/registry/facilities/" + plant.facility() + "/threshold-proposals";
        long first = ((Number) ok(call(operator.http(), HttpMethod.POST, compute, null), 201).get("id")).longValue();
        long second = ((Number) ok(call(operator.http(), HttpMethod.POST, compute, null), 201).get("id")).longValue();
        assertEquals("SUPERSEDED", jdbc.queryForObject("select status from threshold_proposal where id = ?", String.class, first));
        assertEquals(409, call(operator.http(), HttpMethod.POST, "/api/registry/threshold-proposals/" + first + "/accept", null)
                .getStatusCode().value(), "a superseded proposal cannot be accepted");

        String reject = "/api/registry/threshold-proposals/" + second + "/reject";
        ResponseEntity<Map<String, Object>> noNote = call(operator.http(), HttpMethod.POST, reject, Map.of("note", " "));
        assertEquals(400, noNote.getStatusCode().value());
        assertEquals("note", noNote.getBody().get("field"));
        Map<String, Object> rejected = ok(call(operator.http(), HttpMethod.POST, reject, Map.of("note", "夜间有检修负荷，阈值偏低")), 200);
        assertEquals("REJECTED", rejected.get("status"));
        assertEquals(operator.username(), rejected.get("decidedBy"));
        assertNull(facilityRow(plant.facility()).get("run_above"));
        assertEquals(1, jdbc.queryForObject("""
                select count(*) from audit_log where action = 'THRESHOLD_PROPOSAL_REJECTED' and target = ? and username = ?""",
                Long.class, "facility:" + plant.facility(), operator.username()));

        List<?> list = operator.http().exchange(compute, HttpMethod.GET, null, List.class).getBody();
        assertEquals(2, list.size(), "newest first: the rejected, then the superseded");
    }

    @Test
    void theDailyRunProposesOnlyWhereThresholdsAreMissingAndKeepsAFreshOpenProposal() {
        Plant missing = treatmentWithHistory(6);
        Plant configured = treatmentWithHistory(7);
        jdbc.update("update facility set stop_below = 1, run_above = 2, updated_at = now() where id = ?", configured.facility());

        proposals.proposeWhereThresholdsAreMissing();
        List<Map<String, Object>> rows = proposalsOf(missing.facility());
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("PROPOSED", rows.get(0).get("status"));
        assertEquals("SCHEDULED", rows.get(0).get("trigger"));
        assertNull(rows.get(0).get("requested_by"));
        assertEquals(0, proposalsOf(configured.facility()).size(), "a facility with thresholds is left alone");

        proposals.proposeWhereThresholdsAreMissing();
        assertEquals(rows, proposalsOf(missing.facility()), "an open proposal younger than a day is not overwritten");

        jdbc.update("update threshold_proposal set computed_at = now() - interval '2 days' where facility_id = ?", missing.facility());
        proposals.proposeWhereThresholdsAreMissing();
        List<Map<String, Object>> again = proposalsOf(missing.facility());
        assertEquals(2, again.size());
        assertEquals("PROPOSED", again.get(0).get("status"));
        assertNotEquals(rows.get(0).get("id"), again.get(0).get("id"));
        assertEquals("SUPERSEDED", again.get(1).get("status"), "a stale open proposal is replaced");

        ok(call(user(Role.OPERATOR, List.of(), null).http(), HttpMethod.POST,
                "/api/registry/threshold-proposals/" + again.get(0).get("id") + "/reject", Map.of("note", "不需要")), 200);
        jdbc.update("update threshold_proposal set computed_at = now() - interval '2 days' where facility_id = ?", missing.facility());
        proposals.proposeWhereThresholdsAreMissing();
        assertEquals(2, proposalsOf(missing.facility()).size(), "nothing new for a week after a rejection");
    }

    List<Map<String, Object>> proposalsOf(long facilityId) {
        return jdbc.queryForList("select id, status, trigger, requested_by from threshold_proposal where facility_id = ? order by id desc",
                facilityId);
    }

    @SuppressWarnings("unchecked")
    static List<Long> ids(Map<String, Object> page) {
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> item : (List<Map<String, Object>>) page.get("items")) {
            out.add(((Number) item.get("id")).longValue());
        }
        return out;
    }
}
