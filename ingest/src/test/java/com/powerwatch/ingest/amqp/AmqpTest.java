package com.powerwatch.ingest.amqp;

import com.powerwatch.ingest.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.ClockQuarantine;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import com.powerwatch.ingest.journal.JournalUnavailableException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Against a real RabbitMQ on localhost (started by .ci/run): frames in through a queue, readings out to a topic exchange. */
class AmqpTest {

    static final String URI = System.getProperty("powerwatch.test.amqp-uri", "amqp://guest:guest@localhost:5672");
    /** The same broker for Qpid JMS (AMQP 1.0 plugin on the same listener), without the credentials. */
    static final String URI_10 = "amqp://" + java.net.URI.create(URI).getHost() + ":" + java.net.URI.create(URI).getPort();
    static Connection connection;
    static Channel channel;

    @BeforeAll
    static void connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(URI);
        try {
            connection = f.newConnection("powerwatch-test");
        } catch (Exception e) {
            fail("RabbitMQ is required at " + URI + " (.ci/run installs and starts it): " + e);
        }
        channel = connection.createChannel();
    }

    @AfterAll
    static void disconnect() throws Exception {
        connection.close();
    }

    private static Packet upload(String mn, String qn) {
        return Packet.of(qn, "32", "2011", "123456", mn, 5, null, null,
                Cp.builder().dataTime("20261123100000").value("100000", "Ia", "12.5").value("100000", "Flag", "N").build());
    }

    @Test
    void framesFromAQueueAreJournaledThenAcked(@TempDir Path dir) throws Exception {
        String queue = "pw-test-in-" + UUID.randomUUID();
        try (Journal journal = Journal.open(dir, JournalConfig.defaults());
             AmqpFrameConsumer consumer = new AmqpFrameConsumer(URI, queue, 100, f -> journal.append(f.encode()), DecoderOptions.defaults(),
                     new ClockQuarantine(ClockQuarantine.DEFAULT_TOLERANCE))) {
            JournalReader reader = journal.reader("test");
            channel.basicPublish("", queue, null, FrameEncoder.encode(upload("AMQPMN01", "20261123100000001")));
            channel.basicPublish("", queue, null, upload("AMQPMN02", "20261123100000002").toDataSegment().getBytes(StandardCharsets.UTF_8));
            channel.basicPublish("", queue, null, "not a frame at all".getBytes(StandardCharsets.UTF_8));
            Packet ahead = Packet.of("20261123100000009", "32", "2011", "123456", "AMQPMN03", 5, null, null,
                    Cp.builder().dataTime(LocalDateTime.now(ZoneId.of("Asia/Shanghai")).plusDays(1)).value("100000", "Ia", "1").build());
            channel.basicPublish("", queue, null, FrameEncoder.encode(ahead));

            List<ReceivedFrame> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (got.size() < 4 && System.nanoTime() < deadline) {
                for (JournalEntry e : reader.poll(10, Duration.ofMillis(200))) {
                    got.add(ReceivedFrame.decode(e.payload()));
                }
            }
            assertEquals(4, got.size());
            assertEquals("AMQPMN01", got.get(0).mn());
            assertTrue(got.get(0).valid());
            assertEquals("amqp", got.get(0).channel());
            assertEquals("AMQPMN02", got.get(1).mn(), "a bare data segment is framed");
            assertTrue(got.get(1).valid());
            assertEquals("GARBAGE_SKIPPED", got.get(2).verdict(), "junk is kept in the journal, not lost");
            assertEquals(ClockQuarantine.VERDICT, got.get(3).verdict(), "a day ahead of the receive time: quarantined");
            assertEquals("AMQPMN03", got.get(3).mn());
            Await.until("all four acked (the quarantined one is kept)", Duration.ofSeconds(20),
                    () -> consumer.messages() == 4 && messageCount(queue) == 0);
            assertEquals(0, consumer.requeued());
        } finally {
            channel.queueDelete(queue);
        }
    }

    @Test
    void readingsArePublishedAsJsonKeyedByMnAndCn(@TempDir Path dir) throws Exception {
        String exchange = "pw-test-out-" + UUID.randomUUID();
        channel.exchangeDeclare(exchange, "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, "PUBMN01.*");
        try (Journal journal = Journal.open(dir, JournalConfig.defaults());
             AmqpReadingPublisher publisher = new AmqpReadingPublisher(URI, exchange, journal.reader("amqp-publisher")).start()) {
            for (String mn : List.of("PUBMN01", "PUBMN02")) {
                byte[] frame = FrameEncoder.encode(upload(mn, "20261123100000003"));
                journal.append(ReceivedFrame.of(com.powerwatch.hj212.FrameDecoder.decodeAll(frame, DecoderOptions.defaults()).get(0),
                        System.currentTimeMillis(), "tcp", "test").encode()).get();
            }
            Await.until("published", Duration.ofSeconds(20), () -> publisher.published() == 2 && publisher.lag() == 0);
            GetResponse r = channel.basicGet(queue, true);
            JsonNode json = new ObjectMapper().readTree(r.getBody());
            assertEquals("PUBMN01.2011", r.getEnvelope().getRoutingKey());
            assertEquals("PUBMN01", json.get("mn").asText());
            assertEquals("12.5", json.get("values").get("100000-Ia").asText());
            assertEquals("2026-11-23T10:00+08:00", json.get("dataTime").asText());
            assertNull(channel.basicGet(queue, true), "PUBMN02 is routed elsewhere");
            assertFalse(publisher.lastError() != null && publisher.published() < 2);
        } finally {
            channel.exchangeDelete(exchange);
        }
    }

    @Test
    void anAmqp10SourceWhoseJournalRefusesLogsOnceAndTheMessagesComeAgain(@TempDir Path dir) throws Exception {
        String queue = "pw-test-amqp10-full-" + UUID.randomUUID();
        channel.queueDeclare(queue, true, false, false, null);
        Logger log = (Logger) LoggerFactory.getLogger(Amqp10FrameConsumer.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            for (int i = 1; i <= 5; i++) {
                channel.basicPublish("", queue, null, FrameEncoder.encode(upload("AMQP10FULL" + i, "2026112310000010" + i)));
            }
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean full = new AtomicBoolean(true); // the journal's disk is full
            JournalReader reader = journal.reader("test");
            try (Amqp10FrameConsumer consumer = new Amqp10FrameConsumer(URI_10, "guest", "guest", "/amq/queue/" + queue,
                    f -> {
                        if (full.get()) {
                            refused.incrementAndGet();
                            return CompletableFuture.failedFuture(new JournalUnavailableException("test: No space left on device", null));
                        }
                        return journal.append(f.encode());
                    }, DecoderOptions.defaults(), new ClockQuarantine(ClockQuarantine.DEFAULT_TOLERANCE))) {
                Await.until("messages refused again and again", Duration.ofSeconds(20), () -> refused.get() >= 30);
                List<String> loud = lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .map(ILoggingEvent::getFormattedMessage).toList();
                assertEquals(1, loud.size(), "one line while the journal refuses, not one per message: " + loud.size());
                assertTrue(loud.get(0).contains("the journal refuses frames"), loud.get(0));

                full.set(false);
                List<String> mns = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (mns.size() < 5 && System.nanoTime() < deadline) {
                    for (JournalEntry e : reader.poll(10, Duration.ofMillis(200))) {
                        mns.add(ReceivedFrame.decode(e.payload()).mn());
                    }
                }
                assertEquals(5, mns.stream().distinct().count(), "every message delivered again and journaled: " + mns);
                Await.until("all acknowledged", Duration.ofSeconds(20), () -> messageCount(queue) == 0);
                assertTrue(lines.list.stream().anyMatch(e -> e.getLevel() == Level.INFO
                        && e.getFormattedMessage().contains("the journal takes frames again")), "the recovery is logged");
            }
        } finally {
            log.detachAppender(lines);
            channel.queueDelete(queue);
        }
    }

    private static long messageCount(String queue) {
        try {
            return channel.messageCount(queue);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void framesFromAnAmqp10SourceAreJournaledThenAcknowledged(@TempDir Path dir) throws Exception {
        String queue = "pw-test-amqp10-" + UUID.randomUUID();
        channel.queueDeclare(queue, true, false, false, null);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults())) {
            channel.basicPublish("", queue, null, FrameEncoder.encode(upload("AMQP10MN1", "20261123100000004")));
            channel.basicPublish("", queue, null, FrameEncoder.encode(upload("AMQP10MN2", "20261123100000005")));
            JournalReader reader = journal.reader("test");
            try (Amqp10FrameConsumer consumer = new Amqp10FrameConsumer(URI_10, "guest", "guest",
                    "/amq/queue/" + queue, f -> journal.append(f.encode()), DecoderOptions.defaults(),
                    new ClockQuarantine(ClockQuarantine.DEFAULT_TOLERANCE))) {
                List<ReceivedFrame> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got.size() < 2 && System.nanoTime() < deadline) {
                    for (JournalEntry e : reader.poll(10, Duration.ofMillis(200))) {
                        got.add(ReceivedFrame.decode(e.payload()));
                    }
                }
                assertEquals(List.of("AMQP10MN1", "AMQP10MN2"), got.stream().map(ReceivedFrame::mn).toList());
                assertTrue(got.stream().allMatch(ReceivedFrame::valid));
                assertEquals("amqp1.0", got.get(0).channel());
                Await.until("both acknowledged", Duration.ofSeconds(20), () -> consumer.messages() == 2 && messageCount(queue) == 0);
            }
        } finally {
            channel.queueDelete(queue);
        }
    }
}
