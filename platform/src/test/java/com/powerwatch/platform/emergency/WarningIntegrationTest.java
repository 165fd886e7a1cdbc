package com.powerwatch.platform.emergency;

import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 启动应急预警 (docs/emergency.md §3): starting a warning turns the plans into production orders the engine reads; an
 * upgrade replaces them, an extension moves their end, lifting ends them; every change is kept, audited and announced.
 */
class WarningIntegrationTest extends EmergencyTestSupport {

    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    @Autowired
    ProductionOrders productionOrders;

    @Test
    void activationCreatesTheOrdersAnUpgradeChangesThemAnExtensionMovesThemLiftingEndsThem() {
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2041;
        // districts 610113 (covered) and 610112 (not covered)
        Ent stop = enterprise("610113", "C", Map.of("1#线", Map.of("1#窑", 100.0), "2#线", Map.of("2#窑", 60.0)));
        Ent limit = enterprise("610113", "B", Map.of("", Map.of("磨机", 80.0)));
        Ent self = enterprise("610113", "A", Map.of("", Map.of("熔炉", 300.0)));
        Ent outside = enterprise("610112", "D", Map.of("", Map.of("炉", 50.0)));
        plan(admin, year, "ORANGE", stop.id(), "STOP", "LINE", List.of(stop.lines().get("1#线")), null, null);
        plan(admin, year, "ORANGE", limit.id(), "LIMIT", "ENTERPRISE", List.of(), 30, 64.0);
        plan(admin, year, "ORANGE", self.id(), "SELF", "ENTERPRISE", List.of(), null, null);
        plan(admin, year, "ORANGE", outside.id(), "STOP", "ENTERPRISE", List.of(), null, null);
        plan(admin, year, "RED", stop.id(), "STOP", "ENTERPRISE", List.of(), null, null);
        plan(admin, year, "RED", limit.id(), "STOP", "ENTERPRISE", List.of(), null, 64.0);
        plan(admin, year, "RED", self.id(), "SELF", "ENTERPRISE", List.of(), null, null);
        long enterpriseUser = user(unique("企业用户"), Role.ENTERPRISE_USER, GOOD_PASSWORD, List.of(), stop.id());
        long yantaOfficer = user(unique("雁塔"), Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of("610113"), null);
        long weiyangOfficer = user(unique("未央"), Role.DISTRICT_OFFICER, GOOD_PASSWORD, List.of("610112"), null);

        OffsetDateTime starts = OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES).minusHours(1);
        OffsetDateTime ends = starts.plusDays(2);
        Map<String, Object> body = map("level", "ORANGE", "planYear", year, "startsAt", starts.toString(), "endsAt", ends.toString(),
                "document", "西安市重污染天气应急指挥部〔2041〕1号", "districtCodes", List.of("610113"));
        String officerToken = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        assertEquals(403, post(officerToken, "/api/emergency/warnings", body).getStatusCode().value(), "the city issues warnings");
        ResponseEntity<Map> started = post(admin, "/api/emergency/warnings", body);
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long id = ((Number) started.getBody().get("id")).longValue();
        assertEquals(Map.of("STOP", 1, "LIMIT", 1, "SELF", 1), started.getBody().get("measuresInForce"), "the enterprise outside is not in");
        assertEquals(409, post(admin, "/api/emergency/warnings", body).getStatusCode().value(), "one warning at a time per district");

        // the engine's view: production orders with the plan's measure, facilities and period
        ProductionOrders.ProductionOrder stopOrder = only(productionOrders.activeAt(stop.id(), Instant.now()));
        assertEquals(ProductionOrders.Kind.STOP, stopOrder.kind());
        assertEquals(List.of(stop.facilities().get("1#窑")), stopOrder.facilityIds(), "the listed line's facility only");
        assertEquals(starts.toInstant(), stopOrder.validFrom());
        assertEquals(ends.toInstant(), stopOrder.validTo());
        assertEquals(ProductionOrders.Source.EMERGENCY, stopOrder.source());
        assertEquals("EW-" + id, stopOrder.sourceRef());
        ProductionOrders.ProductionOrder limitOrder = only(productionOrders.activeAt(limit.id(), Instant.now()));
        assertEquals(30.0, limitOrder.limitPercent());
        assertEquals(64.0, limitOrder.baselineKw(), "the plan's typed baseline");
        assertEquals("MANUAL", limitOrder.baselineMethod().name());
        assertTrue(productionOrders.activeAt(self.id(), Instant.now()).isEmpty(), "self-reduction is no order");
        assertTrue(productionOrders.activeAt(outside.id(), Instant.now()).isEmpty(), "a district the warning does not cover");
        // the stop order's baseline is computed in the background: no history here, so rated × load factor (0.7)
        await("the stop order's baseline", () -> jdbc.queryForObject(
                "select baseline_kw is not null from production_order where id = ?", Boolean.class, stopOrder.id()));
        assertEquals(100.0 * 0.7, jdbc.queryForObject("select baseline_kw from production_order where id = ?", Double.class, stopOrder.id()),
                1e-6);
        assertEquals("RATED", jdbc.queryForObject("select baseline_method from production_order where id = ?", String.class, stopOrder.id()));

