package com.powerwatch.ingest.frame;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Records decoded once and shared by a journal's consumers; never another record's, never another journal's. */
class DecodedFramesTest {

    private static ReceivedFrame frame(String mn, String value) {
        Packet p = Packet.of("20261123100000001", "32", "2011", "123456", mn, 5, null, null,
                Cp.builder().dataTime("20261123100000").value("100000", "Ia", value).build());
        return ReceivedFrame.of(FrameDecoder.decodeAll(FrameEncoder.encode(p), DecoderOptions.defaults()).get(0),
                System.currentTimeMillis(), "tcp", "test");
    }

    @Test
    void consumersShareWhatTheFirstDecodedAndTheSinkLeft(@TempDir Path a, @TempDir Path b) throws Exception {
        try (Journal journal = Journal.open(a, JournalConfig.defaults()); Journal other = Journal.open(b, JournalConfig.defaults())) {
            DecodedFrames decoded = DecodedFrames.of(journal);
            assertSame(decoded, DecodedFrames.of(journal), "one per journal");
            assertNotSame(decoded, DecodedFrames.of(other), "journals do not share positions");

            ReceivedFrame fromSink = frame("DECMN01", "1.5");
            long p0 = journal.append(fromSink.encode()).get();
            decoded.put(p0, fromSink);
            long p1 = journal.append(frame("DECMN02", "2.5").encode()).get();

            List<JournalEntry> first, second;
            try (JournalReader r1 = journal.reader("one"); JournalReader r2 = journal.reader("two")) {
                first = r1.poll(10, Duration.ofSeconds(2));
                second = r2.poll(10, Duration.ofSeconds(2));
            }
            assertSame(fromSink, decoded.get(first.get(0)).frame(), "the sink's frame, not decoded again");
            DecodedFrames.Decoded one = decoded.get(first.get(1));
            assertEquals("DECMN02", one.frame().mn());
            assertEquals("2.5", one.packet().cp().values().get("100000-Ia"));
            DecodedFrames.Decoded two = decoded.get(second.get(1));
            assertSame(one, two, "the second consumer takes the first one's decoding");
            assertSame(one.packet(), two.packet(), "and its parsed packet");
            assertEquals(2, decoded.hits());
            assertEquals(1, decoded.misses());

            // a slot holds one position: a record DecodedFrames.SLOTS further on replaces it, and the old one is decoded again
            JournalEntry far = new JournalEntry(p1 + DecodedFrames.SLOTS, 0, frame("DECMN03", "3.5").encode());
            assertEquals("DECMN03", decoded.get(far).frame().mn());
            assertEquals("DECMN02", decoded.get(second.get(1)).frame().mn());
            assertThrows(IllegalArgumentException.class, () -> decoded.get(new JournalEntry(p1 + 1, 0, new byte[]{9, 9})));
        }
    }
}
