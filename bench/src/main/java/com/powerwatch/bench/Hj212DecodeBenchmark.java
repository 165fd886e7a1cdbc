package com.powerwatch.bench;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.FrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Decoding HJ 212 frames from a byte stream, as the gateway does: 1,000 copies of one sample frame
 * back to back, fed to a {@link FrameDecoder} in TCP-sized chunks; framing, CRC check and full
 * header/CP parsing included. Score = frames per second on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Hj212DecodeBenchmark {

    static final int FRAMES = 1000;

    /** 38 = a 635-byte electricity real-time frame; 36 = a 931-byte split minute frame (PNUM/PNO, A bit). */
    @Param({"38", "36"})
    public int sample;

    /** Chunk size of each read, as a TCP socket delivers it. */
    @Param({"4096"})
    public int chunk;

    private byte[] stream;
    private FrameDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[] frame = (sampleLine(sample) + "\r\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length * FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            out.writeBytes(frame);
        }
        stream = out.toByteArray();
        decoder = new FrameDecoder();
        int[] decoded = {0};
        feed(r -> decoded[0] += r instanceof DecodeResult.Decoded ? 1 : 0);
        if (decoded[0] != FRAMES) {
            throw new IllegalStateException("sample " + sample + " decoded " + decoded[0] + " of " + FRAMES + " frames");
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeStream(Blackhole bh) {
        feed(bh::consume);
    }

    private void feed(Consumer<DecodeResult> sink) {
        for (int off = 0; off < stream.length; off += chunk) {
            decoder.feed(stream, off, Math.min(chunk, stream.length - off), sink);
        }
    }

    static String sampleLine(int line) throws IOException {
        try (InputStream in = Hj212DecodeBenchmark.class.getResourceAsStream("/public-samples.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return lines.get(line - 1);
        }
    }
}
