package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.gateway.GatewayStats;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.PlatformIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.Socket;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform's gateway with the shipped settings (application.yml): the caps and the tolerance are in force, and
 * loopback — where the demo fleet and bench/scripts/ingest_bench.py run thousands of loggers — is not capped per
 * address.
 */
class GatewayDefaultsIntegrationTest extends PlatformIntegrationTest {

    @Autowired
    TcpGateway gateway;

    @Test
    void theShippedSettingsAreInForce() {
        GatewayStats s = gateway.stats();
        assertEquals(15_000, s.guards().maxConnections());
        assertEquals(100, s.guards().maxConnectionsPerAddress());
        assertEquals(120, s.quarantine().futureToleranceSeconds());
    }

    @Test
    void loopbackIsNotCappedPerAddress() throws IOException {
        long refusedBefore = gateway.stats().guards().refusedOverAddressCap();
        List<Socket> loggers = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) { // more than the per-address cap of 100, all from 127.0.0.1
                loggers.add(new Socket("127.0.0.1", gateway.port()));
            }
            for (int i = 0; i < loggers.size(); i++) {
                String qn = String.format("20261203%09d", 700_000 + i);
                Packet p = Packet.of(qn, "32", "2011", "123456", String.format("LOOPBACK%04d", i), 5, null, null,
                        Cp.builder().dataTime(LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0))
                                .value("100000", "Ia", "1").build());
                assertTrue(DeviceSocket.send(loggers.get(i), p).contains("QN=" + qn), "logger " + i + " acked");
            }
        } finally {
            for (Socket s : loggers) {
                s.close();
            }
        }
        assertEquals(refusedBefore, gateway.stats().guards().refusedOverAddressCap());
    }
}
