package com.powerwatch.platform.audit;

import com.powerwatch.platform.auth.AuthIntegrationTestBase;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every bulk read of data — Excel exports, raw frames, audit searches — leaves an EXPORT row: who, scope, what was asked, rows. */
class ExportAuditIntegrationTest extends AuthIntegrationTestBase {

    private String username(String token) {
        return (String) get(token, "/api/auth/me").getBody().get("username");
    }

    private ResponseEntity<byte[]> download(String token, String url) {
        return http.exchange(url, HttpMethod.GET, new HttpEntity<>(headers(token)), byte[].class);
    }

    /** The caller's one EXPORT row of this kind, as the database holds it. */
    private Map<String, Object> exportRow(String username, String what) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select role, outcome, detail->'scope' #>> '{}' scope, detail->'query' #>> '{}' query, (detail->>'rows')::int rows_out,
                       detail #>> '{}' detail
                from audit_log where action = 'EXPORT' and target = ? and username = ?""", what, username);
        assertEquals(1, rows.size(), what + " by " + username + ": " + rows);
        assertEquals("SUCCESS", rows.get(0).get("outcome"));
        return rows.get(0);
    }

    @Test
    void excelExportsAreRecordedWithScopeFiltersAndRowCount() {
        long[] enterprises = enterprises();
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        String officerName = username(officer);

        assertEquals(200, download(officer, "/api/alarms/export?status=all&level=LEVEL_1").getStatusCode().value());
        Map<String, Object> alarms = exportRow(officerName, "alarms");
        assertEquals("DISTRICT_OFFICER", alarms.get("role"));
        assertEquals("{\"regions\": [\"610113\"]}", alarms.get("scope"));
        assertEquals("{\"level\": \"LEVEL_1\", \"status\": \"all\"}", alarms.get("query"));
        assertNotNull(alarms.get("rows_out"));

        assertEquals(200, download(officer, "/api/registry/excel/export").getStatusCode().value());
        Map<String, Object> registry = exportRow(officerName, "registry");
        long visible = jdbc.queryForObject("select count(*) from enterprise where district_code like '610113%'", Long.class);
        assertEquals(visible, ((Number) registry.get("rows_out")).longValue() - sheetRowsBeyondEnterprises(registry), registry.toString());

        String enterpriseUser = AuthTestSupport.token(jdbc, Role.ENTERPRISE_USER, List.of(), enterprises[0]);
        assertEquals(200, download(enterpriseUser, "/api/registry/excel/export").getStatusCode().value());
        Map<String, Object> own = exportRow(username(enterpriseUser), "registry");
        assertEquals("{\"enterpriseId\": " + enterprises[0] + "}", own.get("scope"));
        assertEquals(1, ((Number) own.get("rows_out")).intValue(), "the one enterprise, nothing else");
    }

    /** Facilities, points and associations the officer's export held besides the enterprises. */
    private long sheetRowsBeyondEnterprises(Map<String, Object> row) {
        return jdbc.queryForObject("""
                select (select count(*) from facility f join enterprise e on e.id = f.enterprise_id where e.district_code like '610113%')
                     + (select count(*) from monitoring_point p join facility f on f.id = p.facility_id join enterprise e on e.id = f.enterprise_id
                        where e.district_code like '610113%')
                     + (select count(*) from facility_association a join facility f on f.id = a.production_facility_id
                        join enterprise e on e.id = f.enterprise_id where e.district_code like '610113%')""", Long.class);
    }

    @Test
    void rawFramesAndAuditSearchesAreRecorded() {
        String operator = AuthTestSupport.token(jdbc, Role.OPERATOR, List.of(), null);
        ResponseEntity<Map> frames = get(operator, "/api/ingest/raw-frames?mn=NOSUCHMN01&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
        assertEquals(200, frames.getStatusCode().value(), String.valueOf(frames.getBody()));
        Map<String, Object> raw = exportRow(username(operator), "raw-frames");
        assertEquals("{\"all\": true}", raw.get("scope"));
        assertEquals(0, ((Number) raw.get("rows_out")).intValue());
        assertEquals("{\"mn\": \"NOSUCHMN01\", \"to\": \"2026-01-02T00:00:00Z\", \"from\": \"2026-01-01T00:00:00Z\"}", raw.get("query"));

        String admin = AuthTestSupport.adminToken(jdbc);
        ResponseEntity<Map> search = get(admin, "/api/admin/audit?action=EXPORT&size=5");
        assertEquals(200, search.getStatusCode().value());
        Map<String, Object> audit = exportRow(username(admin), "audit-log");
        assertEquals(((List<?>) search.getBody().get("items")).size(), ((Number) audit.get("rows_out")).intValue());
        assertEquals("{\"size\": \"5\", \"action\": \"EXPORT\"}", audit.get("query"));
    }
}
