package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.gateway.GatewayConfig;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.powerwatch.ingest.store.StoreWriter;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;

/**
 * The ingestion pipeline: journal first, then the gateway that appends to it, then the consumers.
 * The store writer waits for Flyway so its tables exist.
 */
@Configuration(proxyBeanMethods = false)
public class IngestConfig {

    public static final String STORE_CONSUMER = "store-writer";

    @Bean(destroyMethod = "close")
    public Journal journal(IngestProperties props) throws IOException {
        IngestProperties.JournalSettings j = props.journal();
        return Journal.open(props.dataDir().resolve("journal"), JournalConfig.builder()
                .segmentBytes(j.segmentBytes().toBytes())
                .retentionMaxAge(j.retentionMaxAge())
                .retentionMaxBytes(j.retentionMaxBytes().toBytes())
                .build());
    }

    @Bean(destroyMethod = "close")
    public TcpGateway tcpGateway(IngestProperties props, Journal journal) throws InterruptedException {
        IngestProperties.Gateway g = props.gateway();
        GatewayConfig config = GatewayConfig.defaults()
                .withPort(g.port())
                .withBindAddress(g.bindAddress())
                .withIdleTimeout(g.idleTimeout())
                .withGarbageBudget(g.garbageBudgetBytes().toBytes());
        return new TcpGateway(config, frame -> journal.append(frame.encode()), Clock.systemUTC()).start();
    }

    @Bean(destroyMethod = "close")
    public StoreWriter storeWriter(DataSource dataSource, Journal journal, IngestProperties props,
                                   FlywayMigrationInitializer migrations) {
        // the initializer migrates when it is created, so taking it here means the tables exist before
        // the writer's first batch (the Flyway bean alone does not guarantee that)
        return new StoreWriter(dataSource, journal.reader(STORE_CONSUMER), props.store().batchSize(),
                props.store().maxBackoff()).start();
    }
}
