package com.powerwatch.platform.ingest;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's settings as the platform reads them: exempt address ranges, the quarantine's tolerance checked. */
class IngestConfigTest {

    @Test
    void exemptAddressesAreAddressesAndCidrRanges() throws Exception {
        Predicate<InetAddress> exempt = IngestConfig.addresses(List.of("127.0.0.0/8", "::1", " 10.20.0.0/16 ", "192.0.2.7"));
        for (String yes : List.of("127.0.0.1", "127.0.0.200", "::1", "10.20.3.4", "192.0.2.7")) {
            assertTrue(exempt.test(InetAddress.getByName(yes)), yes);
        }
        for (String no : List.of("10.21.0.1", "192.0.2.8", "203.0.113.5", "fe80::1")) {
            assertFalse(exempt.test(InetAddress.getByName(no)), no);
        }
        assertFalse(IngestConfig.addresses(List.of()).test(InetAddress.getByName("127.0.0.1")), "an empty list exempts nothing");
        assertThrows(IllegalArgumentException.class, () -> IngestConfig.addresses(List.of("10.0.0.0/99")));
    }

    @Test
    void theFutureToleranceMustStayBelowTheOfflineLimit() {
        IngestConfig config = new IngestConfig();
        assertEquals(Duration.ofMinutes(2), config.clockQuarantine(props(Duration.ofMinutes(2))).tolerance());
        assertEquals(Duration.ZERO, config.clockQuarantine(props(Duration.ZERO)).tolerance());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.clockQuarantine(props(Duration.ofMinutes(5))));
        assertTrue(e.getMessage().contains("powerwatch.quarantine.future-tolerance"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> config.clockQuarantine(props(Duration.ofSeconds(-1))));
    }

    private static IngestProperties props(Duration tolerance) {
        return new IngestProperties(Path.of("."), null, null, null, new IngestProperties.Quarantine(tolerance));
    }
}
