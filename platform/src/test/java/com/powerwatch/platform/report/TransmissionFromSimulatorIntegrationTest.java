package com.powerwatch.platform.report;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.demo.DemoRegistry;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import com.powerwatch.simulator.Fleet;
import com.powerwatch.simulator.FleetConfig;
import com.powerwatch.simulator.LoggerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 设备传输情况统计 end to end: simulated data loggers send the first hours of yesterday through the real gateway (sped
 * up), the telemetry consumer aggregates them, and the report's received samples per logger equal what the simulator
 * says was acknowledged (distinct DataTimes × the logger's points) against a whole day expected.
 */
class TransmissionFromSimulatorIntegrationTest extends ReportTestBase {

    @Autowired
    TcpGateway gateway;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    TelemetryRegistry registry;

    @Test
    void receivedSamplesAreTheAcknowledgedFrames() throws Exception {
        LocalDate yesterday = today.minusDays(1);
        FleetConfig config = FleetConfig.builder("127.0.0.1", gateway.port()).loggers(2).seed(13)
                .mnPrefix("RPT" + UUID.randomUUID().toString().replace("-", "").substring(0, 5).toUpperCase())
                .interval(Duration.ofSeconds(60)).speedup(1200).simulatedStart(yesterday.atStartOfDay())
                .staggered(false).recordFrames(true).build();
        try (Fleet fleet = Fleet.prepare(config)) {
            List<LoggerInfo> loggers = fleet.loggers();
            DemoRegistry.register(jdbc, tx, loggers, List.of(), false);
            Set<String> mns = loggers.stream().map(LoggerInfo::mn).collect(Collectors.toSet());
            // registered long ago: the report expects data for the whole of yesterday
            jdbc.update("update monitoring_point set created_at = now() - interval '30 days' where mn in (?, ?)", mns.toArray());
            registry.refresh();
            fleet.begin();
            fleet.closeAfter(Duration.ofHours(6));
            // a DataTime may take more than one frame (packets): wait for a few simulated hours, then stop the loggers
            await("simulated hours sent", () -> fleet.frames().size() >= 2 * 358);
            fleet.drain(Duration.ofSeconds(20));
            Map<String, Long> acked = fleet.frames().stream().filter(f -> f.acked() && f.cn().equals("2011"))
                    .collect(Collectors.groupingBy(f -> f.mn(), Collectors.mapping(f -> f.dataTime(), Collectors.collectingAndThen(
                            Collectors.toSet(), s -> (long) s.size()))));
            Map<String, Long> points = mns.stream().collect(Collectors.toMap(mn -> mn,
                    mn -> jdbc.queryForObject("select count(*) from monitoring_point where mn = ?", Long.class, mn)));
            await("the hourly aggregates of every acknowledged sample", () -> mns.stream().allMatch(mn -> acked.get(mn) * points.get(mn)
                    == jdbc.queryForObject("select coalesce(sum(a.n), 0) from point_agg a join monitoring_point mp on mp.id = a.point_id"
                    + " where mp.mn = ? and a.grain = '1h'", Long.class, mn)));

            Map<String, Object> section = sections(report(admin, "TRANSMISSION", "from=" + yesterday + "&to=" + yesterday + "&by=logger")).get(0);
            for (String mn : mns) {
                Map<String, Object> row = rowWith(rows(section), "mn", mn);
                long expected = 60L * 24 * points.get(mn);
                assertEquals(expected, n(row.get("expected")), "every minute of the day, every point");
                assertEquals(acked.get(mn) * points.get(mn), n(row.get("received")), "what the simulator saw acknowledged");
                assertEquals(Math.round(acked.get(mn) * points.get(mn) * 1000.0 / expected) / 10.0, d(row.get("completeness")), 1e-9);
                assertTrue(acked.get(mn) >= 60 && acked.get(mn) <= 361, "hours of minute samples, not more than six: " + acked.get(mn));
            }
        }
    }
}
