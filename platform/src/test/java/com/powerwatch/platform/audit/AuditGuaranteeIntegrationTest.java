package com.powerwatch.platform.audit;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change that cannot be audited does not happen: the API request's audit row is written before the request runs,
 * a text the audit log could not store (NUL) is refused before anything changes, and when the row cannot be written
 * at all (here: the database refuses it) the change is not made.
 */
class AuditGuaranteeIntegrationTest extends AuthIntegrationTestBase {

    private String enterpriseJson(String name, String extra) {
        return "{\"name\": \"" + name + "\", \"districtCode\": \"610113\"" + extra + "}";
    }

    private ResponseEntity<Map> postJson(String token, String url, String body) {
        return http.exchange(url, HttpMethod.POST, new HttpEntity<>(body, headers(token)), Map.class);
    }

    private long enterprisesNamed(String name) {
        return jdbc.queryForObject("select count(*) from enterprise where name = ?", Long.class, name);
    }

    @Test
    void aRegistryChangeHoldingANulCharacterIsRefusedAndTheAttemptIsOnRecord() {
        enterprises(); // the regions
        String admin = AuthTestSupport.adminToken(jdbc);
        String name = unique("空字符企业");
        // an unknown property is ignored by the handler: before, the enterprise was created and its audit row lost
        ResponseEntity<Map> r = postJson(admin, "/api/registry/enterprises", enterpriseJson(name, ", \"remark\": \"x\\u0000y\""));
        assertEquals(400, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals("remark", r.getBody().get("field"));
        assertEquals("remark 含有不允许的NUL（U+0000），请删除后重试", r.getBody().get("message"));
        assertEquals(0, enterprisesNamed(name), "nothing created");

        ResponseEntity<Map> inName = postJson(admin, "/api/registry/enterprises", enterpriseJson(name + "\\u0000", ""));
        assertEquals(400, inName.getStatusCode().value());
        assertEquals("name", inName.getBody().get("field"));
        ResponseEntity<Map> nested = postJson(admin, "/api/registry/enterprises",
                enterpriseJson(name, ", \"contacts\": [{\"name\": \"王\\u0007工\"}]"));
        assertEquals("contacts[0].name", nested.getBody().get("field"), String.valueOf(nested.getBody()));
        assertEquals(0, enterprisesNamed(name));

        List<Map<String, Object>> rows = jdbc.queryForList("""
                select outcome, status, route, detail->'body'->>'remark' remark from audit_log
                where action = 'API_REQUEST' and detail->'body'->>'name' = ?""", name);
        assertEquals(2, rows.size(), rows.toString());
        Map<String, Object> row = rows.stream().filter(m -> m.get("remark") != null).findFirst().orElseThrow();
        assertEquals("FAILURE", row.get("outcome"));
        assertEquals(400, row.get("status"));
        assertEquals("x\u2400y", row.get("remark"), "the NUL is shown as ␀, the request recorded as it came");

        // a line break in a multi-line text is fine
        ResponseEntity<Map> ok = postJson(admin, "/api/registry/enterprises", enterpriseJson(name, ", \"address\": \"一号楼\\n二号楼\""));
        assertEquals(201, ok.getStatusCode().value(), String.valueOf(ok.getBody()));
    }

    @Test
    void aChangeWhoseAuditRowCannotBeWrittenIsNotMade() {
        enterprises();
        String admin = AuthTestSupport.adminToken(jdbc);
        String name = unique("无法审计企业");
        // the database refuses this one audit row (as when the audit table is full, locked or unreachable)
        jdbc.execute("""
                create or replace function refuse_audit_marker() returns trigger language plpgsql as $$
                begin
                  if new.detail::text like '%无法审计企业%' then raise exception 'audit log unavailable'; end if;
                  return new;
                end $$""");
        jdbc.execute("create trigger refuse_audit_marker before insert on audit_log for each row execute function refuse_audit_marker()");
        try {
            ResponseEntity<Map> r = postJson(admin, "/api/registry/enterprises", enterpriseJson(name, ""));
            assertEquals(503, r.getStatusCode().value(), String.valueOf(r.getBody()));
            assertEquals("AUDIT_UNAVAILABLE", r.getBody().get("error"));
            assertTrue(String.valueOf(r.getBody().get("message")).contains("本次操作未执行"), String.valueOf(r.getBody()));
        } finally {
            jdbc.execute("drop trigger refuse_audit_marker on audit_log");
            jdbc.execute("drop function refuse_audit_marker()");
        }
        assertEquals(0, enterprisesNamed(name), "the change was not made");
        assertEquals(201, postJson(admin, "/api/registry/enterprises", enterpriseJson(name, "")).getStatusCode().value(),
                "and is made once the audit log takes rows again");
        assertEquals("SUCCESS", jdbc.queryForObject("""
                select outcome from audit_log where action = 'API_REQUEST' and detail->'body'->>'name' = ?""", String.class, name));
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String admin = AuthTestSupport.adminToken(jdbc);
        String huge = "{\"name\": \"" + "长".repeat(400_000) + "\", \"districtCode\": \"610113\"}"; // 1.2 MB of UTF-8
        ResponseEntity<Map> r = postJson(admin, "/api/registry/enterprises", huge);
        assertEquals(413, r.getStatusCode().value(), String.valueOf(r.getBody()));
        assertEquals("TOO_LARGE", r.getBody().get("error"));
        assertEquals("请求内容超过 1 MB 的上限", r.getBody().get("message"));
    }
}
