package com.powerwatch.platform.registry;

import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmSignal;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Through any API": every handler method of the application — those added later included — is called by a
 * district officer and by an enterprise user with the identifiers of an enterprise outside their scope (path
 * variables, and the query parameters the read APIs take). A read that targets that enterprise's objects must be
 * refused (403/404); no successful answer may carry its name or data-logger MN; no write may succeed or change
 * anything. The administrator makes the same calls to prove the calls reach the data (the test cannot pass by
 * asking for nothing).
 */
class ScopeAcrossEveryApiTest extends RegistryTestBase {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** History reads that target one object through ?subject/&id (or ?scope=enterprise&id). */
    private static final Set<String> ID_TARGETED_QUERIES = Set.of("/api/history/series", "/api/history/energy",
            "/api/history/energy/compare");
    /** Path variables that name one of the enterprise's objects (not a dictionary code or a data-check run). */
    private static final Pattern ENTERPRISE_OBJECT = Pattern.compile(
            "\\{(id|lineId|facilityId|productionId|treatmentId|pointId|mn|alarmId|attachmentId|orderId|ruleId|proposalId)[}:]");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/:]+)(:(?:[^{}]|\\{[^}]*})*)?}");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    TelemetryRegistry telemetry;
    @Autowired
    AlarmRecorder alarms;

    /** The target enterprise's fixture plus an alarm (with a photo row), a production order, a facility rule and a threshold proposal of it. */
    record Target(Fixture f, String name, long runId, long alarmId, long attachmentId, long orderId, long ruleId, long proposalId) {
    }

    @Test
    void noOfficerOrEnterpriseUserReachesAnotherEnterpriseThroughAnyApi() {
        TestRestTemplate admin = admin();
        Fixture mine = fixture(admin, YANTA);
        Fixture neighbour = fixture(admin, YANTA);
        Fixture otherDistrict = fixture(admin, WEIYANG);
        telemetry.refresh(); // the real-time APIs know the new enterprises
        long run = id(ok(call(admin, HttpMethod.POST, "/api/data-checks/runs", Map.of()), 201));

        TestRestTemplate officer = as(Role.DISTRICT_OFFICER, List.of(YANTA), null);
        TestRestTemplate enterpriseUser = as(Role.ENTERPRISE_USER, List.of(), mine.enterpriseId());
        check("district officer of 雁塔区", officer, admin, target(otherDistrict, run));
        check("enterprise user", enterpriseUser, admin, target(neighbour, run));
        check("enterprise user", enterpriseUser, admin, target(otherDistrict, run));
    }

    private Target target(Fixture f, long run) {
        alarms.raise(new AlarmSignal("LOGGER_OFFLINE", "logger:" + f.mn(), f.enterpriseId(), null, null, f.mn(), null,
                Instant.now().minusSeconds(60), Map.of("mn", f.mn())));
        long alarm = jdbc.queryForObject("select id from alarm where subject_key = ? and status = 'ACTIVE'", Long.class, "logger:" + f.mn());
        long attachment = jdbc.queryForObject("""
                insert into alarm_attachment (alarm_id, file_name, stored_path, content_type, size_bytes, sha256)
                values (?, 'photo.png', 'none.png', 'image/png', 1, repeat('0', 64)) returning id""", Long.class, alarm);
        TestRestTemplate admin = admin();
        long order = id(ok(call(admin, HttpMethod.POST, "/api/production-orders", Map.of("enterpriseId", f.enterpriseId(),
                "kind", "STOP", "validFrom", "2025-12-01T00:00:00+08:00", "validTo", "2025-12-03T00:00:00+08:00", "source", "OTHER")), 201));
        long rule = id(ok(call(admin, HttpMethod.PUT, "/api/alarm-rules", Map.of("type", "FROZEN_VALUE", "scopeLevel", "FACILITY",
                "scopeKey", String.valueOf(f.productionId()), "params", Map.of("identicalSamples", 20))), 200));
        // an open threshold proposal (one per facility: the second target() of the same fixture finds it)
        Long proposal = jdbc.query("select id from threshold_proposal where facility_id = ? and status = 'PROPOSED'",
                rs -> rs.next() ? rs.getLong(1) : null, f.productionId());
        if (proposal == null) {
            proposal = jdbc.queryForObject("""
                    insert into threshold_proposal (facility_id, window_from, window_to, quantity, stop_below, run_above, normal_running, trigger)
                    values (?, now() - interval '14 days', now(), 'P', 2, 5, 40, 'MANUAL') returning id""", Long.class, f.productionId());
        }
        return new Target(f, jdbc.queryForObject("select name from enterprise where id = ?", String.class, f.enterpriseId()), run,
                alarm, attachment, order, rule, proposal);
    }

    private void check(String who, TestRestTemplate caller, TestRestTemplate admin, Target t) {
        String before = snapshot(t.f().enterpriseId());
        List<String> leaks = new ArrayList<>();
        int adminSawIt = 0;
        int targetedReads = 0;
        int writes = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            if (streamsOrFiles(info)) {
                continue; // SSE scope: TelemetryIntegrationTest; Excel export scope: ExcelImportIntegrationTest
            }
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/") || pattern.startsWith("/api/auth/")) {
                    continue; // /api/auth/* is about the caller only
                }
                boolean hasVariables = VARIABLE.matcher(pattern).find();
                boolean namesItsObject = ENTERPRISE_OBJECT.matcher(pattern).find();
                String path = substitute(pattern, t);
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    if (method == RequestMethod.GET) {
                        for (String query : queries(t)) {
                            String url = path + "?" + query;
                            ResponseEntity<String> mineAnswer = raw(caller, HttpMethod.GET, url, null);
                            ResponseEntity<String> adminAnswer = raw(admin, HttpMethod.GET, url, null);
                            boolean targeted = namesItsObject || ID_TARGETED_QUERIES.contains(pattern);
                            if (adminAnswer.getStatusCode().is2xxSuccessful()) {
                                if (mentions(adminAnswer, t)) {
                                    adminSawIt++;
                                }
                                if (targeted) {
                                    targetedReads++;
                                }
                            }
                            if (mineAnswer.getStatusCode().is2xxSuccessful() && (targeted || mentions(mineAnswer, t))) {
                                leaks.add("GET " + url + " -> " + mineAnswer.getStatusCode() + " " + abbreviate(mineAnswer.getBody()));
                            }
                        }
                    } else if (hasVariables) {
                        writes++;
                        ResponseEntity<String> r = raw(caller, HttpMethod.valueOf(method.name()), path, Map.of());
                        if (r.getStatusCode().is2xxSuccessful()) {
                            leaks.add(method + " " + path + " -> " + r.getStatusCode());
                        }
                    }
                }
            }
        }
        assertTrue(adminSawIt >= 8, "the administrator's answers named the enterprise only " + adminSawIt
                + " times: the calls do not reach its data and the test would pass vacuously");
        assertTrue(targetedReads >= 15, "only " + targetedReads + " reads targeted the enterprise's objects");
        assertTrue(writes >= 15, "only " + writes + " writes tried");
        assertEquals(List.of(), leaks, who + " reached " + t.name());
        assertEquals(before, snapshot(t.f().enterpriseId()), who + " changed " + t.name());
    }

    private static boolean streamsOrFiles(RequestMappingInfo info) {
        Set<MediaType> produces = info.getProducesCondition().getProducibleMediaTypes();
        return produces.contains(MediaType.TEXT_EVENT_STREAM) || info.getPatternValues().stream().anyMatch(p -> p.startsWith("/api/registry/excel"));
    }

    /** Path variables filled with the target enterprise's identifiers, by name. */
    private static String substitute(String pattern, Target t) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "id" -> String.valueOf(pattern.contains("/points/") ? t.f().pointId() : t.f().enterpriseId());
                case "lineId" -> String.valueOf(t.f().lineId());
                case "facilityId", "productionId" -> String.valueOf(t.f().productionId());
                case "treatmentId" -> String.valueOf(t.f().treatmentId());
                case "pointId" -> String.valueOf(t.f().pointId());
                case "mn" -> t.f().mn();
                case "run" -> String.valueOf(t.runId());
                case "alarmId" -> String.valueOf(t.alarmId());
                case "attachmentId" -> String.valueOf(t.attachmentId());
                case "orderId" -> String.valueOf(t.orderId());
                case "ruleId" -> String.valueOf(t.ruleId());
                case "proposalId" -> String.valueOf(t.proposalId());
                case "code" -> pattern.contains("/regions/") ? WEIYANG : pattern.contains("/industries/") ? "3360" : "elec-a";
                // emergency (issue 13): a warning, rotation pick or report number; a plan year and level
                case "pickId", "reportId" -> String.valueOf(t.f().enterpriseId());
                case "year" -> String.valueOf(LocalDate.now(CHINA).getYear());
                case "level" -> "RED";
                default -> throw new AssertionError("no value for {" + m.group(1) + "} in " + pattern + ": teach the test what it names");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The query parameters the read APIs take, aimed at the target (its enterprise, a facility, a point), with
     * {@code from}/{@code to} both as times (series) and as days (energy). Already URL-encoded.
     */
    private static List<String> queries(Target t) {
        LocalDate today = LocalDate.now(CHINA);
        String common = "day=" + today.minusDays(1) + "&at=" + today.toString().substring(0, 7) + "&district=" + WEIYANG
                + "&districtCode=" + WEIYANG + "&mn=" + t.f().mn() + "&q=" + URLEncoder.encode(t.name(), StandardCharsets.UTF_8)
                + "&onlyWithFindings=false&size=500";
        long e = t.f().enterpriseId();
        List<String> subjects = List.of("subject=enterprise&scope=enterprise&id=" + e + "&enterprise=" + e + "&enterpriseId=" + e,
                "subject=facility&id=" + t.f().productionId(), "subject=point&id=" + t.f().pointId());
        List<String> ranges = List.of("from=" + today.minusDays(1) + "T00:00:00%2B08:00&to=" + today.plusDays(1) + "T00:00:00%2B08:00",
                "from=" + today.minusDays(7) + "&to=" + today);
        List<String> out = new ArrayList<>();
        for (String subject : subjects) {
            for (String range : ranges) {
                out.add(common + "&" + range + "&" + subject);
            }
        }
        return out;
    }

    private boolean mentions(ResponseEntity<String> r, Target t) {
        String body = r.getBody() == null ? "" : r.getBody();
        return body.contains(t.name()) || body.contains(t.f().mn());
    }

    private static ResponseEntity<String> raw(TestRestTemplate t, HttpMethod method, String url, Object body) {
        // a URI, not a template: the query is already encoded and must not be encoded twice
        return t.exchange(URI.create(url), method, body == null ? null : new HttpEntity<>(body), String.class);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private String snapshot(long enterpriseId) {
        return jdbc.queryForObject("""
                select (select row(e.*)::text from enterprise e where e.id = ?)
                 || (select coalesce(string_agg(row(f.*)::text, ',' order by f.id), '') from facility f where f.enterprise_id = ?)
                 || (select coalesce(string_agg(row(p.*)::text, ',' order by p.id), '') from monitoring_point p
                        join facility f on f.id = p.facility_id where f.enterprise_id = ?)
                 || (select coalesce(string_agg(row(l.*)::text, ',' order by l.id), '') from production_line l where l.enterprise_id = ?)
                 || (select coalesce(string_agg(row(a.*)::text, ',' order by a.production_facility_id, a.treatment_facility_id), '')
                        from facility_association a join facility f on f.id = a.production_facility_id where f.enterprise_id = ?)
                 || (select coalesce(string_agg(row(d.*)::text, ',' order by d.mn), '') from data_logger d where d.enterprise_id = ?)
                 || (select coalesce(string_agg(row(t.*)::text, ',' order by t.id), '') from threshold_proposal t
                        join facility f on f.id = t.facility_id where f.enterprise_id = ?)""",
                String.class, enterpriseId, enterpriseId, enterpriseId, enterpriseId, enterpriseId, enterpriseId, enterpriseId);
    }
}
