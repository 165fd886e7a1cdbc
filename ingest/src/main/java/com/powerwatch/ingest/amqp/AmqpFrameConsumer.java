package com.powerwatch.ingest.amqp;

import com.powerwatch.hj212.DecodeResult;
import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.hj212.FrameDecoder;
import com.powerwatch.hj212.FrameEncoder;
import com.powerwatch.ingest.frame.ClockQuarantine;
import com.powerwatch.ingest.gateway.FrameSink;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes HJ 212 frames from a RabbitMQ queue (AMQP 0-9-1) into the same journal as the TCP gateway.
 * A message is acknowledged only after everything decoded from it is durable in the journal; when the
 * journal refuses, the message is returned to the queue. The body is one or more frames; a body
 * without {@code ##} that holds {@code CP=&&} is taken as a bare data segment (some cloud platforms
 * strip the framing) and framed here.
 */
public final class AmqpFrameConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpFrameConsumer.class);

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final FrameSink sink;
    private final DecoderOptions options;
    private final ClockQuarantine quarantine;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong requeued = new AtomicLong();

    public AmqpFrameConsumer(String uri, String queue, int prefetch, FrameSink sink, DecoderOptions options,
                             ClockQuarantine quarantine) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setAutomaticRecoveryEnabled(true);
        this.connection = factory.newConnection("powerwatch-ingest");
        this.channel = connection.createChannel();
        this.queue = queue;
        this.sink = sink;
        this.options = options;
        this.quarantine = quarantine;
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, "powerwatch-ingest", new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                take(envelope.getDeliveryTag(), body);
            }
        });
        log.info("consuming HJ 212 frames from AMQP queue {}", queue);
    }

    private void take(long deliveryTag, byte[] body) {
        messages.incrementAndGet();
        journal(body, sink, options, quarantine, "amqp", "amqp:" + queue).whenComplete((ok, error) -> {
            try {
                synchronized (channel) { // channels are not thread-safe; acks come from the journal's thread
                    if (error == null) {
                        channel.basicAck(deliveryTag, false);
                    } else {
                        requeued.incrementAndGet();
                        channel.basicNack(deliveryTag, false, true);
                    }
                }
            } catch (IOException e) {
                log.warn("cannot settle AMQP delivery {}: {} (it will be redelivered)", deliveryTag, e.toString());
            }
        });
    }

    /**
     * Appends everything decoded from one message body to the journal; completes when all of it is
     * durable, so the caller can settle the message (a quarantined frame too: it is kept). Shared by the AMQP
     * 0-9-1 and 1.0 consumers.
     */
    static CompletableFuture<Void> journal(byte[] body, FrameSink sink, DecoderOptions options, ClockQuarantine quarantine,
                                           String channel, String peer) {
        long now = System.currentTimeMillis();
        List<CompletableFuture<Long>> appends = new ArrayList<>(1);
        for (DecodeResult r : FrameDecoder.decodeAll(framed(body), options)) {
            appends.add(sink.append(quarantine.receive(r, now, channel, peer)));
        }
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
    }

    static byte[] framed(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf("##") < 0 && text.contains("CP=&&")) {
            return FrameEncoder.encode(text.strip());
        }
        return body;
    }

    public long messages() {
        return messages.get();
    }

    public long requeued() {
        return requeued.get();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