        // the enterprise and the officers of the district are told; the other district's officer is not
        await("the enterprise's message", () -> messages(enterpriseUser) == 1);
        await("the district officer's message", () -> messages(yantaOfficer) == 1);
        assertEquals(0, messages(weiyangOfficer));
        String text = jdbc.queryForObject("select text from user_message where user_id = ? and event = 'EMERGENCY'", String.class, enterpriseUser);
        assertTrue(text.contains("停产") && text.contains("〔2041〕1号"), text);
        String officerText = jdbc.queryForObject("select text from user_message where user_id = ? and event = 'EMERGENCY'", String.class,
                yantaOfficer);
        assertTrue(officerText.contains("停产 1 家、限产 1 家、自主减排 1 家"), officerText);

        // upgrade to red from now: the orange orders end now, the red ones begin now
        ResponseEntity<Map> upgraded = post(admin, "/api/emergency/warnings/" + id + "/level", map("level", "RED", "document", "〔2041〕2号"));
        assertEquals(200, upgraded.getStatusCode().value(), String.valueOf(upgraded.getBody()));
        assertEquals("RED", upgraded.getBody().get("level"));
        Instant upgradedAt = jdbc.queryForObject("select effective_at from emergency_warning_change where warning_id = ? and kind = 'UPGRADE'",
                java.sql.Timestamp.class, id).toInstant();
        assertEquals(upgradedAt, jdbc.queryForObject("select valid_to from production_order where id = ?", java.sql.Timestamp.class,
                stopOrder.id()).toInstant(), "the orange order ends at the upgrade");
        ProductionOrders.ProductionOrder redStop = only(productionOrders.activeAt(stop.id(), upgradedAt.plusSeconds(1)));
        assertTrue(redStop.facilityIds().isEmpty(), "red: the whole enterprise stops");
        assertEquals(upgradedAt, redStop.validFrom());
        ProductionOrders.ProductionOrder redLimit = only(productionOrders.activeAt(limit.id(), upgradedAt.plusSeconds(1)));
        assertEquals(ProductionOrders.Kind.STOP, redLimit.kind(), "the limited enterprise stops at red");
        assertEquals(64.0, redLimit.baselineKw());
        await("the upgrade's messages", () -> messages(enterpriseUser) == 2);

        // extend by a day: the red orders end later
        OffsetDateTime later = ends.plusDays(1);
        ResponseEntity<Map> extended = post(admin, "/api/emergency/warnings/" + id + "/end", map("endsAt", later.toString()));
        assertEquals(200, extended.getStatusCode().value(), String.valueOf(extended.getBody()));
        assertEquals(later.toInstant(), jdbc.queryForObject("select valid_to from production_order where id = ?", java.sql.Timestamp.class,
                redStop.id()).toInstant());
        assertEquals(upgradedAt, jdbc.queryForObject("select valid_to from production_order where id = ?", java.sql.Timestamp.class,
                stopOrder.id()).toInstant(), "the ended orange order stays ended");

        // lift now: the red orders end, the warning is over, nothing is in force any more
        ResponseEntity<Map> lifted = post(admin, "/api/emergency/warnings/" + id + "/lift", map("reason", "空气质量好转"));
        assertEquals(200, lifted.getStatusCode().value(), String.valueOf(lifted.getBody()));
        assertEquals("ENDED", lifted.getBody().get("status"));
        Instant liftedAt = jdbc.queryForObject("select lifted_at from emergency_warning where id = ?", java.sql.Timestamp.class, id).toInstant();
        assertTrue(productionOrders.activeAt(stop.id(), liftedAt.plusSeconds(1)).isEmpty());
        assertTrue(productionOrders.activeAt(limit.id(), liftedAt.plusSeconds(1)).isEmpty());
        assertEquals(2, jdbc.queryForObject("select count(*) from production_order where source_ref = ? and valid_to = ?", Integer.class,
                "EW-" + id, java.sql.Timestamp.from(liftedAt)), "both red orders end at the lift");
        assertEquals(409, post(admin, "/api/emergency/warnings/" + id + "/level", map("level", "YELLOW")).getStatusCode().value());

