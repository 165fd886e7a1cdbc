package com.powerwatch.hj212;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandsTest {

    @Test
    void dataAckToTheElectricityFrameIsExactlyTheCapturedReply() {
        Packet upload = Samples.single(Samples.line(38).text());
        Packet ack = ServerCommands.replyTo(upload).orElseThrow();
        // sample 45 is the captured 9014 for sample 38 (it prints its CRC in lowercase)
        assertEquals(Samples.line(45).text().toUpperCase(), new String(FrameEncoder.encode(ack), StandardCharsets.UTF_8).trim().toUpperCase());
        assertEquals("##0087QN=20201015123632010;ST=91;CN=9014;PW=123456;MN=410183160889201000212505;Flag=4;CP=&&&&F001\r\n",
                FrameEncoder.encodeToString(ack));
    }

    @Test
    void replyMirrorsVersionBitsOnly() {
        Packet p2025 = Samples.single(new String(FrameEncoder.encode("QN=20260101000000000;ST=44;CN=2011;PW=1;MN=M25;Flag=11;PNUM=2;PNO=1;CP=&&&&"),
                StandardCharsets.UTF_8).trim());
        Packet ack = ServerCommands.replyTo(p2025).orElseThrow();
        assertEquals(8, ack.flag());
        assertEquals("9014", ack.cn());
        assertEquals("91", ack.st());
        assertEquals("20260101000000000", ack.qn());

        Packet p2005 = Samples.single(Samples.line(22).text()); // Flag=1: 2005 with ack
        assertEquals(0, ServerCommands.replyTo(p2005).orElseThrow().flag());
    }

    @Test
    void whoGetsWhichReply() {
        assertTrue(ServerCommands.replyTo(Samples.single(Samples.line(3).text())).isEmpty(), "Flag=4: no ack asked");
        assertTrue(ServerCommands.replyTo(Samples.single(Samples.line(14).text())).isEmpty(), "no Flag: no ack");
        assertEquals("9013", ServerCommands.replyTo(Samples.single(Samples.line(42).text())).orElseThrow().cn(), "1013 gets 9013");
        assertEquals("9013", ServerCommands.replyTo(Samples.single(Samples.line(20).text())).orElseThrow().cn(), "9015 gets 9013");
        assertTrue(ServerCommands.replyTo(Samples.single(Samples.line(45).text())).isEmpty(), "an ack is not acked");
        assertTrue(ServerCommands.replyTo(Samples.single(Samples.line(47).text())).isEmpty(), "9011 is not acked");
        Packet split = Samples.single(Samples.line(36).text());
        assertEquals(split.qn(), ServerCommands.replyTo(split).orElseThrow().qn(), "each sub-packet acked with its own QN");
    }

    @Test
    void appendixAExampleIsBuiltByteForByte() {
        ServerCommands.Target t = new ServerCommands.Target("010000A8900016F000169DC0", "100000", "32", 1);
        Packet p = ServerCommands.setRealtimeInterval(t, "20160801085857223", 30);
        assertEquals(Samples.line(1).text() + "\r\n", FrameEncoder.encodeToString(p));
    }

    @Test
    void commandsCarryTheirParameters() {
        ServerCommands.Target t = new ServerCommands.Target("MN1", "123456", "31", 2);
        LocalDateTime begin = LocalDateTime.of(2026, 11, 22, 0, 0);
        Packet history = ServerCommands.requestHistory(t, "20261123000000000", "2051", begin, begin.plusHours(8));
        assertEquals("QN=20261123000000000;ST=31;CN=2051;PW=123456;MN=MN1;Flag=9;CP=&&BeginTime=20261122000000;EndTime=20261122080000&&",
                history.toDataSegment());
        Packet time = ServerCommands.setTime(t, "20261123000000001", "w01018", begin);
        assertEquals("PolId=w01018;SystemTime=20261122000000", time.cp().toText());
        assertEquals("MinInterval=10", ServerCommands.setMinuteInterval(t, "q", 10).cp().toText());

        assertThrows(IllegalArgumentException.class, () -> ServerCommands.setRealtimeInterval(t, "q", 5));
        assertThrows(IllegalArgumentException.class, () -> ServerCommands.setMinuteInterval(t, "q", 7));
        assertThrows(IllegalArgumentException.class, () -> ServerCommands.requestHistory(t, "q", "2011", begin, begin));
        assertThrows(IllegalArgumentException.class, () -> ServerCommands.requestHistory(t, "q", "2061", begin, begin.minusHours(1)));
    }

    @Test
    void timeCalibrationAnswersThenSetsTheClock() {
        Packet request = Samples.single(Samples.line(42).text());
        LocalDateTime now = LocalDateTime.of(2026, 11, 23, 9, 0, 1);
        List<Packet> answer = ServerCommands.timeCalibration(request, "20261123090001000", now);
        assertEquals("9013", answer.get(0).cn());
        assertEquals(request.qn(), answer.get(0).qn());
        assertEquals("1012", answer.get(1).cn());
        assertEquals("20261123090001", answer.get(1).cp().params().get("SystemTime"));
        assertEquals("80", answer.get(1).st(), "commands use the device's system code");
    }

    @Test
    void executionResultsAreRead() {
        Packet done = Samples.single(new String(FrameEncoder.encode("QN=20261123090001000;ST=91;CN=9012;PW=1;MN=M;Flag=4;CP=&&ExeRtn=100&&"),
                StandardCharsets.UTF_8).trim());
        CommandAnswer a = CommandAnswer.of(done).orElseThrow();
        assertEquals(CommandAnswer.Kind.EXECUTION_RESULT, a.kind());
        assertEquals(100, a.code());
        assertEquals("没有数据", a.meaning());
        assertFalse(a.success());
        assertTrue(CommandAnswer.of(Samples.single(Samples.line(38).text())).isEmpty());
    }

    @Test
    void qnsAreUniqueEvenWithinOneMillisecond() {
        QnGenerator qns = new QnGenerator(Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), QnGenerator.CHINA));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(qns.next()));
        }
        assertTrue(seen.contains("20261123090000000"), "China time, 17 digits");
    }
}
