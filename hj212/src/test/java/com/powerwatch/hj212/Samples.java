package com.powerwatch.hj212;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The 57 public packets of ../shared/hj212-samples (copied into test resources) and their expected verdicts. */
final class Samples {

    /** One line of public-samples.txt with the row of public-samples.md that describes it. */
    record Sample(int line, String text, String st, String cn, String lengthColumn, String verdict, String notes) {

        byte[] frame() {
            return (text + "\r\n").getBytes(StandardCharsets.UTF_8);
        }

        /** The verdict the md table gives, as the decoder should report it. */
        Expected expected() {
            if (lengthColumn.contains("**bad**")) {
                return notes.contains("BAD FRAMING") ? Expected.BAD_FRAMING : Expected.BAD_LENGTH;
            }
            if (verdict.contains("MODBUS-LE")) {
                return Expected.VALID_MODBUS_LE;
            }
            if (verdict.contains("invalid")) {
                return Expected.BAD_CRC;
            }
            if (verdict.equals("valid")) {
                return Expected.VALID;
            }
            throw new IllegalStateException("unrecognised verdict '" + verdict + "' on line " + line);
        }
    }

    enum Expected { VALID, VALID_MODBUS_LE, BAD_CRC, BAD_LENGTH, BAD_FRAMING }

    private Samples() {
    }

    static Path resource(String name) {
        return Path.of("src/test/resources", name);
    }

    static List<Sample> all() {
        try {
            List<String> lines = Files.readAllLines(resource("public-samples.txt"), StandardCharsets.UTF_8);
            List<Sample> out = new ArrayList<>();
            for (String row : Files.readAllLines(resource("public-samples.md"), StandardCharsets.UTF_8)) {
                if (!row.matches("\\| \\d+ \\|.*")) {
                    continue;
                }
                String[] c = row.split("\\|");
                int n = Integer.parseInt(c[1].trim());
                out.add(new Sample(n, lines.get(n - 1), c[2].trim(), c[3].trim(), c[5].trim(), c[8].trim(), c[9].trim()));
            }
            if (out.size() != lines.size()) {
                throw new IllegalStateException(out.size() + " table rows for " + lines.size() + " sample lines");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sample line(int n) {
        return all().get(n - 1);
    }

    /** Decodes one complete byte stream with default options. */
    static List<DecodeResult> decode(byte[] bytes) {
        return FrameDecoder.decodeAll(bytes, DecoderOptions.defaults());
    }

    static Packet single(String frameText) {
        List<DecodeResult> results = decode((frameText + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (results.size() != 1 || !(results.get(0) instanceof DecodeResult.Decoded d)) {
            throw new AssertionError("expected one decoded packet, got " + results);
        }
        return d.packet();
    }
}
