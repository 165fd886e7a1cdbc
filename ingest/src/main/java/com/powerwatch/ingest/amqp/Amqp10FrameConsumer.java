package com.powerwatch.ingest.amqp;

import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.ingest.frame.ClockQuarantine;
import com.powerwatch.ingest.gateway.FrameSink;
import com.powerwatch.ingest.journal.RefusedAppendsLog;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes HJ 212 frames from an AMQP 1.0 source (Qpid JMS) — the protocol cloud IoT platforms use for
 * server-side subscriptions — into the journal. Each message is acknowledged only after everything
 * decoded from it is durable; if the journal refuses, the session recovers and the message comes again.
 * The listener waits for the journal (a few milliseconds of group commit) so acknowledgements stay on
 * the session's own thread.
 */
public final class Amqp10FrameConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Amqp10FrameConsumer.class);

    private final Connection connection;
    private final Session session;
    private final String source;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final RefusedAppendsLog appendRefusals;

    /**
     * @param uri      e.g. {@code amqp://host:5672} or {@code amqps://…} with Qpid JMS URI options
     * @param source   the address to consume from, as the broker names it
     */
    public Amqp10FrameConsumer(String uri, String username, String password, String source, FrameSink sink,
                               DecoderOptions options, ClockQuarantine quarantine) throws JMSException {
        JmsConnectionFactory factory = new JmsConnectionFactory(username, password, uri);
        this.connection = factory.createConnection();
        this.session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        this.source = source;
        this.appendRefusals = new RefusedAppendsLog(log, "AMQP 1.0 source " + source);
        MessageConsumer consumer = session.createConsumer(session.createQueue(source));
        consumer.setMessageListener(message -> take(message, sink, options, quarantine));
        connection.start();
        log.info("consuming HJ 212 frames from AMQP 1.0 source {}", source);
    }

    private void take(Message message, FrameSink sink, DecoderOptions options, ClockQuarantine quarantine) {
        messages.incrementAndGet();
        try {
            try {
                AmqpFrameConsumer.journal(body(message), sink, options, quarantine, "amqp1.0", "amqp1.0:" + source)
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                appendRefusals.refused(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
                throw e;
            }
            appendRefusals.accepted();
            message.acknowledge();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            redelivered.incrementAndGet();
            if (!appendRefusals.refusing()) { // refusals are logged once a minute (a full disk refuses every message)
                log.warn("AMQP 1.0 message not journaled ({}); it will be delivered again", e.toString());
            }
            try {
                session.recover();
            } catch (JMSException ignored) {
                // the connection is failing; unacknowledged messages return to the broker anyway
            }
        }
    }

    private static byte[] body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        return message.getBody(byte[].class);
    }

    public long messages() {
        return messages.get();
    }

    public long redelivered() {
        return redelivered.get();
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
