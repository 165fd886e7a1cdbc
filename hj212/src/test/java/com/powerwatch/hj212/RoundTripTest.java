package com.powerwatch.hj212;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** build → frame → decode gives back the same packet, for generated packets of every version, split or not, ack or not. */
class RoundTripTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 2005, 2017, 2025})
    void generatedPacketsSurviveFramingAndChunking(long seed) {
        PacketGenerator gen = new PacketGenerator(seed);
        List<Packet> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            Packet p = gen.next();
            sent.add(p);
            stream.writeBytes(FrameEncoder.encode(p));
        }
        byte[] bytes = stream.toByteArray();
        Random random = gen.random();
        FrameDecoder decoder = new FrameDecoder();
        List<DecodeResult> results = new ArrayList<>();
        for (int off = 0; off < bytes.length; ) {
            int n = Math.min(bytes.length - off, 1 + random.nextInt(random.nextInt(4) == 0 ? 16 : 5000));
            decoder.feed(bytes, off, n, results::add);
            off += n;
        }
        decoder.finish(results::add);
        assertEquals(sent.size(), results.size());
        for (int i = 0; i < sent.size(); i++) {
            Packet expected = sent.get(i);
            DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, results.get(i), "packet " + i + ": " + expected);
            Packet got = d.packet();
            assertTrue(expected.sameContent(got), "packet " + i + "\n sent " + expected + "\n got  " + got);
            assertEquals(List.of(), got.warnings(), "packet " + i);
            assertEquals(expected.version(), got.version());
            assertEquals(expected.ackRequested(), got.ackRequested());
            assertEquals(expected.split(), got.split());
        }
    }

    @Test
    void everyServerCommandParsesBackToItself() {
        Packet device = Samples.single(Samples.line(38).text());
        ServerCommands.Target t = ServerCommands.Target.of(device);
        LocalDateTime now = LocalDateTime.of(2026, 11, 23, 10, 30, 15);
        List<Packet> built = new ArrayList<>(List.of(
                ServerCommands.dataAck(device), ServerCommands.notificationAck(device),
                ServerCommands.getTime(t, "20261123103015001", null), ServerCommands.getTime(t, "20261123103015002", "w01018"),
                ServerCommands.setTime(t, "20261123103015003", null, now),
                ServerCommands.getRealtimeInterval(t, "20261123103015004"), ServerCommands.setRealtimeInterval(t, "20261123103015005", 60),
                ServerCommands.getMinuteInterval(t, "20261123103015006"), ServerCommands.setMinuteInterval(t, "20261123103015007", 10),
                ServerCommands.startRealtimeUpload(t, "20261123103015008"), ServerCommands.stopRealtimeUpload(t, "20261123103015009"),
                ServerCommands.startStatusUpload(t, "20261123103015010"), ServerCommands.stopStatusUpload(t, "20261123103015011")));
        for (String cn : ServerCommands.HISTORY_CNS) {
            built.add(ServerCommands.requestHistory(t, "20261123103015012", cn, now.minusHours(6), now));
        }
        built.addAll(ServerCommands.timeCalibration(Samples.single(Samples.line(42).text()), "20261123103015013", now));
        for (Packet p : built) {
            List<DecodeResult> out = Samples.decode(FrameEncoder.encode(p));
            DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, out.get(0), p.toString());
            assertTrue(p.sameContent(d.packet()), p + " vs " + d.packet());
        }
    }
}
