package com.powerwatch.platform.device;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.powerwatch.ingest.gateway.DeviceAuthenticator.Outcome;
import com.powerwatch.platform.PowerWatchApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's data-logger passwords are read once at start, by the DEVICES start step: a new installation (no
 * {@code data_logger} table before the migrations) starts without a misleading "cannot read data-logger passwords"
 * warning, and a restarted node that lost its local copy still judges frames by the registry.
 */
class DeviceCredentialsStartTest {

    private static final String MN = "STARTCRED00000000001";
    private static final String PASSWORD = "Kx7mPq2Rt";

    @TempDir
    Path dir;

    @Test
    void aNewInstallationStartsWithoutAWarningAndTheStartStepReadsThePasswords() throws Exception {
        Path data = dir.resolve("data");
        ListAppender<ILoggingEvent> first = new ListAppender<>();
        try (ConfigurableApplicationContext app = start(data, first)) {
            assertNoWarning(first);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            jdbc.update("insert into region (code, name, level, parent_code) values ('610113', '雁塔区', 3, '610100') on conflict do nothing");
            long enterprise = jdbc.queryForObject("insert into enterprise (name, district_code) values ('凭据启动测试企业', '610113') returning id", Long.class);
            jdbc.update("insert into data_logger (mn, enterprise_id, pw_hash, access_policy) values (?, ?, ?, 'REJECT')",
                    MN, enterprise, DevicePassword.hash(PASSWORD));
        }
        // the copy this node wrote is gone: only the registry can tell the gateway the new logger's password
        Files.deleteIfExists(data.resolve(DeviceCredentials.FILE));
        ListAppender<ILoggingEvent> second = new ListAppender<>();
        try (ConfigurableApplicationContext app = start(data, second)) {
            assertNoWarning(second);
            DeviceCredentials credentials = app.getBean(DeviceCredentials.class);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            assertEquals(Outcome.VERIFIED, credentials.check(MN, PASSWORD, loopback).outcome());
            assertEquals(Outcome.REJECTED, credentials.check(MN, "Wrong12345", loopback).outcome());
            assertTrue(Files.readString(data.resolve(DeviceCredentials.FILE)).contains(MN), "the copy is written again");
        }
    }

    private static void assertNoWarning(ListAppender<ILoggingEvent> log) {
        List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of(), warnings, "DeviceCredentials warns on a normal start");
        assertTrue(!log.list.isEmpty(), "the capture works (what the gateway judges by until the registry is read is logged)");
    }

    /** A platform on its own data directory (embedded PostgreSQL inside it), DeviceCredentials' log captured. */
    private static ConfigurableApplicationContext start(Path data, ListAppender<ILoggingEvent> log) {
        // attached once Spring Boot has (re)configured logging, before any bean exists
        ApplicationListener<ApplicationEnvironmentPreparedEvent> capture = event -> {
            Logger logger = (Logger) LoggerFactory.getLogger(DeviceCredentials.class);
            logger.setLevel(Level.INFO);
            log.start();
            logger.addAppender(log);
        };
        try {
            return new SpringApplicationBuilder(PowerWatchApplication.class).listeners(capture).run(
                    "--powerwatch.data-dir=" + data,
                    "--server.port=0",
                    "--powerwatch.embedded-postgres.port=0",
                    "--powerwatch.gateway.port=0",
                    "--powerwatch.gateway.bind-address=127.0.0.1",
                    "--powerwatch.threshold-learning.cron=-",
                    "--powerwatch.report.schedule.enabled=false");
        } finally {
            ((Logger) LoggerFactory.getLogger(DeviceCredentials.class)).detachAppender(log);
        }
    }
}
