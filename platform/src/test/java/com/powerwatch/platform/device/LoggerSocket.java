package com.powerwatch.platform.device;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A data logger as the tests play it over a real socket: uploads with the A bit, and reading until the answer to
 * a given QN has come. Answers come in the order the frames were sent, so "the ack of a later frame arrived and an
 * earlier one's did not" proves the earlier one was not acked, without waiting for a time.
 */
final class LoggerSocket implements AutoCloseable {

    static final String NOW = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).withSecond(0).withNano(0)
            .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));

    final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    LoggerSocket(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
    }

    static Packet upload(String mn, String pw, String qn) {
        return Packet.of(qn, "32", "2011", pw, mn, 5, null, null,
                Cp.builder().dataTime(NOW).value("100000", "Pt", "12.5").value("100000", "Flag", "N").build());
    }

    LoggerSocket send(Packet p) throws IOException {
        socket.getOutputStream().write(FrameEncoder.encode(p));
        socket.getOutputStream().flush();
        return this;
    }

    LoggerSocket send(String mn, String pw, String qn) throws IOException {
        return send(upload(mn, pw, qn));
    }

    /** Everything received until an answer with {@code qn} (or the end of the stream). */
    String readUntil(String qn) throws IOException {
        return readUntilText("QN=" + qn);
    }

    /** Everything received until {@code text} has come (or the end of the stream). */
    String readUntilText(String text) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        while (!received.toString(StandardCharsets.US_ASCII).contains(text)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            received.write(buf, 0, n);
        }
        return received.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
