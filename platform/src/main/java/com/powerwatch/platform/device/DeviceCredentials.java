package com.powerwatch.platform.device;

import com.powerwatch.ingest.gateway.DeviceAuthenticator;
import com.powerwatch.platform.ingest.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's data-logger passwords and policies in memory, so the gateway judges every frame without a database
 * round trip ({@link DeviceAuthenticator}, called on the event loops). Read from the registry by the DEVICES start
 * step ({@link DeviceAccessConfig}) once the schema is migrated, re-read after every change made through the API and
 * every {@code powerwatch.devices.credential-refresh}. A copy (hashes only) is kept in
 * {@code <data-dir>/device-credentials.tsv} so the gateway still knows who is who when it starts while PostgreSQL is
 * away; with neither, every frame is refused until the registry can be read (nothing is acked that was not judged).
 */
@Component
@EnableScheduling
public class DeviceCredentials implements DeviceAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DeviceCredentials.class);
    static final String FILE = "device-credentials.tsv";

    /** What the registry holds for one MN. */
    record Credential(String hash, AccessPolicy policy, AddressAllowList allowed) {
    }

    private final JdbcTemplate jdbc;
    private final boolean acceptUnregistered;
    private final Path snapshot;
    private volatile Map<String, Credential> byMn;
    private String written;

    /**
     * Reads only the local copy: the registry is read by the DEVICES start step ({@link DeviceAccessConfig}) once the
     * schema is migrated — at construction a new installation has no {@code data_logger} table yet, and a database that
     * is away is the start's business, not a reason for a warning here.
     */
    @Autowired
    public DeviceCredentials(JdbcTemplate jdbc, DeviceAccessProperties props, IngestProperties ingest) {
        this(jdbc, props.acceptUnregistered(), ingest.dataDir().resolve(FILE));
        if (byMn == null) {
            log.info("no local copy of data-logger passwords ({}): frames are refused until the registry is read", snapshot);
        }
    }

    private DeviceCredentials(JdbcTemplate jdbc, boolean acceptUnregistered, Path snapshot) {
        this.jdbc = jdbc;
        this.acceptUnregistered = acceptUnregistered;
        this.snapshot = snapshot;
        this.byMn = read(snapshot);
    }

    /** Judging from the file alone (what a start without the database has). */
    public static DeviceCredentials fromSnapshot(Path file) {
        return new DeviceCredentials(null, true, file);
    }

    @Override
    public Verdict check(String mn, String password, InetAddress address) {
        Map<String, Credential> all = byMn;
        if (all == null) {
            return Verdict.rejected("设备凭据尚未加载（数据库暂不可用，也没有本地副本），暂不接收");
        }
        Credential c = all.get(mn);
        if (c == null) {
            return acceptUnregistered ? Verdict.UNREGISTERED : Verdict.rejected("MN 未登记，按配置拒收");
        }
        if (DevicePassword.matches(password, c.hash())) {
            return Verdict.VERIFIED;
        }
        String why = c.hash() == null ? "未设置访问密码" : password == null || password.isEmpty() ? "报文没有访问密码（PW）" : "访问密码错误";
        return switch (c.policy()) {
            case WARN -> new Verdict(Outcome.WARNED, why + "，按策略告警放行");
            case ALLOWLIST -> c.allowed().contains(address)
                    ? new Verdict(Outcome.ADDRESS_ALLOWED, why + "，来源地址 " + address.getHostAddress() + " 在白名单内，放行")
                    : Verdict.rejected(why + "，来源地址 " + (address == null ? "未知（经消息队列）" : address.getHostAddress()) + " 不在白名单内");
            case REJECT -> Verdict.rejected(why);
        };
    }

    @Scheduled(fixedDelayString = "${powerwatch.devices.credential-refresh}", initialDelayString = "${powerwatch.devices.credential-refresh}")
    void refresh() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("cannot refresh data-logger passwords from the registry: {}", e.toString());
        }
    }

    /** Reads every logger's hash and policy from the registry and keeps a copy on disk. */
    public synchronized void reload() {
        Map<String, Credential> loaded = new HashMap<>();
        jdbc.query("select mn, pw_hash, access_policy, allowed_addresses from data_logger", rs -> {
            java.sql.Array a = rs.getArray(4);
            List<String> addresses = a == null ? List.of() : Arrays.asList((String[]) a.getArray());
            loaded.put(rs.getString(1), new Credential(rs.getString(2), AccessPolicy.valueOf(rs.getString(3)),
                    AddressAllowList.stored(addresses)));
        });
        byMn = loaded;
        write(loaded);
    }

    /** Reloads once the current transaction has committed (at once outside a transaction). */
    public void reloadAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            reload();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                refresh();
            }
        });
    }

    private synchronized void write(Map<String, Credential> all) {
        StringBuilder text = new StringBuilder(64 + all.size() * 96).append("""
                # PowerWatch: the data loggers' password hashes (never the passwords) and access policies, as the registry
                # last said; read when the platform starts without its database (docs/ingest.md). mn, hash, policy, addresses
                """);
        all.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> text.append(e.getKey()).append('\t')
                .append(e.getValue().hash() == null ? "-" : e.getValue().hash()).append('\t')
                .append(e.getValue().policy()).append('\t').append(String.join(",", e.getValue().allowed().texts())).append('\n'));
        String content = text.toString();
        if (content.equals(written)) {
            return;
        }
        try {
            Path tmp = snapshot.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING);
            }
            written = content;
        } catch (IOException e) {
            log.warn("cannot keep the copy of data-logger passwords in {}: {}", snapshot, e.toString());
        }
    }

    private static Map<String, Credential> read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, Credential> out = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.put(f[0], new Credential(f[1].equals("-") ? null : f[1], AccessPolicy.valueOf(f[2]),
                        AddressAllowList.stored(f[3].isEmpty() ? List.of() : List.of(f[3].split(",")))));
            }
            log.info("data-logger passwords of {} loggers read from {}", out.size(), file);
            return out;
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring the unreadable copy of data-logger passwords {}: {}", file, e.toString());
            return null;
        }
    }
}
