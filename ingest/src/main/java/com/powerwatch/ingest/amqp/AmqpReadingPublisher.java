package com.powerwatch.ingest.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.hj212.Packet;
import com.powerwatch.ingest.frame.ReceivedFrame;
import com.powerwatch.ingest.journal.JournalEntry;
import com.powerwatch.ingest.journal.JournalReader;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Journal consumer that publishes normalized readings as JSON to a topic exchange, routing key
 * {@code <MN>.<CN>}, for other bureau systems. Publisher confirms: the journal offset moves only after
 * the broker has confirmed the batch, so a broker outage delays, never loses (consumers dedupe on
 * mn + cn + dataTime, which the message carries).
 */
public final class AmqpReadingPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpReadingPublisher.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final String uri;
    private final String exchange;
    private final JournalReader reader;
    private final ObjectMapper json = new ObjectMapper();
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicLong published = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private Connection connection;
    private Channel channel;

    public AmqpReadingPublisher(String uri, String exchange, JournalReader reader) {
        this.uri = uri;
        this.exchange = exchange;
        this.reader = reader;
        this.thread = new Thread(this::run, "amqp-publisher");
        this.thread.setDaemon(true);
    }

    public AmqpReadingPublisher start() {
        thread.start();
        return this;
    }

    public long published() {
        return published.get();
    }

    public String lastError() {
        return lastError.get();
    }

    public long lag() {
        return reader.lag();
    }

    private void run() {
        long backoff = 200;
        List<JournalEntry> pending = null;
        while (running) {
            try {
                if (pending == null) {
                    pending = reader.poll(1000, Duration.ofMillis(200));
                    if (pending.isEmpty()) {
                        pending = null;
                        continue;
                    }
                }
                Channel ch = channel();
                long n = 0;
                for (JournalEntry e : pending) {
                    n += publish(ch, e);
                }
                ch.waitForConfirmsOrDie(10_000);
                reader.commit(pending.get(pending.size() - 1).position());
                published.addAndGet(n);
                pending = null;
                backoff = 200;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                lastError.set(e.toString());
                log.warn("AMQP publish failed ({}); retrying the batch", e.toString());
                closeQuietly();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        }
        closeQuietly();
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
            closeQuietly();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            connection = factory.newConnection("powerwatch-publisher");
            channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "topic", true);
            channel.confirmSelect();
        }
        return channel;
    }

    private void closeQuietly() {
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
