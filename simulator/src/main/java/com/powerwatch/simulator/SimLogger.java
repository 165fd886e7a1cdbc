package com.powerwatch.simulator;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DataTimes;
import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.QnGenerator;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One simulated data logger: its enterprise model, its TCP connection and its protocol state.
 *
 * <p>Everything here runs on one Netty event loop (the one its channel is registered on), so the state needs
 * no locks and thousands of loggers share a handful of threads. Time comes in two kinds: simulated time
 * (DataTime, QN, intervals; the fleet clock × speed-up plus this logger's 1012 offset) and real time (ack
 * timeouts, reconnect back-off), which is what a network sees.
 */
final class SimLogger {

    private static final Logger log = LoggerFactory.getLogger(SimLogger.class);
    private static final ZoneId CHINA = QnGenerator.CHINA;
    private static final String ST_REPLY = "91";
    /** Past this many intervals behind (a suspended process), skip ahead rather than flood the platform. */
    private static final int MAX_CATCH_UP = 10;

    /** A frame this logger writes and may have to write again. */
    private static final class OutFrame {
        final Packet packet;
        final byte[] bytes;
        final boolean data;
        final boolean history;
        final boolean awaitAck;
        int attempts;
        ScheduledFuture<?> timer;

        OutFrame(Packet packet, boolean data, boolean history) {
            this.packet = packet;
            this.bytes = FrameEncoder.encode(packet);
            this.data = data;
            this.history = history;
            this.awaitAck = packet.ackRequested() || !data; // non-data frames here are 1013s, answered by 9013
        }
    }

    final int index;
    final String mn;
    final FactorFamily family;
    private final Fleet fleet;
    private final FleetConfig config;
    private final FleetStats stats;
    private final EnterpriseModel model;
    private final PacketFactory packets;
    private volatile String password;
    private final History history;
    private final EventLoop loop;
    private final InetSocketAddress localAddress;
    private final long phaseMillis;
    private final Random faultRandom;
    private final QnGenerator qns;
    private final int versionBits;

    private volatile long clockOffsetMillis;
    private long intervalMillis;
    private long minuteIntervalMillis;
    private long nextBoundary;
    private long lastRealtime = Long.MIN_VALUE;
    private LocalDateTime currentMinutePeriod;
    private boolean realtimeEnabled = true;
    private boolean generating = true;
    private boolean closed;
    private ScheduledFuture<?> tick;

    private Channel channel;
    private boolean connected;
    /** A connect is scheduled or under way (so that the end of an offline window does not start a second one). */
    private boolean connectPending;
    /** Inside an injected LOGGER_OFFLINE window: disconnected, sends and connects nothing. */
    private boolean silenced;
    private long reconnectDelayMillis;
    private final ArrayDeque<OutFrame> outbox = new ArrayDeque<>();
    private final LinkedHashMap<String, OutFrame> inFlight = new LinkedHashMap<>();

    SimLogger(Fleet fleet, int index, EventLoop loop) {
        this.fleet = fleet;
        this.config = fleet.config();
        this.stats = fleet.stats();
        this.index = index;
        this.loop = loop;
        this.mn = mn(config, index);
        this.family = config.family().forLogger(index);
        this.model = new EnterpriseModel(config.seed(), index);
        this.model.effects(fleet.plan().effects(index));
        this.password = config.password();
        this.packets = new PacketFactory(family, model.meters(), config.st(), password, mn, config.maxDataLength());
        this.history = new History(config.historyCapacity());
        this.intervalMillis = config.interval().toMillis();
        this.minuteIntervalMillis = config.minuteInterval().toMillis();
        // Golden-ratio spacing spreads any number of loggers evenly over the interval, without randomness.
        double phase = config.staggered() ? (index * 0.6180339887498949) % 1.0 : 0;
        this.phaseMillis = (long) (phase * intervalMillis);
        this.faultRandom = new Random(config.seed() ^ (0x5DEECE66DL * (index + 1)));
        this.localAddress = config.sourceAddresses() > 0
                ? new InetSocketAddress("127.0.0." + (index % config.sourceAddresses() + 1), 0) : null;
        this.qns = new QnGenerator(new LoggerClock());
        this.versionBits = config.version().bits();
        this.reconnectDelayMillis = config.reconnectMin().toMillis();
    }

