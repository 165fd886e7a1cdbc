package com.powerwatch.ingest.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journal consumer that publishes normalized readings as JSON to a topic exchange, routing key
 * {@code <MN>.<CN>}, for other bureau systems. Publisher confirms: the journal offset moves only after
 * the broker has confirmed the batch, so a broker outage delays, never loses (consumers dedupe on
 * mn + cn + dataTime, which the message carries).
 */
public final class AmqpReadingPublisher extends JournalConsumer {

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final String uri;
    private final String exchange;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong published = new AtomicLong();
    private Connection connection;
    private Channel channel;

    public AmqpReadingPublisher(String uri, String exchange, JournalReader reader) {
        super("amqp-publisher", reader, 1000, Duration.ofSeconds(30));
        this.uri = uri;
        this.exchange = exchange;
    }

    public AmqpReadingPublisher start() {
        startThread();
        return this;
    }

    public long published() {
        return published.get();
    }

    @Override
    protected void process(List<JournalEntry> batch) throws Exception {
        Channel ch = channel();
        long n = 0;
        for (JournalEntry e : batch) {
            n += publish(ch, e);
        }
        ch.waitForConfirmsOrDie(10_000);
        published.addAndGet(n);
    }

    private int publish(Channel ch, JournalEntry e) throws Exception {
        ReceivedFrame f;
        try {
            f = ReceivedFrame.decode(e.payload());
        } catch (IllegalArgumentException bad) {
            return 0;
        }
        if (!f.valid()) {
            return 0;
        }
        Packet p = f.packet();
        if (p.cp().values().isEmpty()) {
            return 0;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("mn", p.mn());
        message.put("cn", p.cn());
        message.put("st", p.st());
        message.put("qn", p.qn());
        LocalDateTime dt = p.cp().dataTimeValue();
        message.put("dataTime", dt == null ? null : dt.atOffset(CHINA).toString());
        message.put("receivedAt", Instant.ofEpochMilli(f.receivedAtMillis()).atOffset(CHINA).toString());
        message.put("version", p.version().label());
        message.put("values", p.cp().values());
        message.put("journalPosition", e.position());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").contentEncoding("UTF-8").deliveryMode(2)
                .messageId(p.mn() + ":" + p.cn() + ":" + p.cp().dataTime() + ":" + e.position())
                .build();
        ch.basicPublish(exchange, p.mn() + "." + p.cn(), props, json.writeValueAsBytes(message));
        return 1;
    }

    private Channel channel() throws Exception {
        if (channel == null || !channel.isOpen()) {
            reset();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            connection = factory.newConnection("powerwatch-publisher");
            channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "topic", true);
            channel.confirmSelect();
        }
        return channel;
    }

    @Override
    protected void reset() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (Exception ignored) {
            // already gone
        }
        connection = null;
        channel = null;
    }
}
