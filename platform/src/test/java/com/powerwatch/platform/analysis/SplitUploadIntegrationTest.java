package com.powerwatch.platform.analysis;

import com.powerwatch.hj212.Cp;
import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A meter's items spread over the two sub-packets of split uploads, each sub-packet read by the engine in a batch of
 * its own: the engine must judge the merged sample, not the halves (docs/analysis-models.md §1, "Split uploads").
 */
class SplitUploadIntegrationTest extends EngineTestSupport {

    @Autowired
    TestRestTemplate rest;

    @Test
    void aPhaseLossSpreadOverSubPacketsIsOneAlarmNotOnePerHalf() throws Exception {
        long e = enterprise();
        long f = facility(e, "PRODUCTION", 5.0, 10.0, null, null);
        String mn = uniqueMn();
        logger(mn, e);
        long point = point(f, mn, "100001");
        registry.refresh();
        for (int m = 0; m < 12; m++) {
            // part 1: power, currents and phase A (normal); part 2: phases B (lost) and C
            Cp.Builder first = Cp.builder().value("100001", "Pt", "20").value("100001", "Ia", "30")
                    .value("100001", "Ib", "30").value("100001", "Ic", "30").value("100001", "Ua", "225")
                    .value("100001", "Flag", "N");
            Cp.Builder second = Cp.builder().value("100001", "Ub", "0.1").value("100001", "Uc", "226");
            long batches = engine.batches();
            sendPart(mn, m, first, 2, 1);
            // the first half is read (and held) before the second is sent: they land in different batches
            await("engine read the first sub-packet of minute " + m, () -> engine.batches() > batches && engine.lag() == 0);
            sendPart(mn, m, second, 2, 2);
        }
        awaitEngine(point, 11);
        List<Map<String, Object>> phase = alarms("PHASE_LOSS", "point:" + point);
        assertEquals(1, phase.size(), "one alarm for one phase loss: " + phase);
        assertEquals("ACTIVE", phase.get(0).get("status"), "a half sample with phase A only must not clear it");
        assertEquals(ms(5), millis(phase.get(0).get("started_at")), "raised after 5 min of the merged samples");
    }

    @Test
    void operatorsSeeTheEngineStatusOthersDoNot() {
        ResponseEntity<Map> status = AuthTestSupport.as(rest, AuthTestSupport.adminToken(jdbc)).getForEntity("/api/analysis/engine", Map.class);
        assertEquals(200, status.getStatusCode().value());
        assertEquals("RUNNING", status.getBody().get("state"));
        assertTrue(((Number) status.getBody().get("samples")).longValue() >= 0 && status.getBody().containsKey("dataClock"));
        String officer = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        assertEquals(403, AuthTestSupport.as(rest, officer).getForEntity("/api/analysis/engine", Map.class).getStatusCode().value());
    }
}
