package com.powerwatch.ingest.store;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceRetentionTest {

    @Test
    void dropsWholeDaysBeforeTheRetentionAndNothingElse(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).start();
             HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
            ds.setUsername("postgres");
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String day : List.of("2026-10-01", "2026-10-31", "2026-11-01", "2026-11-23")) {
                    String name = "raw_frame_" + day.replace("-", "");
                    s.execute("create table " + name + " partition of raw_frame for values from ('" + day
                            + " 00:00:00+08') to ('" + LocalDate.parse(day).plusDays(1) + " 00:00:00+08')");
                    s.execute("insert into raw_frame values (" + day.hashCode() + ", '" + day
                            + " 12:00:00+08', 'tcp', null, 'MN', '2011', null, 'VALID', null, '\\x00')");
                }
                s.execute("insert into raw_frame values (1, '2025-01-01 12:00:00+08', 'tcp', null, 'MN', '2011', null, 'VALID', null, '\\x00')");
            }
            List<String> dropped = new TraceRetention(ds).dropBefore(LocalDate.parse("2026-11-01"));
            assertEquals(List.of("raw_frame_20261001", "raw_frame_20261031"), dropped.stream().sorted().toList());
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from raw_frame")) {
                rs.next();
                assertEquals(2, rs.getLong(1), "the two kept days remain; the old default-partition row is gone");
            }
        }
        assertNull(TraceRetention.dayOf("raw_frame_default"));
    }
}
