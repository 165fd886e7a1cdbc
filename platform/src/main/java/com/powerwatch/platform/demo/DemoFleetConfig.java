package com.powerwatch.platform.demo;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.simulator.FactorFamily;
import com.powerwatch.simulator.Fleet;
import com.powerwatch.simulator.FleetConfig;
import com.powerwatch.platform.device.DeviceCredentials;
import com.powerwatch.platform.database.DatabaseStartStep;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * {@code --demo}: a fleet of simulated data loggers (enterprises with production and treatment meters,
 * both vendor code families) connects to the platform's own gateway over loopback TCP, so readings
 * arrive within seconds of start. By default simulated time is real time and each logger reports every
 * {@code powerwatch.demo.interval} (10 s, where real loggers usually send every minute).
 * The fleet is registered in the registry (see {@link DemoRegistry}) before any logger connects, once the database is
 * there (a {@link DatabaseStartStep}, the last of the start).
 *
 * <p>The alarm evaluation (bench/scripts/alarm_eval.py) uses the same fleet with a violation plan:
 * {@code powerwatch.demo.violations} &gt; 0 injects violations and look-alikes at known times (docs/simulator.md),
 * registers the plan's production orders, and writes the ground truth to {@code powerwatch.demo.truth-file};
 * {@code speedup} and {@code start} run a simulated week in minutes, {@code duration} (simulated) ends it.
 *
 * <p>{@code powerwatch.demo.connect=false} registers the fleet without connecting it, for a simulator jar run as a
 * separate process with the same {@code loggers} and {@code seed} and {@code powerwatch.demo.password} as its
 * {@code --password} (the ingestion benchmark, which wants the platform's CPU apart from the simulator's).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "powerwatch.demo.enabled", havingValue = "true")
public class DemoFleetConfig {

    private static final Logger log = LoggerFactory.getLogger(DemoFleetConfig.class);

    @Bean(destroyMethod = "close")
    public Fleet demoFleet(TcpGateway gateway, @Value("${powerwatch.demo.loggers:20}") int loggers,
                           @Value("${powerwatch.demo.interval:10s}") Duration interval,
                           @Value("${powerwatch.demo.speedup:1}") double speedup,
                           @Value("${powerwatch.demo.start:}") String start,
                           @Value("${powerwatch.demo.seed:2026}") long seed,
                           @Value("${powerwatch.demo.violations:0}") double violations,
                           @Value("${powerwatch.demo.negatives:-1}") double negatives,
                           @Value("${powerwatch.demo.violation-days:7}") int violationDays,
                           @Value("${powerwatch.demo.truth-file:}") String truthFile,
                           @Value("${powerwatch.demo.orders-file:}") String ordersFile,
                           @Value("${powerwatch.demo.duration:}") Duration duration) {
        LocalDateTime simulatedStart = start.isBlank() ? LocalDateTime.now(ZoneId.of("Asia/Shanghai")) : LocalDateTime.parse(start);
        FleetConfig.Builder config = FleetConfig.builder("127.0.0.1", gateway.port())
                .loggers(loggers)
                .seed(seed)
                .interval(interval)
                .speedup(speedup)
                .simulatedStart(simulatedStart)
                .family(FactorFamily.MIXED)
                .recordFrames(false);
        if (violations > 0) {
            config.violations(violations).violationDays(violationDays);
            if (negatives >= 0) {
                config.negatives(negatives);
            }
            if (!truthFile.isBlank()) {
                config.violationsFile(Path.of(truthFile));
            }
            if (!ordersFile.isBlank()) {
                config.ordersFile(Path.of(ordersFile));
            }
        }
        log.info("demo: {} simulated data loggers will connect to the gateway on port {} from simulated {} at {}× speed",
                loggers, gateway.port(), simulatedStart, speedup);
        return Fleet.prepare(config.build());
    }

    @Bean
    public DatabaseStartStep demoFleetStart(Fleet fleet, JdbcTemplate jdbc, TransactionTemplate tx, TelemetryRegistry registry,
                                            DeviceCredentials credentials,
                                            @Value("${powerwatch.demo.violations:0}") double violations,
                                            @Value("${powerwatch.demo.duration:}") Duration duration,
                                            @Value("${powerwatch.demo.connect:true}") boolean connect,
                                            @Value("${powerwatch.demo.password:}") String password) {
        return new DatabaseStartStep("demo fleet", DatabaseStartStep.DEMO, () -> {
            // registered before any logger connects, so every frame finds its points and the orders are in force
            DemoRegistry.register(jdbc, tx, fleet.loggers(), fleet.orders(), violations == 0);
            DemoRegistry.givePasswords(jdbc, fleet, password);
            credentials.reload();
            if (violations == 0) {
                DemoRegistry.Scenes scenes = DemoRegistry.scenes(fleet.loggers());
                if (scenes.maintenance() != null) {
                    fleet.shutDown(scenes.maintenance().index()); // 停运 on the map (the ground truth of a plan knows nothing of it)
                }
            }
            registry.refresh();
            if (!connect) {
                // the same fleet (loggers, seed, password) is simulated by a separate process: register it only
                log.info("demo: {} data loggers registered; not connecting them (powerwatch.demo.connect=false)",
                        fleet.loggers().size());
                return;
            }
            log.info("demo: {} simulated data loggers registered ({} production orders of the violation plan); connecting",
                    fleet.loggers().size(), fleet.orders().size());
            fleet.begin();
            if (duration != null) {
                fleet.closeAfter(duration); // a run of fixed simulated length (the evaluation): the loggers then disconnect
            }
        });
    }
}
