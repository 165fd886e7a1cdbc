package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.journal.JournalConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health component {@code consumers}: DOWN while a journal consumer (store writer, telemetry, alarm engine, AMQP
 * publisher) keeps failing on a batch — it retries the same batch, so its lag grows — or its thread has ended on an
 * out-of-memory error; each consumer's state, last error and lag in the details. From memory, like the other components.
 */
@Component
public class ConsumersHealthIndicator implements HealthIndicator {

    private final ObjectProvider<JournalConsumer> consumers;

    public ConsumersHealthIndicator(ObjectProvider<JournalConsumer> consumers) {
        this.consumers = consumers;
    }

    @Override
    public Health health() {
        boolean failing = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (JournalConsumer c : consumers.orderedStream().toList()) {
            failing |= c.state().failing();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", c.state());
            one.put("lag", c.lag());
            one.put("failures", c.failures());
            if (c.state().failing() && c.lastError() != null) {
                one.put("lastError", c.lastError());
            }
            details.put(c.name(), one);
        }
        return (failing ? Health.down() : Health.up()).withDetails(details).build();
    }
}
