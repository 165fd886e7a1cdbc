package com.powerwatch.platform.report;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.ingest.journal.JournalConsumer;
import com.powerwatch.platform.analysis.AlarmEngine;
import com.powerwatch.ingest.store.StoreWriter;
import com.powerwatch.platform.telemetry.TelemetryConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes 系统运行异常信息事件 that nothing else keeps: the ingest machinery holds its troubles in counters and states that
 * vanish at a restart, so every {@code powerwatch.report.events-interval} this samples them and records a spell when a
 * journal consumer starts retrying against the database (closed when it runs again, with the failures in between),
 * and an event when the journal refused appends or the gateway could not journal frames since the last sample. A
 * platform start is an event too (a restart nobody planned is an incident). Offline loggers and rejected frames are
 * already recorded (alarms, raw_frame) and are read from there by {@link SystemEventsReport}.
 */
@Component
@EnableScheduling
class SystemEventRecorder {

    private static final Logger log = LoggerFactory.getLogger(SystemEventRecorder.class);

    private final JdbcTemplate jdbc;
    private final Map<String, JournalConsumer> consumers = new LinkedHashMap<>();
    private final ObjectProvider<Journal> journal;
    private final ObjectProvider<TcpGateway> gateway;
    private final Map<String, Long> failuresAtStart = new HashMap<>();
    private long appendsRejected = -1;
    private long journalFailures = -1;
    private final Instant startedAt = Instant.now(); // the start, even when the database only answers later

    SystemEventRecorder(JdbcTemplate jdbc, ObjectProvider<StoreWriter> store, ObjectProvider<TelemetryConsumer> telemetry,
                        ObjectProvider<AlarmEngine> engine, ObjectProvider<Journal> journal, ObjectProvider<TcpGateway> gateway) {
        this.jdbc = jdbc;
        store.ifAvailable(c -> consumers.put("store-writer", c));
        telemetry.ifAvailable(c -> consumers.put("telemetry", c));
        engine.ifAvailable(c -> consumers.put("alarm-engine", c));
        this.journal = journal;
        this.gateway = gateway;
    }

    static final Map<String, String> COMPONENTS = Map.of("store-writer", "存储写入", "telemetry", "实时数据处理",
            "alarm-engine", "报警引擎", "journal", "接收日志", "gateway", "接入网关", "platform", "平台");

    /** A database start step: runs once the database answers (at start, or when it comes back), retried if it fails. */
    void started() {
        // spells left open by a previous run end at its last sample: the platform stopped meanwhile
        jdbc.update("update system_event set ended_at = greatest(started_at, coalesce((detail ->> 'lastSeen')::timestamptz, started_at))"
                + " where ended_at is null and kind = 'CONSUMER_RETRYING'");
        insert("PLATFORM_STARTED", "platform", "INFO", startedAt, null, 1, "平台启动", "{}");
    }

    @Scheduled(fixedDelayString = "${powerwatch.report.events-interval:30s}", initialDelayString = "${powerwatch.report.events-interval:30s}")
    void sample() {
        try {
            sample(Instant.now());
        } catch (RuntimeException e) {
            // the database itself may be what is failing: the consumer's spell is recorded when it returns
            log.debug("system event sample failed: {}", e.toString());
        }
    }

    synchronized void sample(Instant now) {
        for (Map.Entry<String, JournalConsumer> e : consumers.entrySet()) {
            String component = e.getKey();
            JournalConsumer c = e.getValue();
            boolean retrying = c.state() == JournalConsumer.State.RETRYING;
            Long open = jdbc.query("select id from system_event where kind = 'CONSUMER_RETRYING' and component = ? and ended_at is null",
                    (rs, i) -> rs.getLong(1), component).stream().findFirst().orElse(null);
            if (retrying && open == null) {
                failuresAtStart.put(component, c.failures());
                insert("CONSUMER_RETRYING", component, "ERROR", now, null, 1,
                        COMPONENTS.get(component) + "写入数据库失败，正在重试（数据保存在接收日志中，恢复后补写）",
                        "{\"lastError\": " + json(c.lastError()) + ", \"lag\": " + c.lag() + ", \"lastSeen\": \"" + now + "\"}");
            } else if (retrying) {
                jdbc.update("update system_event set count = ?, detail = detail || jsonb_build_object('lag', ?::bigint, 'lastSeen', ?::text,"
                                + " 'lastError', ?::text) where id = ?",
                        Math.max(1, c.failures() - failuresAtStart.getOrDefault(component, c.failures()) + 1), c.lag(), now.toString(),
                        c.lastError(), open);
            } else if (open != null) {
                jdbc.update("update system_event set ended_at = ?, detail = detail || jsonb_build_object('lagAtRecovery', ?::bigint) where id = ?",
                        Timestamp.from(now), c.lag(), open);
            }
        }
        Journal j = journal.getIfAvailable();
        if (j != null) {
            long rejected = j.metrics().appendsRejected();
            if (appendsRejected >= 0 && rejected > appendsRejected) {
                insert("JOURNAL_APPENDS_REJECTED", "journal", "ERROR", now, now, rejected - appendsRejected,
                        "接收日志拒绝写入 " + (rejected - appendsRejected) + " 次（磁盘满或写入积压），设备将重发", "{}");
            }
            appendsRejected = rejected;
        }
        TcpGateway g = gateway.getIfAvailable();
        if (g != null) {
            long failures = g.stats().journalFailures();
            if (journalFailures >= 0 && failures > journalFailures) {
                insert("GATEWAY_JOURNAL_FAILURES", "gateway", "ERROR", now, now, failures - journalFailures,
                        "接入网关有 " + (failures - journalFailures) + " 帧未能写入接收日志（未应答，设备将重发）", "{}");
            }
            journalFailures = failures;
        }
    }

    private void insert(String kind, String component, String severity, Instant start, Instant end, long count, String message,
                        String detail) {
        jdbc.update("insert into system_event (kind, component, severity, started_at, ended_at, count, message, detail)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)", kind, component, severity, Timestamp.from(start),
                end == null ? null : Timestamp.from(end), count, message, detail);
    }

    private static String json(String s) {
        if (s == null) {
            return "null";
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ") + "\"";
    }
}
