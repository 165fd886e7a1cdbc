package com.powerwatch.hj212;

import com.powerwatch.hj212.Samples.Expected;
import com.powerwatch.hj212.Samples.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every line of public-samples.txt gets the verdict and reason public-samples.md gives it. */
class PublicSamplesTest {

    static List<Sample> samples() {
        return Samples.all();
    }

    private static DecodeResult only(List<DecodeResult> results, Sample s) {
        assertEquals(1, results.size(), "line " + s.line() + " should give exactly one result: " + results);
        return results.get(0);
    }

    @ParameterizedTest(name = "line {0}")
    @MethodSource("samples")
    void verdictAndReasonMatchTheTable(Sample s) {
        DecodeResult r = only(Samples.decode(s.frame()), s);
        Expected expected = s.expected();
        switch (expected) {
            case VALID: {
                DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class, r, "line " + s.line() + ": " + r);
                assertEquals(CrcPolicy.STANDARD, d.crcPolicy());
                assertEquals(s.st(), d.packet().st(), "ST of line " + s.line());
                assertEquals(s.cn(), d.packet().cn(), "CN of line " + s.line());
                assertNotNull(d.packet().mn());
                assertEquals(s.frame().length, d.bytes().length, "the whole frame is kept as raw bytes");
                break;
            }
            case VALID_MODBUS_LE: {
                DecodeResult.Rejected rej = assertInstanceOf(DecodeResult.Rejected.class, r);
                assertEquals(RejectReason.BAD_CRC, rej.reason(), "standard policy rejects line " + s.line());
                String mn = rej.packet().mn();
                DecoderOptions modbus = DecoderOptions.defaults()
                        .withCrcPolicies(m -> m.equals(mn) ? CrcPolicy.MODBUS_LE : CrcPolicy.STANDARD);
                DecodeResult.Decoded d = assertInstanceOf(DecodeResult.Decoded.class,
                        FrameDecoder.decodeAll(s.frame(), modbus).get(0));
                assertEquals(CrcPolicy.MODBUS_LE, d.crcPolicy());
                assertEquals(s.cn(), d.packet().cn());
                break;
            }
            default: {
                DecodeResult.Rejected rej = assertInstanceOf(DecodeResult.Rejected.class, r, "line " + s.line());
                assertEquals(RejectReason.valueOf(expected.name()), rej.reason(), "line " + s.line() + ": " + rej);
                assertEquals(0, rej.offset());
                assertEquals(s.frame().length, rej.bytes().length, "the whole rejected frame is kept");
                assertNotNull(rej.packet(), "a rejected frame is still attributed to its MN");
                assertEquals(s.cn(), rej.packet().cn());
            }
        }
    }

    @Test
    void theTableHasEveryKindOfVerdict() {
        Map<Expected, Long> counts = new java.util.EnumMap<>(Expected.class);
        for (Sample s : samples()) {
            counts.merge(s.expected(), 1L, Long::sum);
        }
        assertEquals(Map.of(Expected.VALID, 45L, Expected.VALID_MODBUS_LE, 2L, Expected.BAD_CRC, 7L,
                Expected.BAD_LENGTH, 2L, Expected.BAD_FRAMING, 1L), counts);
    }

    @Test
    void rejectionMessagesSayWhatIsWrong() {
        DecodeResult.Rejected crc = (DecodeResult.Rejected) Samples.decode(Samples.line(49).frame()).get(0);
        assertTrue(crc.message().contains("4981") && crc.message().contains("4980"), crc.message());
        DecodeResult.Rejected length = (DecodeResult.Rejected) Samples.decode(Samples.line(56).frame()).get(0);
        assertTrue(length.message().contains("121") && length.message().contains("119"), length.message());
        DecodeResult.Rejected framing = (DecodeResult.Rejected) Samples.decode(Samples.line(57).frame()).get(0);
        assertTrue(framing.message().contains("'81'"), framing.message());
    }

    @Test
    void electricityFrameValues() {
        Packet p = Samples.single(Samples.line(38).text());
        assertEquals("410183160889201000212505", p.mn());
        assertEquals("2011", p.cn());
        assertEquals("80", p.st());
        assertEquals(Hj212Version.V2017, p.version());
        assertTrue(p.ackRequested());
        assertEquals("20201015123000", p.cp().dataTime());
        assertEquals("401.400", p.cp().value("100000", "Ia"));
        assertEquals("232.3", p.cp().value("100000", "Uc"));
        assertEquals("267.3919", p.cp().value("100000", "Pt"));
        assertEquals("162762.484", p.cp().values().get("100000-Ept"));
        assertEquals("0.3964", p.cp().values().get("100000-Pa_ave"));
        assertEquals("N", p.cp().values().get("100000-Flag"));
        assertEquals(29, p.cp().values().size());
        assertEquals(29, p.cp().factors().get("100000").size());

        Packet ea = Samples.single(Samples.line(40).text());
        assertEquals("0.99", ea.cp().values().get("ea30010101-Rtd"));
        assertEquals("220", ea.cp().values().get("ea30010105-Rtd"));
        Packet invalidFlag = Samples.single(Samples.line(41).text());
        assertEquals("J", invalidFlag.cp().values().get("ea30010201-Flag"));
        Packet status = Samples.single(Samples.line(44).text());
        assertEquals(Map.of("ele01-Rtd", "1", "ele02-Rtd", "0"), status.cp().values());
        assertEquals("NJGDKYYC202101q0001w0001", status.mn());
    }

    @Test
    void versionsSplitAndOddHeaders() {
        Packet p2005 = Samples.single(Samples.line(14).text());
        assertEquals(Hj212Version.V2005, p2005.version());
        assertNull(p2005.qn());
        assertNull(p2005.flag());
        assertEquals("20160823234320000", p2005.cp().dataTime());
        assertEquals(java.time.LocalDateTime.of(2016, 8, 23, 23, 43, 20), p2005.cp().dataTimeValue());

        Packet p2025 = Samples.single(Samples.line(6).text());
        assertEquals(Hj212Version.V2025, p2025.version());

        Packet split = Samples.single(Samples.line(36).text());
        assertEquals(2, split.pnum());
        assertEquals(1, split.pno());
        assertTrue(split.split() && split.ackRequested());
        assertEquals("B", split.cp().values().get("a00000-Flag"));

        Packet padded = Samples.single(Samples.line(37).text());
        assertEquals(2, padded.pnum());
        assertEquals(2, padded.pno());
        assertTrue(padded.split());

        Packet upper = Samples.single(Samples.line(53).text());
        assertEquals(0, upper.flag());
        assertEquals("88888881234567", upper.mn());
        assertTrue(upper.warnings().stream().anyMatch(w -> w.contains("FLAG")), upper.warnings().toString());

        Packet orphan = Samples.single(Samples.line(13).text());
        assertEquals("N", orphan.cp().params().get("Flag"));
        assertEquals("92", orphan.cp().values().get("a34001-Rtd"));

        Packet status = Samples.single(Samples.line(18).text());
        assertEquals("0", status.cp().values().get("SB8-RS"));

        Packet alarm = Samples.single(Samples.line(22).text());
        assertEquals("16.00", alarm.cp().values().get("B01-Ala"));
        assertEquals("1", alarm.cp().params().get("AlarmType"));

        Packet emptyPw = Samples.single(Samples.line(10).text());
        assertEquals("", emptyPw.pw());

        CommandAnswer answer = CommandAnswer.of(Samples.single(Samples.line(47).text())).orElseThrow();
        assertEquals(CommandAnswer.Kind.REQUEST_RESPONSE, answer.kind());
        assertTrue(answer.success());
        assertEquals("20231008125115215", answer.qn());
    }

    /** All 57 lines as one TCP stream, cut into random chunks: the same verdicts, in order, with exact offsets. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 212})
    void allSamplesAsOneChunkedStream(long seed) {
        List<Sample> all = samples();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Sample s : all) {
            offsets.add((long) stream.size());
            stream.writeBytes(s.frame());
        }
        byte[] bytes = stream.toByteArray();
        Random random = new Random(seed);
        List<DecodeResult> results = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        for (int i = 0; i < bytes.length; ) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(random.nextBoolean() ? 8 : 3000));
            decoder.feed(bytes, i, n, results::add);
            i += n;
        }
        decoder.finish(results::add);
        assertEquals(all.size(), results.size(), results.toString());
        for (int i = 0; i < all.size(); i++) {
            Sample s = all.get(i);
            DecodeResult r = results.get(i);
            assertEquals(offsets.get(i), r.offset(), "offset of line " + s.line());
            Expected e = s.expected();
            if (e == Expected.VALID) {
                assertInstanceOf(DecodeResult.Decoded.class, r, "line " + s.line());
            } else {
                RejectReason reason = e == Expected.VALID_MODBUS_LE ? RejectReason.BAD_CRC : RejectReason.valueOf(e.name());
                assertEquals(reason, ((DecodeResult.Rejected) r).reason(), "line " + s.line());
            }
        }
    }
}
