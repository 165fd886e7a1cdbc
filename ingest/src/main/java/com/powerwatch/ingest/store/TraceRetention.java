package com.powerwatch.ingest.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the raw-message trace for its retention period and no longer: whole daily partitions of
 * {@code raw_frame} older than the period are dropped (cheap, no vacuum), and old rows that landed in
 * the default partition are deleted.
 */
public final class TraceRetention {

    private static final Logger log = LoggerFactory.getLogger(TraceRetention.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final DataSource dataSource;

    public TraceRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Drops trace partitions whose whole day is before {@code keepFrom}; returns the partitions dropped. */
    public List<String> dropBefore(LocalDate keepFrom) throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> partitions = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select child.relname from pg_inherits "
                         + "join pg_class parent on parent.oid = pg_inherits.inhparent "
                         + "join pg_class child on child.oid = pg_inherits.inhrelid where parent.relname = 'raw_frame'")) {
                while (rs.next()) {
                    partitions.add(rs.getString(1));
                }
            }
            for (String name : partitions) {
                LocalDate day = dayOf(name);
                if (day != null && day.isBefore(keepFrom)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE " + name);
                    }
                    dropped.add(name);
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM raw_frame_default WHERE received_at < ?")) {
                p.setObject(1, OffsetDateTime.of(keepFrom.atStartOfDay(), CHINA));
                p.executeUpdate();
            }
        }
        if (!dropped.isEmpty()) {
            log.info("raw-message trace retention dropped {}", dropped);
        }
        return dropped;
    }

    /** raw_frame_20261123 → 2026-11-23; null for anything else (the default partition). */
    static LocalDate dayOf(String partition) {
        String prefix = "raw_frame_";
        if (!partition.startsWith(prefix) || partition.length() != prefix.length() + 8) {
            return null;
        }
        String d = partition.substring(prefix.length());
        try {
            return LocalDate.parse(d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
