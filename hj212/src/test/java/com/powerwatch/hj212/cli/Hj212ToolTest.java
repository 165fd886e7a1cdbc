package com.powerwatch.hj212.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Hj212ToolTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Hj212Tool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkPrintsOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        Path samples = Path.of("src/test/resources/public-samples.txt");
        Run r = run("", "check", samples.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(57, lines.size());
        assertEquals(1, r.status(), "some samples are invalid");
        assertTrue(lines.get(37).startsWith("{\"line\":38,\"valid\":true,\"error\":null,"), lines.get(37));
        for (String key : List.of("\"version\":\"2017\"", "\"st\":\"80\"", "\"cn\":\"2011\"", "\"mn\":\"410183160889201000212505\"",
                "\"qn\":\"20201015123632010\"", "\"flag\":5", "\"ack\":true", "\"pnum\":null", "\"pno\":null",
                "\"dataTime\":\"20201015123000\"", "\"100000-Ia\":\"401.400\"")) {
            assertTrue(lines.get(37).contains(key), key + " in " + lines.get(37));
        }
        assertTrue(lines.get(35).contains("\"pnum\":2,\"pno\":1"), lines.get(35));
        assertTrue(lines.get(48).contains("\"valid\":false,\"error\":\"BAD_CRC\""), lines.get(48));
        assertTrue(lines.get(56).contains("\"error\":\"BAD_FRAMING\""), lines.get(56));

        // CRLF line ends and the MODBUS-LE policy for one device
        Path crlf = dir.resolve("crlf.txt");
        List<String> raw = Files.readAllLines(samples);
        Files.writeString(crlf, raw.get(30) + "\r\n" + raw.get(37) + "\r\n");
        Run modbus = run("", "check", crlf.toString(), "--crc-for", "4201003=modbus-le");
        assertEquals(0, modbus.status(), modbus.out());
        assertTrue(modbus.out().contains("\"crcPolicy\":\"MODBUS_LE\""));
    }

    @Test
    void stdinAndUtilityCommands() {
        Run fromStdin = run("##0087QN=20201015123632010;ST=91;CN=9014;PW=123456;MN=410183160889201000212505;Flag=4;CP=&&&&f001\n",
                "check", "-");
        assertEquals(0, fromStdin.status());
        assertTrue(fromStdin.out().contains("\"cn\":\"9014\""));

        Run crc = run("", "crc", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&");
        assertTrue(crc.out().contains("\"hj212\":\"1C80\""), crc.out());

        Run frame = run("", "frame", "ST=91;CN=9014;PW=1;MN=X;CP=&&&&");
        assertTrue(frame.out().startsWith("##0031ST=91;CN=9014;PW=1;MN=X;CP=&&&&"), frame.out());
        assertTrue(frame.out().endsWith("\r\n"));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhy() {
        Run none = run("");
        assertEquals(2, none.status());
        assertTrue(none.err().contains("usage"));
        Run bad = run("", "check", "x.txt", "--crc", "crc32");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("crc32"));
        Run missing = run("", "check", "/nonexistent/file.txt");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("cannot read"));
    }
}
