package com.powerwatch.platform.emergency;

import com.powerwatch.platform.auth.AuthTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 企业轮循设置 (docs/emergency.md §2): an activation picks the rotatable enterprises least limited this season first (then
 * the longest ago, then grade D → C → B), writes the ledger, and an officer's override (with a reason, audited) puts one
 * in or takes one out; the next activation counts what the last one did.
 */
class RotationIntegrationTest extends EmergencyTestSupport {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** What the test knows of a candidate: times limited this season and when last, and its grade. */
    record Known(long enterpriseId, String grade, int times, Instant last) {
    }

    @Test
    void theLeastLimitedArePickedFirstTheLedgerIsKeptAndOverridesAreAudited() {
        String admin = AuthTestSupport.adminToken(jdbc);
        int year = 2044;
        String district = "610111";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = now.atZone(CHINA).toLocalDate();
        // the season began 30 days ago; a limit 40 days ago is last season's
        String season = String.format("%02d-%02d", today.minusDays(30).getMonthValue(), today.minusDays(30).getDayOfMonth());
        Map<String, Ent> e = new HashMap<>();
        for (String[] x : new String[][]{{"E1", "C"}, {"E2", "B"}, {"E3", "D"}, {"E4", "C"}, {"E5", "C"}, {"E6", "D"}}) {
            e.put(x[0], enterprise(district, x[1], Map.of("", Map.of("炉", 100.0))));
            ResponseEntity<Map> r = post(admin, "/api/emergency/plans", map("year", year, "level", "ORANGE", "enterpriseId", e.get(x[0]).id(),
                    "measure", "STOP", "rotatable", !x[0].equals("E6")));
            assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
        }
        // history this season: E1 twice, E2 once (5 days ago), E5 once (15 days ago) and once last season
        history(e.get("E1").id(), now.minus(20, ChronoUnit.DAYS));
        history(e.get("E1").id(), now.minus(10, ChronoUnit.DAYS));
        history(e.get("E2").id(), now.minus(5, ChronoUnit.DAYS));
        history(e.get("E5").id(), now.minus(15, ChronoUnit.DAYS));
        history(e.get("E5").id(), now.minus(40, ChronoUnit.DAYS));
        ResponseEntity<Map> saved = put(admin, "/api/emergency/rotation/" + year + "/ORANGE", map("mode", "ORDER", "targetKind", "COUNT",
                "targetValue", 2, "seasonStart", season));
        assertEquals(200, saved.getStatusCode().value(), String.valueOf(saved.getBody()));

        List<Known> known = new ArrayList<>(List.of(
                new Known(e.get("E1").id(), "C", 2, now.minus(10, ChronoUnit.DAYS)),
                new Known(e.get("E2").id(), "B", 1, now.minus(5, ChronoUnit.DAYS)),
                new Known(e.get("E3").id(), "D", 0, null),
                new Known(e.get("E4").id(), "C", 0, null),
                new Known(e.get("E5").id(), "C", 1, now.minus(15, ChronoUnit.DAYS))));
        List<Long> expected = order(known);
        // the preview says what an activation now would pick
        Map<?, ?> preview = get(admin, "/api/emergency/rotation/" + year + "/ORANGE/preview?districts=" + district).getBody();
        assertEquals(expected, ((List<?>) preview.get("candidates")).stream().map(c -> (Map<?, ?>) c)
                .map(c -> ((Number) c.get("enterpriseId")).longValue()).toList());

        long w1 = start(admin, year, district);
        List<Map<String, Object>> ledger = ledger(admin, w1);
        assertEquals(expected, ledger.stream().map(r -> ((Number) r.get("enterpriseId")).longValue()).toList(), "the order of the ledger");
        assertEquals(List.of(true, true, false, false, false), ledger.stream().map(r -> r.get("picked")).toList(), "the first two");
        for (Map<String, Object> r : ledger) {
            Known k = known.stream().filter(x -> x.enterpriseId() == ((Number) r.get("enterpriseId")).longValue()).findFirst().orElseThrow();
            assertEquals(k.times(), ((Number) r.get("timesLimited")).intValue(), "times limited this season of " + r);
        }
        assertEquals(List.of(expected.get(0), expected.get(1), e.get("E6").id()).stream().sorted().toList(), measured(w1),
                "the picked and the enterprise that is not rotatable");
        assertEquals(Boolean.TRUE, jdbc.queryForObject("select rotation_picked from emergency_measure where warning_id = ? and enterprise_id = ?",
                Boolean.class, w1, expected.get(0)));

        // an override: the second pick out, the third candidate in, each with a reason
        long outPick = ((Number) ledger.get(1).get("id")).longValue();
        long inPick = ((Number) ledger.get(2).get("id")).longValue();
        assertEquals(400, post(admin, "/api/emergency/warnings/" + w1 + "/rotation/" + outPick, map("picked", false)).getStatusCode().value(),
                "a reason is required");
        assertEquals(200, post(admin, "/api/emergency/warnings/" + w1 + "/rotation/" + outPick,
                map("picked", false, "reason", "该企业设备检修已停产")).getStatusCode().value());
        assertEquals(200, post(admin, "/api/emergency/warnings/" + w1 + "/rotation/" + inPick,
                map("picked", true, "reason", "替补轮循")).getStatusCode().value());
        assertTrue(jdbc.queryForObject("""
                select valid_to <= now() from emergency_measure where warning_id = ? and enterprise_id = ?""", Boolean.class, w1,
                expected.get(1)), "taken out: its measure ended");
        assertEquals(1, jdbc.queryForObject("select count(*) from emergency_measure m join production_order o on o.id = m.production_order_id "
                + "where m.warning_id = ? and m.enterprise_id = ? and o.status = 'ACTIVE'", Integer.class, w1, expected.get(2)), "put in: an order");
        List<Map<String, Object>> after = ledger(admin, w1);
        assertEquals("该企业设备检修已停产", after.get(1).get("overrideReason"));
        assertEquals(Boolean.FALSE, after.get(1).get("picked"));
        assertEquals(Boolean.TRUE, after.get(2).get("picked"));
        assertEquals(2, jdbc.queryForObject("select count(*) from audit_log where action = 'EMERGENCY_ROTATION_OVERRIDDEN' and target in (?, ?)",
                Integer.class, "emergency-rotation-pick:" + outPick, "emergency-rotation-pick:" + inPick));
        assertEquals(200, post(admin, "/api/emergency/warnings/" + w1 + "/lift", map()).getStatusCode().value());

        // the next activation counts the first: every enterprise that had a measure in it is one more time limited
        Instant w1Start = jdbc.queryForObject("select starts_at from emergency_warning where id = ?", Timestamp.class, w1).toInstant();
        List<Known> next = new ArrayList<>();
        for (Known k : known) {
            boolean inFirst = jdbc.queryForObject("select count(*) from emergency_measure where warning_id = ? and enterprise_id = ?",
                    Integer.class, w1, k.enterpriseId()) > 0;
            Timestamp latest = jdbc.queryForObject("select max(valid_from) from emergency_measure where warning_id = ? and enterprise_id = ?",
                    Timestamp.class, w1, k.enterpriseId());
            Instant since = latest != null ? latest.toInstant() : w1Start;
            next.add(inFirst ? new Known(k.enterpriseId(), k.grade(), k.times() + 1, since) : k);
        }
        List<Long> expectedNext = order(next);
        long w2 = start(admin, year, district);
        List<Map<String, Object>> ledger2 = ledger(admin, w2);
        assertEquals(expectedNext, ledger2.stream().map(r -> ((Number) r.get("enterpriseId")).longValue()).toList());
        assertFalse(ledger2.get(0).get("enterpriseId").equals(expected.get(0)), "the first pick of last time is not first again");
        assertEquals(200, post(admin, "/api/emergency/warnings/" + w2 + "/lift", map()).getStatusCode().value());
    }

