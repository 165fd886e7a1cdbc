package com.powerwatch.ingest.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.Await;
import com.powerwatch.ingest.journal.JournalUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal that refuses every frame (its disk is full) does not flood the log: the gateway logs one ERROR when
 * refusing starts, not one per frame, and one INFO once a frame is journaled again. Over a real loopback socket.
 */
class GatewayRefusedAppendsTest {

    private static final int REFUSED = 200;
    private final Logger gatewayLog = (Logger) LoggerFactory.getLogger(TcpGateway.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private TcpGateway gateway;

    @AfterEach
    void close() {
        gatewayLog.detachAppender(lines);
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aFullJournalLogsOneErrorNotOnePerFrameAndOneInfoWhenItWritesAgain() throws Exception {
        lines.start();
        gatewayLog.addAppender(lines);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        boolean[] full = {true};
        gateway = new TcpGateway(GatewayConfig.defaults().with(b -> b.port(0).bindAddress("127.0.0.1")), frame -> {
            attempts.incrementAndGet();
            return full[0]
                    ? CompletableFuture.failedFuture(new JournalUnavailableException("test: No space left on device", null))
                    : CompletableFuture.completedFuture((long) stored.incrementAndGet());
        }, Clock.systemUTC()).start();

        try (Socket device = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = device.getOutputStream();
            for (int i = 0; i < REFUSED; i++) {
                out.write(FrameEncoder.encode(upload(String.format("20261203%09d", i))));
            }
            out.flush();
            Await.until("every frame tried", Duration.ofSeconds(30), () -> attempts.get() >= REFUSED);
            List<String> errors = at(Level.ERROR);
            assertEquals(1, errors.size(), "one line while refusing, not one per frame: " + errors.size());
            assertTrue(errors.get(0).contains("the journal refuses frames"), errors.get(0));
            assertEquals(REFUSED, gateway.stats().journalFailures(), "every refusal still counted");

            full[0] = false;
            String qn = "20261203999999999";
            out.write(FrameEncoder.encode(upload(qn)));
            out.flush();
            assertTrue(GatewayGuardsTest.readReply(device).contains("QN=" + qn), "acked once the journal takes frames");
            Await.until("the recovery logged", Duration.ofSeconds(10), () -> at(Level.INFO).stream()
                    .anyMatch(l -> l.contains("the journal takes frames again") && l.contains(REFUSED + " refused meanwhile")));
            assertEquals(1, at(Level.ERROR).size());
        }
    }

    private List<String> at(Level level) {
        return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Packet upload(String qn) {
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withNano(0);
        return Packet.of(qn, "32", "2011", "123456", "REFUSED0000000000001", 5, null, null,
                Cp.builder().dataTime(now).value("100000", "Ia", "1.5").value("100000", "Flag", "N").build());
    }
}
