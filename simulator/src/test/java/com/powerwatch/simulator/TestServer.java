package com.powerwatch.simulator;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.ServerCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A tiny platform for tests: a blocking ServerSocket, one thread per connection, the hj212 FrameDecoder, and
 * 9014/9013 replies unless told otherwise. Records everything it decodes and rejects.
 */
final class TestServer implements AutoCloseable {

    /** One decoded packet and the connection it came on. */
    record Received(Packet packet, int connection, byte[] bytes) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<DecodeResult.Rejected> rejected = new CopyOnWriteArrayList<>();
    /** Packets the server acknowledged (9014), in order. */
    final List<Packet> acked = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Map<String, Connection> byMn = new ConcurrentHashMap<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private volatile Predicate<Packet> ackIf = p -> true;
    /** Called for every decoded packet with its connection number; true = drop the connection instead of replying. */
    private volatile BiPredicate<Packet, Integer> dropIf = (p, c) -> false;
    private volatile boolean running = true;

    TestServer() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "test-server-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void ackIf(Predicate<Packet> p) {
        ackIf = p;
    }

    void dropIf(BiPredicate<Packet, Integer> p) {
        dropIf = p;
    }

    /** Sends a command to the logger with this MN (it must have sent something already). */
    void send(String mn, Packet packet) throws IOException {
        Connection c = byMn.get(mn);
        if (c == null) {
            throw new IllegalStateException("no connection for " + mn);
        }
        c.write(FrameEncoder.encode(packet));
    }

    List<Packet> packets(Predicate<Packet> filter) {
        List<Packet> out = new ArrayList<>();
        for (Received r : received) {
            if (filter.test(r.packet())) {
                out.add(r.packet());
            }
        }
        return out;
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                Connection c = new Connection(s, connectionIds.incrementAndGet());
                connections.add(c);
                Thread t = new Thread(c::readLoop, "test-server-conn-" + c.id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Connection {
        final Socket socket;
        final int id;
        final OutputStream out;

        Connection(Socket socket, int id) throws IOException {
            this.socket = socket;
            this.id = id;
            this.out = socket.getOutputStream();
        }

        synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void readLoop() {
            FrameDecoder decoder = new FrameDecoder();
            byte[] buf = new byte[8192];
            try (socket; InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    List<DecodeResult> results = new ArrayList<>();
                    decoder.feed(buf, 0, n, results::add);
                    for (DecodeResult r : results) {
                        if (r instanceof DecodeResult.Rejected rej) {
                            rejected.add(rej);
                            continue;
                        }
                        DecodeResult.Decoded d = (DecodeResult.Decoded) r;
                        Packet p = d.packet();
                        byMn.put(p.mn(), this);
                        received.add(new Received(p, id, d.bytes()));
                        if (dropIf.test(p, id)) {
                            socket.close();
                            return;
                        }
                        var reply = ServerCommands.replyTo(p);
                        if (reply.isPresent() && ackIf.test(p)) {
                            write(FrameEncoder.encode(reply.get()));
                            if (reply.get().cn().equals("9014")) {
                                acked.add(p);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // connection closed
            }
        }
    }

    /** Waits until the condition holds; fails the test with {@code what} at the deadline. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    /** As above, adding {@code detail} (e.g. the report) to the failure message. */
    static void await(String what, Duration timeout, BooleanSupplier condition,
                      java.util.function.Supplier<String> detail) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + " " + detail.get());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }
}
