package com.powerwatch.platform.demo;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.simulator.FactorFamily;
import com.powerwatch.simulator.Fleet;
import com.powerwatch.simulator.FleetConfig;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * {@code --demo}: a fleet of simulated data loggers (enterprises with production and treatment meters,
 * both vendor code families) connects to the platform's own gateway over loopback TCP, so readings
 * arrive within seconds of start. Simulated time is real time; each logger reports every
 * {@code powerwatch.demo.interval} (10 s by default, where real loggers usually send every minute).
 * The fleet is registered in the registry (see {@link DemoRegistry}) so the real-time state shows it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "powerwatch.demo.enabled", havingValue = "true")
public class DemoFleetConfig {

    private static final Logger log = LoggerFactory.getLogger(DemoFleetConfig.class);

    @Bean(destroyMethod = "close")
    public Fleet demoFleet(TcpGateway gateway, @Value("${powerwatch.demo.loggers:20}") int loggers,
                           @Value("${powerwatch.demo.interval:10s}") Duration interval,
                           JdbcTemplate jdbc, TransactionTemplate tx, TelemetryRegistry registry) {
        log.info("demo: starting {} simulated data loggers against the gateway on port {}", loggers, gateway.port());
        Fleet fleet = Fleet.start(FleetConfig.builder("127.0.0.1", gateway.port())
                .loggers(loggers)
                .seed(2026)
                .interval(interval)
                .speedup(1)
                .simulatedStart(LocalDateTime.now(ZoneId.of("Asia/Shanghai")))
                .family(FactorFamily.MIXED)
                .recordFrames(false)
                .build());
        // the loggers' MNs and meters are known once the fleet exists; their connects are spread over the
        // first interval, so registering now (and reloading the telemetry snapshot) comes before nearly all
        // of their frames: the few earlier ones are only counted in unregistered_mn
        DemoRegistry.register(jdbc, tx, fleet.loggers());
        registry.refresh();
        log.info("demo: {} enterprises registered", loggers);
        return fleet;
    }
}
