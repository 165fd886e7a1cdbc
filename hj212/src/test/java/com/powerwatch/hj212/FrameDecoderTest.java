package com.powerwatch.hj212;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

    private static byte[] frame(String data) {
        return FrameEncoder.encode(data);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String DATA = "QN=20260101120000000;ST=32;CN=2011;PW=123456;MN=TESTMN0001;Flag=5;"
            + "CP=&&DataTime=20260101120000;100000-Ia=10.5,100000-Flag=N&&";

    @Test
    void frameSplitAcrossManyReadsIsDecodedOnce() {
        byte[] f = frame(DATA);
        FrameDecoder d = new FrameDecoder();
        List<DecodeResult> out = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            d.feed(f, i, 1, out::add);
            if (i < f.length - 3) {
                assertTrue(out.isEmpty(), "nothing before the frame is complete, byte " + i);
            }
        }
        assertEquals(1, out.size());
        assertEquals("10.5", ((DecodeResult.Decoded) out.get(0)).packet().cp().value("100000", "Ia"));
        assertEquals(0, d.bufferedBytes());
    }

    @Test
    void severalFramesInOneReadAndGarbageBetween() {
        byte[] scanner = {0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A}; // Modbus-TCP probe
        byte[] stream = concat(frame(DATA), ascii("GET / HTTP/1.1\r\n\r\n"), frame(DATA.replace("0001", "0002")),
                scanner, frame(DATA.replace("0001", "0003")));
        List<DecodeResult> out = Samples.decode(stream);
        assertEquals(5, out.size(), out.toString());
        assertEquals("TESTMN0001", ((DecodeResult.Decoded) out.get(0)).packet().mn());
        DecodeResult.Rejected http = (DecodeResult.Rejected) out.get(1);
        assertEquals(RejectReason.GARBAGE_SKIPPED, http.reason());
        assertEquals(frame(DATA).length, http.offset());
        assertEquals("GET / HTTP/1.1\r\n\r\n".length(), http.length());
        assertEquals("TESTMN0002", ((DecodeResult.Decoded) out.get(2)).packet().mn());
        DecodeResult.Rejected modbus = (DecodeResult.Rejected) out.get(3);
        assertEquals(RejectReason.GARBAGE_SKIPPED, modbus.reason());
        assertArrayEquals(scanner, modbus.bytes());
        assertEquals("TESTMN0003", ((DecodeResult.Decoded) out.get(4)).packet().mn());
    }

    @Test
    void lineEndsBetweenFramesAreNotGarbage() {
        List<DecodeResult> out = Samples.decode(concat(ascii("\r\n\n"), frame(DATA), ascii("\r\n")));
        assertEquals(1, out.size());
        assertInstanceOf(DecodeResult.Decoded.class, out.get(0));
    }

    @Test
    void lengthCountedInCharactersIsAccepted() {
        String data = "QN=20260101120000000;ST=32;CN=3020;PW=123456;MN=TESTMN0001;Flag=4;"
                + "CP=&&DataTime=20260101120000;PolId=w01018;i11001-Info=//清洗管路//&&";
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        int crc = Crc16.hj212(bytes, 0, bytes.length);
        String framed = String.format("##%04d%s%s\r\n", data.length(), data, Crc16.hex(crc));
        assertTrue(data.length() < bytes.length);
        Packet p = Samples.single(framed.substring(0, framed.length() - 2));
        assertEquals("//清洗管路//", p.cp().values().get("i11001-Info"));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("counts characters")), p.warnings().toString());
    }

    @Test
    void gbkTextIsReadWhenNotUtf8() {
        String data = "ST=32;CN=3020;PW=1;MN=GBKMN;CP=&&i11001-Info=清洗&&";
        byte[] bytes = data.getBytes(java.nio.charset.Charset.forName("GB18030"));
        byte[] f = concat(ascii(String.format("##%04d", bytes.length)), bytes,
                ascii(Crc16.hex(Crc16.hj212(bytes, 0, bytes.length)) + "\r\n"));
        DecodeResult.Decoded d = (DecodeResult.Decoded) Samples.decode(f).get(0);
        assertEquals("清洗", d.packet().cp().values().get("i11001-Info"));
        assertTrue(d.packet().warnings().stream().anyMatch(w -> w.contains("GB18030")));
    }

    @Test
    void frameWithoutCrlfIsAcceptedOnItsCrc() {
        byte[] f = frame(DATA);
        byte[] noCrlf = java.util.Arrays.copyOf(f, f.length - 2);
        List<DecodeResult> out = Samples.decode(concat(noCrlf, noCrlf));
        assertEquals(2, out.size(), out.toString());
        assertTrue(((DecodeResult.Decoded) out.get(0)).packet().warnings().contains("no CRLF after the CRC"));
        assertInstanceOf(DecodeResult.Decoded.class, out.get(1));
    }

    @Test
    void frameIsDeliveredAsSoonAsItsCrcArrives() {
        byte[] f = frame(DATA);
        FrameDecoder d = new FrameDecoder();
        List<DecodeResult> out = new ArrayList<>();
        d.feed(f, 0, f.length - 2, out::add);
        assertEquals(1, out.size(), "a device waiting for its ack must not wait for the CRLF");
        d.feed(f, f.length - 2, 2, out::add);
        assertEquals(1, out.size(), "the late CRLF is not garbage");
    }

    @Test
    void truncatedFrameDoesNotSwallowTheNextOne() {
        byte[] f1 = frame(DATA);
        byte[] cut = java.util.Arrays.copyOf(f1, 60);
        List<DecodeResult> out = Samples.decode(concat(cut, frame(DATA.replace("0001", "0002"))));
        assertEquals(2, out.size(), out.toString());
        DecodeResult.Rejected r = (DecodeResult.Rejected) out.get(0);
        assertEquals(RejectReason.BAD_FRAMING, r.reason());
        assertEquals(60, r.length());
        assertEquals("TESTMN0002", ((DecodeResult.Decoded) out.get(1)).packet().mn());
    }

    @Test
    void earlyTerminatorIsReportedWithoutWaitingForMoreBytes() {
        // declared 300, actual shorter: the CRLF shows where it ends, no need to wait for 300 bytes
        byte[] f = frame(DATA);
        f[2] = '0';
        f[3] = '3';
        FrameDecoder d = new FrameDecoder();
        List<DecodeResult> out = new ArrayList<>();
        d.feed(f, out::add);
        assertEquals(1, out.size());
        assertEquals(RejectReason.BAD_LENGTH, ((DecodeResult.Rejected) out.get(0)).reason());
    }

    @Test
    void oversizeIsRejectedAndTheBufferStaysBounded() {
        DecoderOptions small = DecoderOptions.defaults().withMaxDataLength(200);
        String big = DATA.replace("10.5", "1".repeat(400));
        List<DecodeResult> out = FrameDecoder.decodeAll(concat(frame(big), frame(DATA)), small);
        assertEquals(2, out.size(), out.toString());
        assertEquals(RejectReason.OVERSIZE, ((DecodeResult.Rejected) out.get(0)).reason());
        assertTrue(out.get(0).bytes().length <= FrameDecoder.SAMPLE_BYTES);
        assertInstanceOf(DecodeResult.Decoded.class, out.get(1));

        // "##" then endless bytes with no terminator: rejected once the maximum frame is exceeded
        FrameDecoder d = new FrameDecoder(small);
        List<DecodeResult> runaway = new ArrayList<>();
        d.feed(ascii("##0100"), runaway::add);
        byte[] junk = ascii("x".repeat(1000));
        for (int i = 0; i < 100; i++) {
            d.feed(junk, runaway::add);
            assertTrue(d.bufferedBytes() <= 2 * small.maxFrameBytes());
        }
        assertEquals(RejectReason.OVERSIZE, ((DecodeResult.Rejected) runaway.get(0)).reason());
        d.feed(frame(DATA), runaway::add);
        assertInstanceOf(DecodeResult.Decoded.class, runaway.get(runaway.size() - 1), "recovers on the next frame");
    }

    @Test
    void headerProblemsAreTyped() {
        assertReason(RejectReason.MISSING_MN, "ST=32;CN=2011;PW=1;CP=&&DataTime=20260101120000&&");
        assertReason(RejectReason.MISSING_MN, "ST=32;CN=2011;PW=1;MN=;CP=&&&&");
        assertReason(RejectReason.MISSING_CN, "ST=32;PW=1;MN=X1;CP=&&&&");
        assertReason(RejectReason.BAD_HEADER, "ST=32;CN=2011;PW=1;MN=X1;Flag=abc;CP=&&&&");
        assertReason(RejectReason.BAD_HEADER, "ST=32;CN=2011;PW=1;MN=X1;Flag=4");
        assertReason(RejectReason.BAD_HEADER, "ST=32;CN=2011;PW=1;MN=X1;PNUM=2;CP=&&&&");
        assertReason(RejectReason.BAD_DATATIME, "ST=32;CN=2011;PW=1;MN=X1;CP=&&DataTime=20261301120000&&");
        assertReason(RejectReason.BAD_DATATIME, "ST=32;CN=2011;PW=1;MN=X1;CP=&&DataTime=2026-01-01&&");
    }

    private static void assertReason(RejectReason expected, String data) {
        List<DecodeResult> out = Samples.decode(frame(data));
        assertEquals(1, out.size());
        DecodeResult.Rejected r = assertInstanceOf(DecodeResult.Rejected.class, out.get(0), data);
        assertEquals(expected, r.reason(), r.message());
        assertTrue(r.message() != null && !r.message().isBlank());
    }

    @Test
    void typosFromTheStandardAreTolerated() {
        Packet p = Samples.single(new String(frame("QN=20160801085857223,ST=32;CN=1062;PW=100000;MN=AB;Flag=5CP=&& RtdInterval = 30 &&"),
                StandardCharsets.UTF_8).trim());
        assertEquals("20160801085857223", p.qn());
        assertEquals("32", p.st());
        assertEquals("30", p.cp().params().get("RtdInterval"));
    }

    @Test
    void noneAndModbusPoliciesApplyOnlyToTheirDevice() {
        String data = "ST=32;CN=2011;PW=1;MN=TRUSTED;CP=&&a-Rtd=1&&";
        byte[] bad = concat(ascii(String.format("##%04d", data.length())), ascii(data), ascii("ZZZZ\r\n"));
        DecoderOptions options = DecoderOptions.defaults().withCrcPolicies(mn -> mn.equals("TRUSTED") ? CrcPolicy.NONE : CrcPolicy.STANDARD);
        DecodeResult.Decoded d = (DecodeResult.Decoded) FrameDecoder.decodeAll(bad, options).get(0);
        assertEquals(CrcPolicy.NONE, d.crcPolicy());
        byte[] other = concat(ascii(String.format("##%04d", data.length() + 1)), ascii(data.replace("TRUSTED", "TRUSTED2")), ascii("ZZZZ\r\n"));
        assertEquals(RejectReason.BAD_CRC, ((DecodeResult.Rejected) FrameDecoder.decodeAll(other, options).get(0)).reason());
    }

    @Test
    void finishReportsATruncatedTail() {
        FrameDecoder d = new FrameDecoder();
        List<DecodeResult> out = new ArrayList<>();
        d.feed(java.util.Arrays.copyOf(frame(DATA), 40), out::add);
        assertTrue(out.isEmpty());
        d.finish(out::add);
        assertEquals(RejectReason.TRUNCATED, ((DecodeResult.Rejected) out.get(0)).reason());
        assertEquals(0, d.bufferedBytes());
    }

    @Test
    void countersTrackWhatHappened() {
        FrameDecoder d = new FrameDecoder();
        d.feed(concat(frame(DATA), ascii("junk"), frame("ST=32;CN=2011;MN=X;CP=&&DataTime=1&&")), r -> { });
        assertEquals(1, d.framesDecoded());
        assertEquals(4, d.bytesSkipped());
        assertEquals(1L, d.rejections().get(RejectReason.GARBAGE_SKIPPED));
        assertEquals(1L, d.rejections().get(RejectReason.BAD_DATATIME));
        assertNull(d.rejections().get(RejectReason.BAD_CRC));
    }
}
