package com.powerwatch.hj212.cli;

import com.powerwatch.hj212.CrcPolicy;
import com.powerwatch.hj212.Crc16;
import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.RejectReason;
import com.powerwatch.hj212.ServerCommands;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's HJ 212 tool: {@code java -jar hj212.jar check FILE} and friends.
 * Exit status: 0 all frames valid, 1 some frame invalid, 2 usage or I/O error.
 */
public final class Hj212Tool {

    private static final String USAGE = String.join("\n",
            "usage: java -jar hj212.jar <command> [options]",
            "  check FILE|-            check one frame per line (CRLF optional); prints one JSON object per line",
            "      --crc POLICY        CRC policy for every device: standard (default), modbus-le, none",
            "      --crc-for MN=POLICY CRC policy for one device (repeatable)",
            "      --max-length N      largest data segment accepted, bytes (default 9999)",
            "  crc DATA                CRC of a data segment (text between ##LLLL and the CRC)",
            "  frame DATA              wrap a data segment into a complete frame",
            "  reply FRAME             the server's reply (9014/9013) to a frame, if it calls for one");

    private Hj212Tool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the tool; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "check":
                    return check(args, in, out, err);
                case "crc":
                    requireArg(args);
                    byte[] data = args[1].getBytes(StandardCharsets.UTF_8);
                    out.println(Json.write(Map.of("hj212", Crc16.hex(Crc16.hj212(data, 0, data.length)),
                            "modbusLe", Crc16.hex(CrcPolicy.MODBUS_LE.compute(data, 0, data.length)), "bytes", data.length)));
                    return 0;
                case "frame":
                    requireArg(args);
                    out.print(new String(FrameEncoder.encode(args[1]), StandardCharsets.UTF_8));
                    return 0;
                case "reply":
                    requireArg(args);
                    return reply(args[1], out, err);
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                default:
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("cannot read input: " + e.getMessage());
            return 2;
        }
    }

    private static void requireArg(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("missing argument\n" + USAGE);
        }
    }

    private static int reply(String frameText, PrintStream out, PrintStream err) {
        String text = frameText.endsWith("\r\n") ? frameText : frameText + "\r\n";
        for (DecodeResult r : FrameDecoder.decodeAll(text.getBytes(StandardCharsets.UTF_8), DecoderOptions.defaults())) {
            if (r instanceof DecodeResult.Decoded d) {
                ServerCommands.replyTo(d.packet()).ifPresentOrElse(
                        p -> out.print(FrameEncoder.encodeToString(p)),
                        () -> out.println("(no reply: CN=" + d.packet().cn() + " without the A bit, or an answer)"));
                return 0;
            }
            if (r instanceof DecodeResult.Rejected rej && rej.reason() != RejectReason.GARBAGE_SKIPPED) {
                err.println(rej);
                return 1;
            }
        }
        err.println("no frame found");
        return 1;
    }

    private static int check(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        String file = null;
        CrcPolicy all = CrcPolicy.STANDARD;
        Map<String, CrcPolicy> perMn = new HashMap<>();
        int maxLength = DecoderOptions.DEFAULT_MAX_DATA_LENGTH;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--crc":
                    all = CrcPolicy.parse(value(args, ++i, "--crc"));
                    break;
                case "--crc-for":
                    String spec = value(args, ++i, "--crc-for");
                    int eq = spec.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--crc-for expects MN=POLICY, got '" + spec + "'");
                    }
                    perMn.put(spec.substring(0, eq), CrcPolicy.parse(spec.substring(eq + 1)));
                    break;
                case "--max-length":
                    maxLength = Integer.parseInt(value(args, ++i, "--max-length"));
                    break;
                default:
                    if (file != null) {
                        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                    }
                    file = args[i];
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("check needs a FILE (or - for standard input)");
        }
        byte[] content = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
        CrcPolicy fallback = all;
        DecoderOptions options = new DecoderOptions(maxLength, mn -> perMn.getOrDefault(mn, fallback));
        if (all == CrcPolicy.STANDARD && perMn.isEmpty()) {
            options = DecoderOptions.defaults().withMaxDataLength(maxLength);
        }
        boolean allValid = true;
        int lineNo = 0;
        for (byte[] line : lines(content)) {
            lineNo++;
            if (line.length == 0) {
                continue;
            }
            Map<String, Object> json = checkLine(lineNo, line, options);
            allValid &= Boolean.TRUE.equals(json.get("valid"));
            out.println(Json.write(json));
        }
        return allValid ? 0 : 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Splits on LF, dropping a CR before it: each line becomes one frame with its CRLF restored. */
    static List<byte[]> lines(byte[] content) {
        List<byte[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                int to = i > from && content[i - 1] == '\r' ? i - 1 : i;
                if (i < content.length || to > from) {
                    ByteArrayOutputStream line = new ByteArrayOutputStream(to - from + 2);
                    line.write(content, from, to - from);
                    lines.add(line.toByteArray());
                }
                from = i + 1;
            }
        }
        return lines;
    }

    static Map<String, Object> checkLine(int lineNo, byte[] line, DecoderOptions options) {
        byte[] frame = new byte[line.length + 2];
        System.arraycopy(line, 0, frame, 0, line.length);
        frame[line.length] = '\r';
        frame[line.length + 1] = '\n';
        List<DecodeResult> results = FrameDecoder.decodeAll(frame, options);
        DecodeResult primary = null;
        long garbage = 0;
        int frames = 0;
        for (DecodeResult r : results) {
            if (r instanceof DecodeResult.Rejected rej && rej.reason() == RejectReason.GARBAGE_SKIPPED) {
                garbage += rej.length();
                continue;
            }
            frames++;
            if (primary == null) {
                primary = r;
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("line", lineNo);
        Packet packet = null;
        if (primary instanceof DecodeResult.Decoded d) {
            json.put("valid", true);
            json.put("error", null);
            json.put("message", null);
            json.put("crcPolicy", d.crcPolicy().name());
            packet = d.packet();
        } else {
            json.put("valid", false);
            if (primary instanceof DecodeResult.Rejected rej) {
                json.put("error", rej.reason().name());
                json.put("message", rej.message());
                packet = rej.packet();
            } else {
                json.put("error", RejectReason.GARBAGE_SKIPPED.name());
                json.put("message", "no frame on this line ('##' not found)");
            }
            json.put("crcPolicy", null);
        }
        json.put("version", packet == null ? null : packet.version().label());
        json.put("st", packet == null ? null : packet.st());
        json.put("cn", packet == null ? null : packet.cn());
        json.put("mn", packet == null ? null : packet.mn());
        json.put("qn", packet == null ? null : packet.qn());
        json.put("pw", packet == null ? null : packet.pw());
        json.put("flag", packet == null ? null : packet.flag());
        json.put("ack", packet != null && packet.ackRequested());
        json.put("pnum", packet == null ? null : packet.pnum());
        json.put("pno", packet == null ? null : packet.pno());
        json.put("dataTime", packet == null ? null : packet.cp().dataTime());
        json.put("params", packet == null ? Map.of() : packet.cp().params());
        json.put("values", packet == null ? Map.of() : packet.cp().values());
        json.put("warnings", packet == null ? List.of() : packet.warnings());
        if (garbage > 0) {
            json.put("garbageBytes", garbage);
        }
        if (frames > 1) {
            json.put("framesOnLine", frames);
        }
        return json;
    }
}
