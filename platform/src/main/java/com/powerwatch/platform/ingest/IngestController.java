package com.powerwatch.platform.ingest;

import com.powerwatch.ingest.gateway.GatewayStats;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.ingest.journal.JournalMetrics;
import com.powerwatch.ingest.store.JdbcJournalConsumer;
import com.powerwatch.ingest.store.StoreWriter;
import com.powerwatch.ingest.gateway.DeviceSession;
import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.device.DeviceAccessProperties;
import com.powerwatch.platform.audit.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations view of ingestion ({@code GET /api/ingest/stats}), the devices heard ({@code GET /api/ingest/devices})
 * and the raw-message trace ({@code GET /api/ingest/raw-frames}, access passwords masked).
 */
@RestController
@RequestMapping("/api/ingest")
public class IngestController {

    private final TcpGateway gateway;
    private final Journal journal;
    private final StoreWriter storeWriter;
    private final JdbcTemplate jdbc;
    private final DeviceAccessProperties devices;
    private final AuditLog audit;
    private final org.springframework.beans.factory.ObjectProvider<JournalConsumer> consumers;

    public IngestController(TcpGateway gateway, Journal journal, StoreWriter storeWriter, JdbcTemplate jdbc,
                            DeviceAccessProperties devices, AuditLog audit,
                            org.springframework.beans.factory.ObjectProvider<JournalConsumer> consumers) {
        this.audit = audit;
        this.consumers = consumers;
        this.gateway = gateway;
        this.journal = journal;
        this.storeWriter = storeWriter;
        this.jdbc = jdbc;
        this.devices = devices;
    }

    /** Frames received and rejected by reason, connections, journal size and lag per consumer, store writer state. */
    @GetMapping("/stats")
    public Map<String, Object> stats() {
        GatewayStats g = gateway.stats();
        JournalMetrics j = journal.metrics();
        StoreWriter.Stats s = storeWriter.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gateway", g);
        out.put("journal", j);
        out.put("store", s);
        // every journal consumer's progress and where its time goes (issue 15's cost breakdown), and the CPU of the
        // JVM's threads by kind (gateway event loops, journal writer, consumers, GC …)
        Map<String, Object> byConsumer = new LinkedHashMap<>();
        consumers.orderedStream().forEach(c -> byConsumer.put(c.name(), Map.of("state", c.state(), "lag", c.lag(),
                "committedPosition", c.committedPosition(), "costs", c.costs(),
                "postgresBackendPid", c instanceof JdbcJournalConsumer jdbcConsumer ? jdbcConsumer.backendPid() : 0)));
        out.put("consumers", byConsumer);
        out.put("threadCpuMillis", ThreadCpu.byKind());
        return out;
    }

