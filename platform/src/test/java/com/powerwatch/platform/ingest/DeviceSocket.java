package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A test's data logger on a socket of its own: sends one frame and reads the gateway's reply line. */
public final class DeviceSocket {

    private DeviceSocket() {
    }

    /** Sends {@code packet} and returns the reply up to its line end ("" when the gateway closes without one). */
    public static String send(Socket s, Packet packet) throws IOException {
        s.getOutputStream().write(FrameEncoder.encode(packet));
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[512];
        int got = 0;
        while (got < 2 || buf[got - 1] != '\n') {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return new String(buf, 0, got, StandardCharsets.US_ASCII);
    }
}