    /** {@code SIM} + 5 digits of the seed + the zero-padded index: 24 characters, stable for a seed. */
    static String mn(FleetConfig config, int index) {
        String prefix = config.mnPrefix() + String.format("%05d", Math.floorMod(config.seed(), 100_000));
        StringBuilder sb = new StringBuilder(prefix);
        String idx = Integer.toString(index);
        for (int i = prefix.length() + idx.length(); i < 24; i++) {
            sb.append('0');
        }
        return sb.append(idx).toString();
    }

    /** See {@link Fleet#password(int, String)}. */
    void password(String pw) {
        password = pw;
        packets.password(pw);
    }

    /** See {@link Fleet#shutDown(int)}. */
    void shutDown() {
        model.shutDown();
    }

    LoggerInfo info() {
        List<MeterInfo> meters = new ArrayList<>();
        for (int m = 0; m < model.meters(); m++) {
            List<String> serves = new ArrayList<>();
            for (int p : model.serves(m)) {
                serves.add(PacketFactory.meterCode(family, p));
            }
            meters.add(new MeterInfo(PacketFactory.meterCode(family, m), model.facility(m), model.kind(m),
                    model.ratedKw(m), PacketFactory.realtimeKeys(family, m), serves));
        }
        return new LoggerInfo(index, mn, family, model.shift(), meters);
    }

    // ---------------------------------------------------------------- lifecycle (call from any thread)

    void start(long connectDelayMillis) {
        loop.execute(() -> {
            // From the configured start, not from "now": a few ms of start-up must not skip the first record.
            nextBoundary = ceil(fleet.simulatedStartMillis() + clockOffsetMillis, intervalMillis);
            scheduleTick();
            connectPending = true;
            loop.schedule(this::connect, connectDelayMillis, TimeUnit.MILLISECONDS);
        });
    }

    /** Stops producing new data; frames already made are still sent and re-sent. */
    void stopGenerating() {
        loop.execute(() -> {
            generating = false;
            cancel(tick);
        });
    }

