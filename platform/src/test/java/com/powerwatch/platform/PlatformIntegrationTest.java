package com.powerwatch.platform;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The platform as integration tests boot it: the real application with a fresh temporary data directory per
 * application context (the embedded PostgreSQL and the journal live inside it), any free HTTP port, the HJ 212
 * gateway on a free loopback port. Test classes with the same configuration share one context (Spring's cache).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformIntegrationTest {

    /** Called once for each application context that is started. */
    @DynamicPropertySource
    static void platformProperties(DynamicPropertyRegistry r) {
        Path data;
        try {
            data = Files.createTempDirectory("powerwatch-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.add("powerwatch.data-dir", data::toString);
        r.add("powerwatch.embedded-postgres.port", () -> "0");
        r.add("powerwatch.gateway.port", () -> "0");
        r.add("powerwatch.gateway.bind-address", () -> "127.0.0.1");
        // scheduled proposals of learned thresholds: tests call ThresholdProposals directly
        r.add("powerwatch.threshold-learning.cron", () -> "-");
        // periodic reports: tests call ReportScheduler.run directly (a pass over a shared context's data helps no test)
        r.add("powerwatch.report.schedule.enabled", () -> "false");
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after 30 s with {@code what}. */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    /** This context's data directory. */
    @Value("${powerwatch.data-dir}")
    protected Path dataDir;
}
