package com.powerwatch.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL never serves another instance's database: a configured port that another server holds is
 * refused with the reason, and by default (port 0) a free port is chosen, logged and written to the data directory.
 * Real PostgreSQL servers on real loopback ports.
 */
class EmbeddedPostgresPortTest {

    @Test
    void aPortHeldByAnotherServerIsRefusedWithTheReason(@TempDir Path other, @TempDir Path ours) throws Exception {
        try (EmbeddedPostgres intruder = EmbeddedPostgres.builder().setDataDirectory(other).start()) {
            int port = intruder.getPort();
            Exception e = assertThrows(Exception.class, () -> {
                EmbeddedPostgres started = new EmbeddedPostgresConfig().embeddedPostgres(ours, port);
                // before the fix the platform got here and used the intruder's database
                try (started) {
                    System.err.println("connected to data directory " + dataDirectory(started));
                }
            });
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void byDefaultAFreePortIsChosenAndWrittenToTheDataDirectory(@TempDir Path ours) throws Exception {
        try (EmbeddedPostgres pg = new EmbeddedPostgresConfig().embeddedPostgres(ours, 0)) {
            assertEquals(Integer.toString(pg.getPort()), Files.readString(ours.resolve("postgres.port")).trim());
            assertEquals(ours.resolve("postgres").toRealPath().toString(), dataDirectory(pg));
        }
    }

    private static String dataDirectory(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