    /** The rotation order, computed here: times ↑, last limited ↑ (never first), grade D → C → B, id. */
    static List<Long> order(List<Known> candidates) {
        Map<String, Integer> grade = Map.of("D", 0, "C", 1, "B", 2);
        return candidates.stream().sorted(Comparator.comparingInt(Known::times)
                        .thenComparing(k -> k.last() == null ? Instant.MIN : k.last())
                        .thenComparingInt(k -> grade.getOrDefault(k.grade(), 3))
                        .thenComparingLong(Known::enterpriseId))
                .map(Known::enterpriseId).toList();
    }

    private long start(String admin, int year, String district) {
        OffsetDateTime starts = OffsetDateTime.now(ZoneOffset.ofHours(8)).truncatedTo(ChronoUnit.MINUTES).minusMinutes(30);
        ResponseEntity<Map> r = post(admin, "/api/emergency/warnings", map("level", "ORANGE", "planYear", year, "startsAt", starts.toString(),
                "endsAt", starts.plusHours(4).toString(), "districtCodes", List.of(district)));
        assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return ((Number) r.getBody().get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> ledger(String token, long warning) {
        return getList(token, "/api/emergency/warnings/" + warning + "/rotation").getBody();
    }

    private List<Long> measured(long warning) {
        return jdbc.queryForList("select enterprise_id from emergency_measure where warning_id = ? order by enterprise_id", Long.class, warning);
    }

    /** An earlier (ended) warning in which the enterprise had a stop measure from {@code at}. */
    private void history(long enterpriseId, Instant at) {
        long w = jdbc.queryForObject("""
                insert into emergency_warning (level, plan_year, starts_at, ends_at, status, created_by_name)
                values ('ORANGE', 2044, ?, ?, 'ENDED', 'test') returning id""", Long.class, Timestamp.from(at),
                Timestamp.from(at.plus(1, ChronoUnit.DAYS)));
        jdbc.update("""
                insert into emergency_measure (warning_id, enterprise_id, level, measure, valid_from, valid_to)
                values (?, ?, 'ORANGE', 'STOP', ?, ?)""", w, enterpriseId, Timestamp.from(at), Timestamp.from(at.plus(1, ChronoUnit.DAYS)));
    }
}
