package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.DecoderOptions;
import com.powerwatch.ingest.amqp.Amqp10FrameConsumer;
import com.powerwatch.ingest.amqp.AmqpFrameConsumer;
import com.powerwatch.ingest.gateway.DeviceAdmission;
import com.powerwatch.platform.device.DeviceCredentials;
import com.powerwatch.ingest.amqp.AmqpReadingPublisher;
import com.powerwatch.ingest.frame.ClockQuarantine;
import com.powerwatch.ingest.journal.Journal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * AMQP in and out, each off unless configured: {@code powerwatch.amqp.input-queue} consumes HJ 212
 * frames into the journal over AMQP 0-9-1, {@code powerwatch.amqp10.source} over AMQP 1.0;
 * {@code powerwatch.amqp.output-exchange} publishes normalized readings.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "powerwatch.amqp.input-queue")
    public AmqpFrameConsumer amqpFrameConsumer(@Value("${powerwatch.amqp.uri}") String uri,
                                               @Value("${powerwatch.amqp.input-queue}") String queue,
                                               @Value("${powerwatch.amqp.prefetch:500}") int prefetch,
                                               Journal journal, DeviceCredentials credentials, ClockQuarantine quarantine)
            throws Exception {
        return new AmqpFrameConsumer(uri, queue, prefetch, DeviceAdmission.authenticating(f -> journal.append(f.encode()), credentials),
                DecoderOptions.defaults(), quarantine);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "powerwatch.amqp10.source")
    public Amqp10FrameConsumer amqp10FrameConsumer(@Value("${powerwatch.amqp10.uri}") String uri,
                                                   @Value("${powerwatch.amqp10.username:}") String username,
                                                   @Value("${powerwatch.amqp10.password:}") String password,
                                                   @Value("${powerwatch.amqp10.source}") String source,
                                                   Journal journal, DeviceCredentials credentials, ClockQuarantine quarantine)
            throws Exception {
        return new Amqp10FrameConsumer(uri, username.isEmpty() ? null : username, password.isEmpty() ? null : password,
                source, DeviceAdmission.authenticating(f -> journal.append(f.encode()), credentials), DecoderOptions.defaults(),
                quarantine);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "powerwatch.amqp.output-exchange")
    public AmqpReadingPublisher amqpReadingPublisher(@Value("${powerwatch.amqp.uri}") String uri,
                                                     @Value("${powerwatch.amqp.output-exchange}") String exchange,
                                                     Journal journal) {
        return new AmqpReadingPublisher(uri, exchange, journal.reader("amqp-publisher")).start();
    }
}