        // every change kept, in order, and audited
        assertEquals(List.of("START", "UPGRADE", "EXTEND", "LIFT"), jdbc.queryForList(
                "select kind from emergency_warning_change where warning_id = ? order by id", String.class, id));
        assertEquals(4, jdbc.queryForObject("select count(*) from audit_log where target = ? and action like 'EMERGENCY_WARNING_%'",
                Integer.class, "emergency-warning:" + id));
        Map<?, ?> detail = get(admin, "/api/emergency/warnings/" + id).getBody();
        assertEquals(4, ((List<?>) detail.get("changes")).size());
        // the measures as a list: 3 orange, 3 red
        Map<?, ?> list = get(admin, "/api/emergency/warnings/" + id + "/measures").getBody();
        assertEquals(6, ((Number) list.get("total")).intValue());
        // a district officer of the other district does not see this warning
        String weiyang = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610112"), null);
        assertEquals(404, get(weiyang, "/api/emergency/warnings/" + id).getStatusCode().value());
        assertTrue(items(get(weiyang, "/api/emergency/warnings?size=200")).stream().noneMatch(w -> ((Number) w.get("id")).longValue() == id));
        assertTrue(items(get(admin, "/api/emergency/warnings?status=ENDED&size=200")).stream()
                .anyMatch(w -> ((Number) w.get("id")).longValue() == id && "雁塔区".equals(w.get("districtNames"))));
    }

    @Test
    void aWarningStartingLaterIsCancelledCleanlyWhenLiftedBeforeItsStartAndBadInputIsNamed() {
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2042;
        Ent e = enterprise("610111", "D", Map.of("", Map.of("炉", 40.0)));
        plan(admin, year, "YELLOW", e.id(), "STOP", "ENTERPRISE", List.of(), null, null);
        OffsetDateTime starts = OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.MINUTES).plusHours(5);
        assertField(post(admin, "/api/emergency/warnings", map("level", "YELLOW", "startsAt", starts.toString(),
                "endsAt", starts.minusHours(1).toString(), "districtCodes", List.of("610111"))), "endsAt");
        assertField(post(admin, "/api/emergency/warnings", map("level", "YELLOW", "startsAt", starts.toString(),
                "endsAt", starts.plusDays(1).toString(), "districtCodes", List.of("999999"))), "districtCodes");
        assertField(post(admin, "/api/emergency/warnings", map("level", "YELLOW", "startsAt", starts.toString(),
                "endsAt", starts.plusDays(90).toString(), "districtCodes", List.of("610111"))), "endsAt"); // max-warning-duration 31d
        assertField(post(admin, "/api/emergency/warnings", map("level", "YELLOW", "startsAt", starts.minusDays(5).toString(),
                "endsAt", starts.plusDays(1).toString(), "districtCodes", List.of("610111"))), "startsAt"); // max-backdate 3d
        ResponseEntity<Map> started = post(admin, "/api/emergency/warnings", map("level", "YELLOW", "planYear", year,
                "startsAt", starts.toString(), "endsAt", starts.plusDays(1).toString(), "districtCodes", List.of("610111")));
        assertEquals(201, started.getStatusCode().value(), String.valueOf(started.getBody()));
        long id = ((Number) started.getBody().get("id")).longValue();
        Long order = jdbc.queryForObject("select production_order_id from emergency_measure where warning_id = ?", Long.class, id);
        ResponseEntity<Map> lifted = post(admin, "/api/emergency/warnings/" + id + "/lift", map());
        assertEquals(200, lifted.getStatusCode().value(), String.valueOf(lifted.getBody()));
        assertEquals("REVOKED", jdbc.queryForObject("select status from production_order where id = ?", String.class, order),
                "an order that had not begun is revoked");
        assertEquals("CANCELLED", jdbc.queryForObject("select status from emergency_measure where warning_id = ?", String.class, id));
        assertEquals("ENDED", lifted.getBody().get("status"));
    }

    private long messages(long userId) {
        return jdbc.queryForObject("select count(*) from user_message where user_id = ? and event = 'EMERGENCY'", Long.class, userId);
    }

    private void plan(String token, int year, String level, long enterpriseId, String measure, String scope, List<Long> targets,
                      Integer percent, Double baseline) {
        ResponseEntity<Map> r = post(token, "/api/emergency/plans", map("year", year, "level", level, "enterpriseId", enterpriseId,
                "measure", measure, "scope", scope, "targetIds", targets, "limitPercent", percent, "baselineKw", baseline));
        assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), String.valueOf(list));
        return list.get(0);
    }

    static void assertField(ResponseEntity<Map> r, String field) {
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals(field, r.getBody().get("field"), String.valueOf(r.getBody()));
    }
}