    /** Closes the connection for good; unfinished frames are recorded as pending at close. */
    io.netty.util.concurrent.Future<?> close() {
        return loop.submit(() -> {
            closed = true;
            generating = false;
            cancel(tick);
            for (OutFrame f : inFlight.values()) {
                cancel(f.timer);
                if (f.data) {
                    finish(f, FrameRecord.Outcome.PENDING_AT_CLOSE);
                }
            }
            inFlight.clear();
            for (OutFrame f : outbox) {
                if (f.data) {
                    finish(f, FrameRecord.Outcome.PENDING_AT_CLOSE);
                }
            }
            outbox.clear();
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ---------------------------------------------------------------- simulated time

    long nowMillis() {
        return fleet.simulatedMillis() + clockOffsetMillis;
    }

    private static LocalDateTime toTime(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), CHINA);
    }

    private static long toMillis(LocalDateTime t) {
        return t.atZone(CHINA).toInstant().toEpochMilli();
    }

    private static long ceil(long millis, long step) {
        long offset = 8 * 3_600_000L; // align on China midnight, not UTC
        return Math.floorDiv(millis + offset + step - 1, step) * step - offset;
    }

    /** The simulated clock as a java.time Clock, so QNs come from the shared QnGenerator. */
    private final class LoggerClock extends Clock {
        @Override
        public ZoneId getZone() {
            return CHINA;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return nowMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }

    private void scheduleTick() {
        if (!generating) {
            return;
        }
        long realDelay = (long) ((nextBoundary + phaseMillis - nowMillis()) / config.speedup());
        tick = loop.schedule(this::tick, Math.max(0, realDelay), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!generating) {
            return;
        }
        long behind = (nowMillis() - phaseMillis - nextBoundary) / intervalMillis;
        if (behind > MAX_CATCH_UP) {
            nextBoundary += behind * intervalMillis;
        }
        try {
            produce(nextBoundary);
        } catch (RuntimeException e) {
            log.error("logger {} failed to produce data", mn, e);
        }
        nextBoundary += intervalMillis;
        scheduleTick();
    }

    private void produce(long t) {
        double stepSeconds = lastRealtime == Long.MIN_VALUE ? 0
                : Math.min(t - lastRealtime, intervalMillis) / 1000.0;
        LocalDateTime time = toTime(t);
        double[][] readings = model.step(time, stepSeconds);
        lastRealtime = t;
        history.add(time, readings);
        if (model.loggerOfflineUntil(time) >= 0) {
            goSilent();
            return; // an injected LOGGER_OFFLINE: this record is never sent
        }
        if (silenced) {
            silenced = false;
            if (!connected && !connectPending && !closed) {
                reconnectDelayMillis = config.reconnectMin().toMillis();
                connect();
            }
        }
        if (realtimeEnabled) {
            for (Packet p : packets.packets("2011", time, packets.realtime(readings), versionBits,
                    config.ackRequested(), qns::next)) {
                submit(new OutFrame(p, true, false));
            }
        }
        if (config.minuteData()) {
            LocalDateTime period = History.periodStart(time, minuteIntervalMillis / 1000);
            if (currentMinutePeriod != null && !period.equals(currentMinutePeriod)) {
                uploadPeriods("2051", currentMinutePeriod, currentMinutePeriod, minuteIntervalMillis / 1000,
                        config.ackRequested(), false);
            }
            currentMinutePeriod = period;
        }
    }

    /** Aggregates stored records into 2051/2061/2031 packets and sends them; returns how many periods. */
    private int uploadPeriods(String cn, LocalDateTime begin, LocalDateTime end, long periodSeconds, boolean ack,
                              boolean isHistory) {
        List<History.Period> periods = history.periods(begin, end, periodSeconds);
        for (History.Period period : periods) {
            List<PacketFactory.Group> groups = packets.aggregate(period.records(), period.before());
            for (Packet p : packets.packets(cn, period.start(), groups, versionBits, ack, qns::next)) {
                submit(new OutFrame(p, true, isHistory));
            }
        }
        return periods.size();
    }

    // ---------------------------------------------------------------- sending

    private void submit(OutFrame f) {
        if (f.data) {
            stats.framesCreated.increment();
        }
        if (connected) {
            write(f);
        } else {
            enqueue(f);
        }
    }

    private void enqueue(OutFrame f) {
        if (outbox.size() >= config.outboxCapacity()) {
            OutFrame oldest = outbox.pollFirst();
            if (oldest != null && oldest.data) {
                stats.framesDropped.increment();
                finish(oldest, FrameRecord.Outcome.DROPPED);
            }
        }
        outbox.addLast(f);
    }

    private void write(OutFrame f) {
        if (f.data && f.attempts == 0 && config.faultRate() > 0 && faultRandom.nextDouble() < config.faultRate()) {
            FaultKind kind = FaultKind.values()[faultRandom.nextInt(FaultKind.values().length)];
            byte[] fault = Faults.build(kind, f.bytes, faultRandom);
            channel.write(Unpooled.wrappedBuffer(fault));
            stats.bytesSent.add(fault.length);
            stats.faults.get(kind).increment();
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(f.bytes));
        stats.bytesSent.add(f.bytes.length);
        f.attempts++;
        if (f.data) {
            if (f.attempts == 1) {
                stats.framesSent.increment();
                stats.valuesSent.add(f.packet.cp().values().size());
                if (f.history) {
                    stats.historyFramesSent.increment();
                }
            } else {
                stats.framesResent.increment();
            }
        } else if (f.attempts == 1) {
            stats.timeRequestsSent.increment();
        }
        if (f.awaitAck) {
            inFlight.put(f.packet.qn(), f);
            f.timer = loop.schedule(() -> onAckTimeout(f), config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stats.framesNoAck.increment();
            finish(f, FrameRecord.Outcome.SENT_NO_ACK);
        }
    }

    private void onAckTimeout(OutFrame f) {
        if (inFlight.get(f.packet.qn()) != f) {
            return;
        }
        inFlight.remove(f.packet.qn());
        if (!connected) {
            if (f.data) {
                enqueue(f);
            }
        } else if (f.attempts <= config.maxRetries()) {
            write(f); // same bytes, same QN: what a real logger does
        } else if (f.data) {
            stats.framesUnacked.increment();
            finish(f, FrameRecord.Outcome.UNACKED);
        }
    }

    private void onAck(String qn) {
        OutFrame f = qn == null ? null : inFlight.remove(qn);
        if (f == null) {
            stats.unexpectedAcks.increment();
            return;
        }
        cancel(f.timer);
        if (f.data) {
            stats.framesAcked.increment();
            stats.valuesAcked.add(f.packet.cp().values().size());
            finish(f, FrameRecord.Outcome.ACKED);
        } else {
            stats.timeRequestsAnswered.increment();
        }
    }

    private void finish(OutFrame f, FrameRecord.Outcome outcome) {
        stats.framesFinished.increment();
        GroundTruth truth = fleet.groundTruth();
        if (truth.enabled()) {
            Packet p = f.packet;
            truth.record(new FrameRecord(mn, p.cn(), p.cp().dataTime(), p.qn(), p.pno(), p.pnum(), outcome,
                    f.attempts, p.cp().values()));
        }
    }

    /** A reply that is never acknowledged (9011, 9012, 9013, uploads answering 1011/1061/1063). */
    private void reply(String qn, String st, String cn, Cp cp) {
        if (connected) {
            byte[] bytes = FrameEncoder.encode(Packet.of(qn, st, cn, password, mn, versionBits << 2, null, null, cp));
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
            stats.bytesSent.add(bytes.length);
        }
    }

    private void replyRequest(Packet command, int qnRtn) {
        reply(command.qn(), ST_REPLY, "9011", Cp.builder().param("QnRtn", Integer.toString(qnRtn)).build());
    }

    private void replyExecution(Packet command, int exeRtn) {
        reply(command.qn(), ST_REPLY, "9012", Cp.builder().param("ExeRtn", Integer.toString(exeRtn)).build());
    }

    // ---------------------------------------------------------------- connection

    /** Starts an injected offline window: the connection is closed and nothing is sent until it ends. */
    private void goSilent() {
        if (!silenced) {
            silenced = true;
            if (channel != null) {
                channel.close();
            }
        }
    }

    private void connect() {
        connectPending = false;
        if (closed || silenced) {
            return; // the end of an offline window connects again
        }
        connectPending = true;
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new Handler());
        InetSocketAddress remote = fleet.remoteAddress();
        ChannelFuture cf = localAddress == null ? b.connect(remote) : b.connect(remote, localAddress);
        cf.addListener(f -> {
            connectPending = false;
            if (!f.isSuccess()) {
                stats.connectFailures.increment();
                log.debug("logger {} cannot connect: {}", mn, f.cause().toString());
                scheduleReconnect();
            }
        });
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = reconnectDelayMillis;
        reconnectDelayMillis = Math.min(config.reconnectMax().toMillis(), reconnectDelayMillis * 2);
        // Jitter so that thousands of loggers cut off together do not come back in one burst.
        long jittered = delay / 2 + (long) (Math.random() * delay / 2);
        connectPending = true;
        loop.schedule(this::connect, jittered, TimeUnit.MILLISECONDS);
    }

    private void onConnected(Channel ch) {
        connectPending = false;
        if (closed || silenced) {
            ch.close();
            return;
        }
        channel = ch;
        connected = true;
        reconnectDelayMillis = config.reconnectMin().toMillis();
        stats.connects.increment();
        stats.connected.increment();
        if (config.timeRequestOnConnect()) {
            Packet request = Packet.of(qns.next(), config.st(), "1013", password, mn, versionBits << 2,
                    null, null, Cp.EMPTY);
            write(new OutFrame(request, false, false));
        }
        while (connected && !outbox.isEmpty()) {
            write(outbox.pollFirst());
        }
    }

    private void onDisconnected(Channel ch) {
        if (ch != channel || !connected) {
            return;
        }
        connected = false;
        channel = null;
        stats.connected.decrement();
        stats.disconnects.increment();
        // Unacknowledged frames go back to the head of the outbox, oldest first, to be sent again.
        List<OutFrame> again = new ArrayList<>();
        for (OutFrame f : inFlight.values()) {
            cancel(f.timer);
            if (f.data) {
                again.add(f);
            }
        }
        inFlight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            outbox.addFirst(again.get(i));
        }
        scheduleReconnect();
    }

    // ---------------------------------------------------------------- commands from the platform

    private void onPacket(Packet p) {
        String cn = p.cn();
        switch (cn) {
            case "9014", "9013" -> onAck(p.qn());
            case "9011", "9012" -> { /* answers to nothing we asked */ }
            default -> {
                stats.commandsReceived.increment();
                onCommand(p);
            }
        }
    }

    private void onCommand(Packet p) {
        Map<String, String> params = p.cp().params();
        switch (p.cn()) {
            case "1012" -> {
                LocalDateTime time = parseTime(params.get("SystemTime"));
                replyRequest(p, 1);
                if (time == null) {
                    replyExecution(p, 3);
                    return;
                }
                clockOffsetMillis += toMillis(time) - nowMillis();
                realign();
                replyExecution(p, 1);
            }
            case "1011" -> {
                replyRequest(p, 1);
                reply(p.qn(), config.st(), "1011", Cp.builder()
                        .param("SystemTime", DataTimes.format14(toTime(nowMillis()))).build());
                replyExecution(p, 1);
            }
            case "1061" -> {
                replyRequest(p, 1);
                reply(p.qn(), config.st(), "1061", Cp.builder()
                        .param("RtdInterval", Long.toString(intervalMillis / 1000)).build());
                replyExecution(p, 1);
            }
            case "1062" -> {
                Integer seconds = parseInt(params.get("RtdInterval"));
                replyRequest(p, 1);
                if (seconds == null || seconds < 1) {
                    replyExecution(p, 3);
                    return;
                }
                intervalMillis = seconds * 1000L;
                realign();
                replyExecution(p, 1);
            }
            case "1063" -> {
                replyRequest(p, 1);
                reply(p.qn(), config.st(), "1063", Cp.builder()
                        .param("MinInterval", Long.toString(minuteIntervalMillis / 60_000)).build());
                replyExecution(p, 1);
            }
            case "1064" -> {
                Integer minutes = parseInt(params.get("MinInterval"));
                replyRequest(p, 1);
                if (minutes == null || minutes < 1 || 1440 % minutes != 0) {
                    replyExecution(p, 3);
                    return;
                }
                minuteIntervalMillis = minutes * 60_000L;
                currentMinutePeriod = null;
                replyExecution(p, 1);
            }
            case "2051", "2061", "2031" -> {
                LocalDateTime begin = parseTime(params.get("BeginTime"));
                LocalDateTime end = parseTime(params.get("EndTime"));
                replyRequest(p, 1);
                if (begin == null || end == null || end.isBefore(begin)) {
                    replyExecution(p, 3);
                    return;
                }
                long period = switch (p.cn()) {
                    case "2051" -> minuteIntervalMillis / 1000;
                    case "2061" -> 3600;
                    default -> 86_400;
                };
                int n = uploadPeriods(p.cn(), begin, end, period, true, true);
                replyExecution(p, n == 0 ? 100 : 1);
            }
            case "2011" -> {
                replyRequest(p, 1);
                realtimeEnabled = true;
            }
            case "2012" -> {
                reply(p.qn(), ST_REPLY, "9013", Cp.EMPTY);
                realtimeEnabled = false;
            }
            default -> {
                if (p.ackRequested()) {
                    replyRequest(p, 2); // not a command this logger implements
                }
            }
        }
    }

    /** After a clock or interval change: the next record falls on the next boundary of the new clock. */
    private void realign() {
        cancel(tick);
        nextBoundary = ceil(nowMillis(), intervalMillis);
        if (lastRealtime != Long.MIN_VALUE && nextBoundary <= lastRealtime) {
            nextBoundary = lastRealtime + intervalMillis; // never send one DataTime twice
        }
        scheduleTick();
    }

    private static LocalDateTime parseTime(String text) {
        return text == null ? null : DataTimes.parse(text.trim());
    }

    private static Integer parseInt(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Netty handler: frames bytes with the hj212 decoder and hands packets to the logger, on its loop. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private final FrameDecoder decoder = new FrameDecoder();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            onConnected(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                decoder.feed(bytes, r -> {
                    if (r instanceof DecodeResult.Decoded d) {
                        onPacket(d.packet());
                    } else {
                        stats.badFramesReceived.increment();
                    }
                });
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onDisconnected(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("logger {} connection error: {}", mn, cause.toString());
            ctx.close();
        }
    }
}