    /**
     * Data loggers heard since start (offline registered ones until {@code powerwatch.devices.session-eviction}, unregistered
     * MNs while their connection lasts), one page at a time: {@code {items, total, page, size}}, offline first, then by
     * MN. Each item: online, peer, connected-at and last-seen times, frames, protocol version, whether the MN is
     * registered (a data_logger row) and how its latest frame was admitted ({@code VERIFIED} password, {@code
     * ADDRESS_ALLOWED}, {@code WARNED}, {@code UNREGISTERED}). Frames of unregistered MNs are stored like any other; this
     * flag and the unregistered_mn table are how an operator finds them.
     *
     * @param q     part of the MN (any case)
     * @param state {@code all}, {@code online}, {@code offline} or {@code unregistered}
     * @param page  0-based
     * @param size  1 to {@code powerwatch.devices.devices-page-max-size} (500)
     */
    @GetMapping("/devices")
    public Map<String, Object> devices(@RequestParam(required = false) String q,
                                       @RequestParam(defaultValue = "all") String state,
                                       @RequestParam(defaultValue = "0") int page,
                                       @RequestParam(defaultValue = "50") int size) {
        int max = devices.devicesPageMaxSize();
        if (size < 1 || size > max) {
            throw ApiException.badRequest("size", "每页条数 size 须为 1–" + max);
        }
        if (page < 0) {
            throw ApiException.badRequest("page", "页码 page 不能小于 0");
        }
        // registration as the registry says now (a logger imported a moment ago counts), for the MNs heard
        java.util.Set<String> registered = new java.util.HashSet<>(jdbc.queryForList("select mn from data_logger where mn = any(?)",
                String.class, (Object) gateway.sessions().stream().map(DeviceSession::mn).toArray(String[]::new)));
        java.util.function.Predicate<DeviceSession> shown = switch (state) {
            case "all" -> d -> true;
            case "online" -> DeviceSession::online;
            case "offline" -> d -> !d.online();
            case "unregistered" -> d -> !registered.contains(d.mn());
            default -> throw ApiException.badRequest("state", "state 须为 all（全部）、online（在线）、offline（离线）或 unregistered（未登记）之一");
        };
        String part = q == null ? "" : q.trim().toUpperCase(java.util.Locale.ROOT);
        List<DeviceSession> matching = gateway.sessions().stream()
                .filter(d -> part.isEmpty() || d.mn().toUpperCase(java.util.Locale.ROOT).contains(part))
                .filter(shown)
                .sorted(java.util.Comparator.comparing(DeviceSession::online).thenComparing(DeviceSession::mn))
                .toList();
        List<Map<String, Object>> items = matching.stream().skip((long) page * size).limit(size).map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mn", d.mn());
            row.put("online", d.online());
            row.put("peer", d.peer());
            row.put("connectedAt", java.time.Instant.ofEpochMilli(d.connectedAtMillis()));
            row.put("lastSeenAt", java.time.Instant.ofEpochMilli(d.lastSeenMillis()));
            row.put("frames", d.frames());
            row.put("registered", registered.contains(d.mn()));
            row.put("admission", d.admission());
            row.put("version", d.target() == null ? null : com.powerwatch.hj212.Hj212Version.ofBits(d.target().versionBits()).label());
            return row;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("total", matching.size());
        out.put("page", page);
        out.put("size", size);
        return out;
    }

    /**
     * Raw frames of one MN (or all) in a time range, newest first, paged by keyset: pass the last row's
     * {@code receivedAt} and {@code journalPos} as {@code before}/{@code beforePos} for the next page.
     */
    @GetMapping("/raw-frames")
    public Map<String, Object> rawFrames(@RequestParam(required = false) String mn,
                                         @RequestParam OffsetDateTime from,
                                         @RequestParam OffsetDateTime to,
                                         @RequestParam(required = false) String verdict,
                                         @RequestParam(required = false) OffsetDateTime before,
                                         @RequestParam(required = false) Long beforePos,
                                         @RequestParam(defaultValue = "100") int size) {
        if (size < 1 || size > 1000) {
            throw ApiException.badRequest("size", "每页条数 size 须为 1–1000");
        }
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "开始时间 from 须早于结束时间 to");
        }
        StringBuilder sql = new StringBuilder("SELECT journal_pos, received_at, channel, peer, mn, cn, qn, verdict, reason, raw "
                + "FROM raw_frame WHERE received_at >= ? AND received_at < ?");
        List<Object> args = new java.util.ArrayList<>(List.of(from, to));
        if (mn != null) {
            sql.append(" AND mn = ?");
            args.add(mn);
        }
        if (verdict != null) {
            sql.append(" AND verdict = ?");
            args.add(verdict);
        }
        if (before != null && beforePos != null) {
            sql.append(" AND (received_at, journal_pos) < (?, ?)");
            args.add(before);
            args.add(beforePos);
        }
        sql.append(" ORDER BY received_at DESC, journal_pos DESC LIMIT ?");
        args.add(size);
        List<Map<String, Object>> rows = jdbc.query(sql.toString(), (rs, i) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("journalPos", rs.getLong("journal_pos"));
            row.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class));
            row.put("channel", rs.getString("channel"));
            row.put("peer", rs.getString("peer"));
            row.put("mn", rs.getString("mn"));
            row.put("cn", rs.getString("cn"));
            row.put("qn", rs.getString("qn"));
            row.put("verdict", rs.getString("verdict"));
            row.put("reason", rs.getString("reason"));
            row.put("raw", PasswordMask.apply(new String(rs.getBytes("raw"), StandardCharsets.UTF_8)));
            return row;
        }, args.toArray());
        audit.recordExport("raw-frames", rows.size(), Map.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frames", rows);
        out.put("size", rows.size());
        return out;
    }
}
