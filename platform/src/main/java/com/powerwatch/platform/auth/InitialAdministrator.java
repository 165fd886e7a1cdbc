package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * On a start with no city administrator (a new installation) creates {@code admin} with a password that must be
 * changed at the first login: {@code powerwatch.security.initial-admin-password} when set (automated deployments),
 * else a random one that is logged once and written to {@code <data-dir>/initial-admin-password.txt} (owner-only).
 * Later starts find the administrator and do nothing. Runs once the database is there (a start step, see
 * {@link SecurityConfig}).
 */
@Component
public class InitialAdministrator {

    private static final Logger log = LoggerFactory.getLogger(InitialAdministrator.class);
    static final String USERNAME = "admin";
    static final String FILE = "initial-admin-password.txt";

    private final JdbcTemplate jdbc;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy;
    private final AuthProperties properties;
    private final AuditLog audit;
    private final Path dataDir;

    public InitialAdministrator(JdbcTemplate jdbc, PasswordEncoder encoder, PasswordPolicy policy, AuthProperties properties,
                                AuditLog audit, @Value("${powerwatch.data-dir}") Path dataDir) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.policy = policy;
        this.properties = properties;
        this.audit = audit;
        this.dataDir = dataDir;
    }

    /** Creates the first administrator when there is none; returns whether it did. */
    public boolean ensure() throws IOException {
        if (Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from app_user where role = 'CITY_ADMIN')", Boolean.class))) {
            return false;
        }
        String configured = properties.initialAdminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? policy.temporaryPassword() : configured;
        if (!generated) {
            try {
                policy.check("powerwatch.security.initial-admin-password", USERNAME, password, null);
            } catch (ApiException e) {
                throw new IllegalStateException("powerwatch.security.initial-admin-password: " + e.getMessage());
            }
        }
        // "on conflict do nothing": a second node starting at the same moment loses quietly
        Long id = jdbc.query("""
                        insert into app_user (username, display_name, role, password_hash, must_change_password, password_changed_at)
                        values (?, '系统管理员', 'CITY_ADMIN', ?, true, now())
                        on conflict do nothing returning id""",
                rs -> rs.next() ? rs.getLong(1) : null, USERNAME, encoder.encode(password));
        if (id == null) {
            log.error("No city administrator exists and the username '{}' is taken by a user of another role: "
                    + "give a city administrator role to a user directly in the database (app_user.role)", USERNAME);
            return false;
        }
        audit.record(null, "INITIAL_ADMIN_CREATED", "user:" + id, AuditLog.Outcome.SUCCESS,
                Map.of("username", USERNAME, "passwordSource", generated ? "generated" : "property"));
        if (generated) {
            Path file = writeOwnerOnly(password);
            log.warn("""

                    ================================================================================
                     PowerWatch: first administrator created
                       username: {}
                       password: {}
                     (also written to {} — readable by this account only)
                     Log in and change this password now: it must be changed at the first login.
                     Then delete the file.
                    ================================================================================""",
                    USERNAME, password, file);
        } else {
            log.warn("PowerWatch: first administrator '{}' created with the password from powerwatch.security.initial-admin-password;"
                    + " it must be changed at the first login", USERNAME);
        }
        return true;
    }

    private Path writeOwnerOnly(String password) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE).toAbsolutePath();
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
        Files.writeString(file, "username: " + USERNAME + "\npassword: " + password
                + "\nChange it at the first login, then delete this file.\n", StandardCharsets.UTF_8);
        return file;
    }
}
