package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CrcPolicy;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.ingest.frame.ClockQuarantine;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link GatewayConfig#with}: a copy that changes what it names and keeps every other setting, checked. */
class GatewayConfigTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        GatewayConfig d = GatewayConfig.defaults();
        assertEquals("0.0.0.0", d.bindAddress());
        assertEquals(9212, d.port());
        assertEquals(Duration.ofMinutes(10), d.idleTimeout());
        assertEquals(DecoderOptions.DEFAULT_MAX_DATA_LENGTH, d.maxDataLength());
        assertEquals(64 * 1024, d.garbageBudget());
        assertEquals(Duration.ofSeconds(30), d.commandTimeout());
        assertEquals(CrcPolicy.STANDARD, d.crcPolicies().apply("ANY"));
        assertEquals(true, d.timeCalibration());
        assertEquals(Duration.ofSeconds(30), d.frameDeadline());
    }

    @Test
    void aCopyChangesWhatItNamesAndKeepsEveryOtherComponent() throws Exception {
        Function<String, CrcPolicy> policies = mn -> CrcPolicy.NONE;
        ConnectionLimits limits = new ConnectionLimits(7, 3, a -> false);
        ClockQuarantine quarantine = new ClockQuarantine(Duration.ofSeconds(90));
        GatewayConfig all = GatewayConfig.defaults().with(b -> b.bindAddress("127.0.0.1").port(1).idleTimeout(Duration.ofSeconds(2))
                .maxDataLength(3).garbageBudget(4).commandTimeout(Duration.ofSeconds(5)).crcPolicies(policies)
                .timeCalibration(false).limits(limits).frameDeadline(Duration.ofSeconds(6)).clockQuarantine(quarantine));
        GatewayConfig defaults = GatewayConfig.defaults();
        for (RecordComponent c : GatewayConfig.class.getRecordComponents()) {
            // every component was set, so a builder that forgot one would leave its default here
            assertNotEquals(c.getAccessor().invoke(defaults), c.getAccessor().invoke(all), c.getName() + " was set");
        }
        assertEquals(all, all.with(b -> { }), "a copy without changes is equal");
        GatewayConfig moved = all.with(b -> b.port(9999));
        for (RecordComponent c : GatewayConfig.class.getRecordComponents()) {
            Object before = c.getAccessor().invoke(all);
            Object after = c.getAccessor().invoke(moved);
            if (c.getName().equals("port")) {
                assertEquals(9999, after);
            } else {
                assertEquals(before, after, c.getName() + " kept");
            }
        }
    }

    @Test
    void aCopyIsCheckedLikeANewConfig() {
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.defaults().with(b -> b.frameDeadline(Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.defaults().with(b -> b.idleTimeout(Duration.ofSeconds(-1))));
    }
}
