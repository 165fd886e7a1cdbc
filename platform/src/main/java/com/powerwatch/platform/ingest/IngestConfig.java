package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.gateway.GatewayConfig;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConfig;
import com.powerwatch.ingest.store.StoreWriter;
import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;

/**
 * The ingestion pipeline: journal first, then the gateway that appends to it — both work without the database — then
 * the consumers. The store writer starts once the schema is migrated (a {@link DatabaseStartStep}), so its tables
 * exist; until then the journal keeps what the gateway acknowledges.
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
                .writeRetryMaxBackoff(j.writeRetryMaxBackoff())
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
