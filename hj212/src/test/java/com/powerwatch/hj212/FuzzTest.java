package com.powerwatch.hj212;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random bytes and damaged sample streams, fed in random chunk sizes: nothing escapes the decoder,
 * its buffer stays bounded, and every intact frame around the damage is still decoded.
 */
class FuzzTest {

    private static final DecoderOptions OPTIONS = DecoderOptions.defaults();

    /** Feeds in random chunks, checking the buffer bound after every chunk; any exception fails the test. */
    private static List<DecodeResult> feedChunked(byte[] bytes, Random random, DecoderOptions options, String context) {
        FrameDecoder decoder = new FrameDecoder(options);
        List<DecodeResult> out = new ArrayList<>();
        try {
            for (int off = 0; off < bytes.length; ) {
                int n = Math.min(bytes.length - off, 1 + random.nextInt(random.nextBoolean() ? 7 : 4000));
                decoder.feed(bytes, off, n, out::add);
                off += n;
                if (decoder.bufferedBytes() > options.maxFrameBytes()) {
                    fail(context + ": " + decoder.bufferedBytes() + " bytes buffered, more than one maximum frame");
                }
            }
            decoder.finish(out::add);
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": exception escaped the decoder", e);
        }
        for (DecodeResult r : out) {
            assertTrue(r.offset() >= 0 && r.offset() < bytes.length, context + ": offset " + r.offset());
            assertTrue(r.bytes().length <= options.maxFrameBytes(), context + ": result of " + r.bytes().length + " bytes");
        }
        return out;
    }

    @Test
    void randomBytesNeverHurtTheDecoder() {
        Random random = new Random(20261123);
        String alphabet = "##0123456789\r\nQN=;ST,CN&&MN=CP=&&DataTime=-Rtd=1.5";
        DecoderOptions small = OPTIONS.withMaxDataLength(512);
        for (int round = 0; round < 300; round++) {
            byte[] bytes = new byte[1 + random.nextInt(20_000)];
            if (round % 2 == 0) {
                random.nextBytes(bytes);
            } else {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
                }
            }
            feedChunked(bytes, random, round % 3 == 0 ? small : OPTIONS, "round " + round);
        }
    }

    private enum Mutation { FLIP, TRUNCATE, DUPLICATE, INTERLEAVE, GARBAGE, DELETE, INSERT_CRLF, LENGTH_DIGIT }

    @Test
    void intactFramesAroundDamageAreStillDecoded() {
        List<byte[]> pool = new ArrayList<>();
        for (Samples.Sample s : Samples.all()) {
            if (s.expected() == Samples.Expected.VALID) {
                pool.add(s.frame());
            }
        }
        PacketGenerator gen = new PacketGenerator(99);
        for (int i = 0; i < 50; i++) {
            pool.add(FrameEncoder.encode(gen.next()));
        }
        Random random = new Random(1);
        for (int round = 0; round < 20000; round++) {
            Mutation mutation = Mutation.values()[round % Mutation.values().length];
            int count = 3 + random.nextInt(6);
            int victim = random.nextInt(count);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            Map<Long, byte[]> intact = new HashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] frame = pool.get(random.nextInt(pool.size()));
                if (i != victim) {
                    intact.put((long) stream.size(), frame);
                    stream.writeBytes(frame);
                    continue;
                }
                byte[] damaged = frame.clone();
                int at = random.nextInt(frame.length);
                switch (mutation) {
                    case FLIP:
                        damaged[at] = (byte) (damaged[at] ^ (1 << random.nextInt(8)));
                        stream.writeBytes(damaged);
                        break;
                    case TRUNCATE:
                        stream.writeBytes(Arrays.copyOf(frame, at));
                        break;
                    case DUPLICATE:
                        intact.put((long) stream.size(), frame);
                        stream.writeBytes(frame);
                        intact.put((long) stream.size(), frame);
                        stream.writeBytes(frame);
                        break;
                    case INTERLEAVE: {
                        // another whole frame lands in the middle of this one
                        byte[] other = pool.get(random.nextInt(pool.size()));
                        int cut = 1 + random.nextInt(frame.length - 3);
                        stream.write(frame, 0, cut);
                        intact.put((long) stream.size(), other);
                        stream.writeBytes(other);
                        stream.write(frame, cut, frame.length - cut);
                        break;
                    }
                    case GARBAGE: {
                        byte[] junk = new byte[1 + random.nextInt(300)];
                        random.nextBytes(junk);
                        for (int j = 0; j < junk.length; j++) {
                            if (junk[j] == '#') {
                                junk[j] = 'x'; // a stray "##" in junk would legitimately start a frame candidate
                            }
                        }
                        stream.writeBytes(junk);
                        intact.put((long) stream.size(), frame);
                        stream.writeBytes(frame);
                        break;
                    }
                    case DELETE:
                        stream.write(frame, 0, at);
                        stream.write(frame, at + 1, frame.length - at - 1);
                        break;
                    case INSERT_CRLF:
                        stream.write(frame, 0, at);
                        stream.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                        stream.write(frame, at, frame.length - at);
                        break;
                    default: // LENGTH_DIGIT
                        damaged[2 + random.nextInt(4)] = (byte) ('0' + random.nextInt(10));
                        stream.writeBytes(damaged);
                        break;
                }
            }
            byte[] bytes = stream.toByteArray();
            String context = "round " + round + " (" + mutation + " of frame " + victim + "/" + count + ")";
            List<DecodeResult> out = feedChunked(bytes, random, OPTIONS, context);
            Map<Long, DecodeResult> byOffset = new HashMap<>();
            for (DecodeResult r : out) {
                byOffset.put(r.offset(), r);
            }
            for (Map.Entry<Long, byte[]> e : intact.entrySet()) {
                DecodeResult r = byOffset.get(e.getKey());
                if (!(r instanceof DecodeResult.Decoded d)) {
                    fail(context + ": intact frame at " + e.getKey() + " not decoded, got " + r + "\nall: " + out);
                    return;
                }
                // a frame is delivered as soon as its CRC is in; a CRLF still in flight is skipped later
                byte[] expected = e.getValue();
                int content = expected.length - 2;
                assertTrue(d.bytes().length >= content, context);
                assertArrayEquals(Arrays.copyOf(expected, content), Arrays.copyOf(d.bytes(), content), context);
            }
        }
    }
}
