package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CommandAnswer;
import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.hj212.RejectReason;
import com.powerwatch.hj212.ServerCommands;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.RefusedAppendsLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HJ 212 TCP gateway: any number of data loggers, each connection with its own streaming decoder.
 * Every frame, valid or not, goes to the {@link FrameSink} (the journal) first; the reply the frame
 * calls for (9014 / 9013) is written only once the sink says the frame is durable.
 */
public final class TcpGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpGateway.class);

    private final GatewayConfig config;
    private final FrameSink sink;
    private final Clock clock;
    private final QnGenerator qns;
    private final Map<String, DeviceSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, CommandExchange> pendingCommands = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong connectionsTotal = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesRejected = new AtomicLong();
    private final AtomicLong acksSent = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    /** A full journal disk refuses every frame: one ERROR, then a line a minute, not a line per frame. */
    private final RefusedAppendsLog appendRefusals = new RefusedAppendsLog(log, "gateway");
    private final AtomicLong droppedForGarbage = new AtomicLong();
    private final Map<RejectReason, AtomicLong> rejections = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final DeviceAdmission admission;
    private final LatencyRecorder ackLatency = new LatencyRecorder();
    private final ConnectionLimiter limiter;
    private final AtomicLong droppedSlowFrame = new AtomicLong();
    private final AtomicLong droppedIdle = new AtomicLong();
    private final AtomicLong junkRuns = new AtomicLong();

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /** A gateway without passwords ({@link DeviceAdmission#open()}): tools and tests that need no registry. */
    public TcpGateway(GatewayConfig config, FrameSink sink, Clock clock) {
        this(config, sink, clock, DeviceAdmission.open());
    }

    public TcpGateway(GatewayConfig config, FrameSink sink, Clock clock, DeviceAdmission admission) {
        this.config = config;
        this.sink = sink;
        this.clock = clock;
        this.qns = new QnGenerator(clock);
        this.admission = admission;
        this.limiter = new ConnectionLimiter(config.limits());
    }

    public synchronized TcpGateway start() throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!limiter.admit(ch)) {
                            ch.close(); // refused politely: closed before anything is read from it
                            return;
                        }
                        ch.pipeline().addLast(new ConnectionHandler());
                    }
                });
        serverChannel = b.bind(config.bindAddress(), config.port()).sync().channel();
        long sweep = Math.max(1_000, Math.min(admission.sessionEviction().toMillis() / 4, 60_000));
        workers.scheduleAtFixedRate(this::evictStaleSessions, sweep, sweep, TimeUnit.MILLISECONDS);
        log.info("HJ 212 gateway listening on {}", serverChannel.localAddress());
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public Collection<DeviceSession> sessions() {
        return sessions.values();
    }

    public DeviceSession session(String mn) {
        return sessions.get(mn);
    }

    /**
     * Sends a command to a connected device and returns the exchange whose futures complete with its
     * 9011 and 9012 answers (or fail after the command timeout). Fails at once when the device is offline.
     */
    public CommandExchange sendCommand(String mn, Packet command) {
        DeviceSession s = sessions.get(mn);
        CommandExchange exchange = CommandExchange.of(command);
        if (s == null || !s.online()) {
            exchange.accepted().completeExceptionally(new IllegalStateException("device " + mn + " is not connected"));
            exchange.executed().completeExceptionally(new IllegalStateException("device " + mn + " is not connected"));
            return exchange;
        }
        pendingCommands.put(command.qn(), exchange);
        Channel ch = s.channel();
        ch.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.encode(command)));
        ch.eventLoop().schedule(() -> {
            if (pendingCommands.remove(command.qn()) != null) {
                IllegalStateException timeout = new IllegalStateException("no answer from " + mn + " to CN="
                        + command.cn() + " QN=" + command.qn() + " within " + config.commandTimeout());
                exchange.accepted().completeExceptionally(timeout);
                exchange.executed().completeExceptionally(timeout);
            }
        }, config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return exchange;
    }

    /**
     * Forgets registered devices that have been offline for longer than the admission's session eviction time
     * (run every few minutes; public for tests). Returns how many sessions were removed.
     */
    public int evictStaleSessions() {
        long before = clock.millis() - admission.sessionEviction().toMillis();
        int removed = 0;
        for (DeviceSession s : sessions.values()) {
            if (!s.online() && s.lastSeenMillis() < before && sessions.remove(s.mn(), s)) {
                removed++;
            }
        }
        return removed;
    }

    /** A QN for a server command. */
    public String nextQn() {
        return qns.next();
    }

    public GatewayStats stats() {
        Map<String, Long> byReason = new java.util.TreeMap<>();
        rejections.forEach((k, v) -> byReason.put(k.name(), v.get()));
        refusals.forEach((k, v) -> byReason.put(k, v.get()));
        long online = sessions.values().stream().filter(DeviceSession::online).count();
        return new GatewayStats(connections.get(), connectionsTotal.get(), online, sessions.size(), framesReceived.get(),
                framesRejected.get(), byReason, acksSent.get(), sinkFailures.get(), droppedForGarbage.get(),
                ackLatency.snapshot(), new GatewayStats.Guards(config.limits().maxConnections(),
                config.limits().maxConnectionsPerAddress(), limiter.addresses(), limiter.refusedOverTotal(),
                limiter.refusedOverAddressCap(), droppedSlowFrame.get(), droppedIdle.get(), junkRuns.get()),
                new GatewayStats.Quarantine(config.clockQuarantine().tolerance().toSeconds(), config.clockQuarantine().quarantined()));
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * One per connection: its own decoder, its own garbage budget, its deadlines, its run of junk, the MNs it carries.
     */
    private final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        private final FrameDecoder decoder = new FrameDecoder(config.decoderOptions());
        private final List<DecodeResult> results = new ArrayList<>(4);
        private final JunkRun junk = new JunkRun();
        private ReadDeadlines deadlines;
        /** Why the server closed the connection, for the trace record of the junk it leaves; null otherwise. */
        private String closeNote;
        private String peer;
        private long junkSinceValid;
        private final List<String> mns = new ArrayList<>(1);
        private DeviceAdmission.Connection admitting;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            peer = String.valueOf(ctx.channel().remoteAddress());
            admitting = admission.connection(ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null);
            connections.incrementAndGet();
            connectionsTotal.incrementAndGet();
            deadlines = new ReadDeadlines(ctx.channel(), config.frameDeadline(), config.idleTimeout(),
                    why -> expired(ctx, why));
            deadlines.start();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            long receivedAt = clock.millis();
            long receivedNanos = System.nanoTime();
            try {
                if (buf.hasArray()) {
                    decoder.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes(), results::add);
                } else {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), bytes);
                    decoder.feed(bytes, 0, bytes.length, results::add);
                }
            } finally {
                buf.release();
            }
            boolean valid = false;
            for (DecodeResult r : results) {
                valid |= r instanceof DecodeResult.Decoded;
                handle(ctx, r, receivedAt, receivedNanos);
            }
            deadlines.afterRead(decoder.bufferedBytes() > 0, !results.isEmpty(), valid);
            results.clear();
            if (junkSinceValid > config.garbageBudget() && closeNote == null) {
                droppedForGarbage.incrementAndGet();
                log.warn("closing {}: {} bytes of junk since its last valid frame", peer, junkSinceValid);
                closeNote = "connection closed: more than " + config.garbageBudget() + " bytes of junk since its last valid frame";
                ctx.close();
            }
        }

        private void expired(ChannelHandlerContext ctx, ReadDeadlines.Expiry why) {
            if (why == ReadDeadlines.Expiry.SLOW_FRAME) {
                droppedSlowFrame.incrementAndGet();
                closeNote = "connection closed: the frame did not complete within the frame deadline of " + config.frameDeadline();
            } else {
                droppedIdle.incrementAndGet();
                closeNote = "connection closed: no valid frame within the idle timeout of " + config.idleTimeout();
            }
            log.debug("closing {}: {}", peer, closeNote);
            ctx.close();
        }

        private void handle(ChannelHandlerContext ctx, DecodeResult r, long receivedAt, long receivedNanos) {
            framesReceived.incrementAndGet();
            if (JunkRun.isJunk(r)) {
                DecodeResult.Rejected rej = (DecodeResult.Rejected) r;
                rejected(rej);
                junk.add(rej, receivedAt);
                return;
            }
            flushJunk(null);
            ReceivedFrame frame = config.clockQuarantine().receive(r, receivedAt, "tcp", peer);
            Packet packet = null;
            boolean close = false;
            if (r instanceof DecodeResult.Decoded d) {
                // a frame the device cannot vouch for is journaled, but never acked, applied or bound to the session
                DeviceAdmission.Result admitted = admitting.admit(frame, d.packet());
                frame = admitted.frame();
                if (admitted.admitted()) {
                    packet = d.packet();
                    junkSinceValid = 0;
                    bindSession(ctx.channel(), packet, receivedAt, admitted.outcome());
                } else {
                    framesRejected.incrementAndGet();
                    refusals.computeIfAbsent(frame.verdict(), k -> new AtomicLong()).incrementAndGet();
                    close = admitted.close();
                }
            } else {
                rejected((DecodeResult.Rejected) r);
            }
            journal(ctx, frame, packet, receivedNanos, close);
        }

        private void rejected(DecodeResult.Rejected rej) {
            framesRejected.incrementAndGet();
            rejections.computeIfAbsent(rej.reason(), k -> new AtomicLong()).incrementAndGet();
            junkSinceValid += rej.length();
        }

        /** The run of junk so far becomes one trace record (before whatever ended it, so the journal keeps the order). */
        private void flushJunk(String note) {
            if (!junk.isEmpty()) {
                junkRuns.incrementAndGet();
                journal(null, junk.drain("tcp", peer, note), null, 0, false);
            }
        }

        /**
         * Appends the record; a valid packet gets its reply once the record is durable; a refused device's
         * connection is closed once its frame is kept.
         */
        private void journal(ChannelHandlerContext ctx, ReceivedFrame frame, Packet received, long receivedNanos,
                             boolean closeAfter) {
            sink.append(frame).whenComplete((position, error) -> {
                if (closeAfter) {
                    ctx.close();
                }
                if (error != null) {
                    // not durable: no ack, so the device re-sends (its retry is our retry)
                    sinkFailures.incrementAndGet();
                    appendRefusals.refused(error);
                    return;
                }
                appendRefusals.accepted();
                if (received != null) {
                    afterDurable(ctx, received, receivedNanos);
                }
            });
        }

        private void afterDurable(ChannelHandlerContext ctx, Packet packet, long receivedNanos) {
            CommandAnswer.of(packet).ifPresent(a -> answer(packet.mn(), a));
            if (config.timeCalibration() && "1013".equals(packet.cn())) {
                for (Packet p : ServerCommands.timeCalibration(packet, qns.next(), LocalDateTime.now(clock.withZone(QnGenerator.CHINA)))) {
                    ctx.write(Unpooled.wrappedBuffer(FrameEncoder.encode(p)));
                }
                ctx.flush();
                acksSent.incrementAndGet();
                ackLatency.record(System.nanoTime() - receivedNanos);
                return;
            }
            ServerCommands.replyTo(packet).ifPresent(reply -> {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.encode(reply)));
                acksSent.incrementAndGet();
                ackLatency.record(System.nanoTime() - receivedNanos);
            });
        }

        private void bindSession(Channel ch, Packet packet, long now, DeviceAuthenticator.Outcome outcome) {
            DeviceSession s = sessions.computeIfAbsent(packet.mn(), DeviceSession::new);
            if (s.channel() != ch) {
                s.bind(ch, peer, now);
                if (!mns.contains(packet.mn())) {
                    mns.add(packet.mn());
                }
            }
            s.seen(packet, now, outcome);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.decrementAndGet();
            deadlines.stop();
            List<DecodeResult> tail = new ArrayList<>(1);
            decoder.finish(tail::add);
            long now = clock.millis();
            for (DecodeResult r : tail) {
                handle(ctx, r, now, System.nanoTime());
            }
            flushJunk(closeNote);
            for (String mn : mns) {
                DeviceSession s = sessions.get(mn);
                if (s != null) {
                    s.unbind(ctx.channel());
                    if (s.admission() == DeviceAuthenticator.Outcome.UNREGISTERED && !s.online()) {
                        sessions.remove(mn, s); // made-up MNs live no longer than the connection that announced them
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("connection {} failed: {}", peer, cause.toString());
            ctx.close();
        }
    }

    private void answer(String mn, CommandAnswer a) {
        CommandExchange exchange = pendingCommands.get(a.qn());
        if (exchange == null || !exchange.command().mn().equals(mn)) {
            return; // only the device the command went to answers it (QNs are timestamps, easy to guess)
        }
        if (a.kind() == CommandAnswer.Kind.REQUEST_RESPONSE) {
            exchange.accepted().complete(a);
            if (!a.success()) {
                pendingCommands.remove(a.qn());
                exchange.executed().completeExceptionally(new IllegalStateException("device refused: " + a.meaning()));
            }
        } else {
            pendingCommands.remove(a.qn());
            exchange.accepted().complete(a);
            exchange.executed().complete(a);
        }
    }
}
