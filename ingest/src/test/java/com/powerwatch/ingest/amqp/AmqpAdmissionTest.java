package com.powerwatch.ingest.amqp;

import com.powerwatch.ingest.frame.ClockQuarantine;
import java.time.Duration;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.gateway.DeviceAdmission;
import com.powerwatch.ingest.gateway.DeviceAuthenticator;
import com.powerwatch.ingest.gateway.FrameSink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames that arrive through a broker (AMQP 0-9-1 and 1.0 share this step) are judged like those over TCP. */
class AmqpAdmissionTest {

    @Test
    void aFrameWithTheWrongPasswordIsJournaledAsRefused() {
        DeviceAuthenticator registry = (mn, pw, address) -> {
            assertNull(address, "a broker gives no device address");
            return "goodpw".equals(pw) ? DeviceAuthenticator.Verdict.VERIFIED : DeviceAuthenticator.Verdict.rejected("访问密码错误");
        };
        List<ReceivedFrame> journal = new CopyOnWriteArrayList<>();
        FrameSink sink = f -> {
            journal.add(f);
            return CompletableFuture.completedFuture(1L);
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(frame("badpw", "20261123100000001"));
        body.writeBytes(frame("goodpw", "20261123100000002"));
        AmqpFrameConsumer.journal(body.toByteArray(), DeviceAdmission.authenticating(sink, registry), DecoderOptions.defaults(),
                new ClockQuarantine(Duration.ofMinutes(2)),
                "amqp", "amqp:q").join();
        assertEquals(2, journal.size());
        assertEquals(DeviceAdmission.AUTH_FAILED, journal.get(0).verdict());
        assertEquals("访问密码错误", journal.get(0).reason());
        assertTrue(journal.get(1).valid());
    }

    static byte[] frame(String pw, String qn) {
        return FrameEncoder.encode(Packet.of(qn, "32", "2011", pw, "AMQPMN01", 4, null, null,
                Cp.builder().dataTime("20261123100000").value("100000", "Pt", "1").build()));
    }
}
