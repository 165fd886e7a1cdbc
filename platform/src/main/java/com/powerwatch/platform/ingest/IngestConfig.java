package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.gateway.DeviceAdmission;
import com.powerwatch.ingest.frame.ClockQuarantine;
import com.powerwatch.ingest.frame.DecodedFrames;
import com.powerwatch.ingest.gateway.ConnectionLimits;
import com.powerwatch.ingest.gateway.GatewayConfig;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.powerwatch.ingest.store.StoreWriter;
import com.powerwatch.platform.device.DeviceAccessProperties;
import com.powerwatch.platform.device.DeviceCredentials;
import com.sun.management.UnixOperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The ingestion pipeline: journal first, then the gateway that appends to it — both work without the database — then
 * the consumers. The store writer starts once the schema is migrated (a {@link DatabaseStartStep}), so its tables
 * exist; until then the journal keeps what the gateway acknowledges.
 */
@Configuration(proxyBeanMethods = false)
public class IngestConfig {

    private static final Logger log = LoggerFactory.getLogger(IngestConfig.class);

    public static final String STORE_CONSUMER = "store-writer";

    @Bean(destroyMethod = "close")
    public Journal journal(IngestProperties props) throws IOException {
        IngestProperties.JournalSettings j = props.journal();
        return Journal.open(props.dataDir().resolve("journal"), JournalConfig.builder()
                .segmentBytes(j.segmentBytes().toBytes())
                .retentionMaxAge(j.retentionMaxAge())
                .retentionMaxBytes(j.retentionMaxBytes().toBytes())
                .writeRetryMaxBackoff(j.writeRetryMaxBackoff())
                .build());
    }

    /**
     * One quarantine for every entry point (TCP, AMQP). Its tolerance must stay below the shortest offline limit
     * ({@link ClockQuarantine#MAX_TOLERANCE}); a start with more stops, naming the setting.
     */
    @Bean
    public ClockQuarantine clockQuarantine(IngestProperties props) {
        Duration tolerance = props.quarantine().futureTolerance();
        try {
            return new ClockQuarantine(tolerance);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("powerwatch.quarantine.future-tolerance: " + e.getMessage(), e);
        }
    }

    @Bean(destroyMethod = "close")
    public TcpGateway tcpGateway(IngestProperties props, Journal journal, DeviceCredentials credentials,
                                 DeviceAccessProperties devices, ClockQuarantine quarantine) throws InterruptedException {
        IngestProperties.Gateway g = props.gateway();
        GatewayConfig config = GatewayConfig.defaults().with(b -> b
                .port(g.port())
                .bindAddress(g.bindAddress())
                .idleTimeout(g.idleTimeout())
                .garbageBudget(g.garbageBudgetBytes().toBytes())
                .limits(new ConnectionLimits(g.maxConnections(), g.maxConnectionsPerAddress(),
                        addresses(g.connectionCapExempt())))
                .frameDeadline(g.frameDeadline())
                .clockQuarantine(quarantine));
        warnIfFewerOpenFilesThan(g.maxConnections());
        // every frame's PW is judged against the registry (docs/ingest.md "Device access")
        DeviceAdmission admission = new DeviceAdmission(credentials, devices.maxMnsPerConnection(),
                devices.authFailuresBeforeClose(), devices.sessionEviction());
        // a durable frame is left decoded for the consumers (DecodedFrames): none of them decodes it again
        DecodedFrames decoded = DecodedFrames.of(journal);
        return new TcpGateway(config, frame -> journal.append(frame.encode()).thenApply(position -> {
            decoded.put(position, frame);
            return position;
        }), Clock.systemUTC(), admission).start();
    }

    /** Addresses and CIDR ranges ("127.0.0.0/8", "::1", "10.20.0.0/16"); a malformed one stops the start. */
    static Predicate<InetAddress> addresses(List<String> ranges) {
        List<IpAddressMatcher> matchers = ranges.stream().map(String::strip).filter(r -> !r.isEmpty())
                .map(IpAddressMatcher::new).toList();
        return address -> matchers.stream().anyMatch(m -> m.matches(address.getHostAddress()));
    }

    /** The total cap is only a cap if the process may open that many sockets (and its files besides). */
    private static void warnIfFewerOpenFilesThan(int connections) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
                && os.getMaxFileDescriptorCount() < connections + 1000L) {
            log.warn("powerwatch.gateway.max-connections is {} but this process may open only {} files (ulimit -n): "
                    + "raise the limit or lower the cap", connections, os.getMaxFileDescriptorCount());
        }
    }

    /** Registered as a journal consumer at once (retention keeps what it has not stored); started by the step below. */
    @Bean(destroyMethod = "close")
    public StoreWriter storeWriter(DataSource dataSource, Journal journal, IngestProperties props) {
        return new StoreWriter(dataSource, journal.reader(STORE_CONSUMER), props.store().batchSize(),
                props.store().maxBackoff());
    }

    @Bean
    public DatabaseStartStep storeWriterStart(StoreWriter storeWriter) {
        return new DatabaseStartStep("store writer", DatabaseStartStep.STORE, storeWriter::start);
    }
}
