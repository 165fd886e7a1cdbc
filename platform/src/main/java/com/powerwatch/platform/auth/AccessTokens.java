package com.powerwatch.platform.auth;

import com.powerwatch.platform.database.DatabaseAvailability;
import com.powerwatch.platform.database.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues, checks and revokes bearer tokens (table {@code auth_token}; only a SHA-256 of a token is stored).
 *
 * <p>A valid lookup is reused for {@code tokenCacheTtl} so an API call does not cost a database round trip;
 * logout, revocation, disabling or changing a user evicts it at once on this node (other nodes follow within the TTL).
 * {@code last_used_at} is written at most once a minute per token, not on every request.
 *
 * <p>While the database does not answer, a token validated on this node within {@code tokenOutageGrace} is accepted
 * from memory (without waiting for the database when it is known to be away), so the people who run the system still
 * see ingestion status and health; any other token is looked up, and when the database does not answer (after at most
 * the pool's connection timeout) the request gets 503. An eviction is never undone by a lookup that was already
 * running: a lookup that started before an eviction is not cached.
 */
@Component
public class AccessTokens {

    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int CACHE_LIMIT = 10_000;

    public enum Kind { SESSION, API }

    /** A token just issued: the only moment its clear text exists on the server. */
    public record Issued(String token, Instant expiresAt) {
    }

    private record Cached(PowerWatchUser user, Instant expiresAt, Instant loadedAt, Instant touchedAt) {
    }

    private final JdbcTemplate jdbc;
    private final AuthProperties properties;
    private final DatabaseAvailability database;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Counts evictions, so a lookup that overlapped one does not put back what was evicted. */
    private final AtomicLong evictions = new AtomicLong();

    public AccessTokens(JdbcTemplate jdbc, AuthProperties properties, DatabaseAvailability database) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.database = database;
    }

    /** A login session: expires after {@code sessionLifetime}, or earlier when idle for {@code sessionIdleTimeout}. */
    public Issued issueSession(long userId) {
        Instant expires = clock.instant().plus(properties.sessionLifetime());
        return issue(userId, Kind.SESSION, null, expires);
    }

    /** An API client's token: valid until revoked (or until {@code expiresAt} when not null). */
    public Issued issueApiToken(long userId, String name, Instant expiresAt) {
        return issue(userId, Kind.API, name, expiresAt);
    }

    private Issued issue(long userId, Kind kind, String name, Instant expiresAt) {
        String token = TokenHashing.newToken();
        jdbc.update("insert into auth_token (token_hash, user_id, kind, name, expires_at, last_used_at) values (?, ?, ?, ?, ?, now())",
                TokenHashing.hash(token), userId, kind.name(), name, expiresAt == null ? null : Timestamp.from(expiresAt));
        return new Issued(token, expiresAt);
    }

    /**
     * The user a presented token stands for, or null when it is unknown, expired, idle too long, revoked or its user
     * disabled.
     *
     * @throws DataAccessException when the database does not answer and the token is not one validated here
     *                             within {@code tokenOutageGrace} ({@link DatabaseUnavailable#isCause} holds)
     */
    public PowerWatchUser authenticate(String token) {
        String hash = TokenHashing.hash(token);
        Instant now = clock.instant();
        Cached c = cache.get(hash);
        if (c == null || c.loadedAt().plus(properties.tokenCacheTtl()).isBefore(now)) {
            Cached fresh;
            boolean graced = c != null && withinOutageGrace(c, now);
            if (!database.isUp() && graced) {
                fresh = c; // the database is known to be away: do not make every request wait for it
            } else {
                try {
                    fresh = loadAndCache(hash, now);
                } catch (DataAccessException e) {
                    if (!graced || !DatabaseUnavailable.isCause(e)) {
                        throw e;
                    }
                    database.reportFailure(e);
                    fresh = c;
                }
            }
            if (fresh == null) {
                return null;
            }
            c = fresh;
        }
        if (c.expiresAt() != null && !c.expiresAt().isAfter(now)) {
            cache.remove(hash);
            return null;
        }
        if (c.touchedAt().plus(TOUCH_EVERY).isBefore(now) && database.isUp()) {
            try {
                jdbc.update("update auth_token set last_used_at = now() where token_hash = ?", hash);
                cache.replace(hash, c, new Cached(c.user(), c.expiresAt(), c.loadedAt(), now));
            } catch (DataAccessException e) {
                log.debug("last use of a token not recorded: {}", e.toString()); // bookkeeping, not worth a failed request
            }
        }
        return c.user();
    }

    private boolean withinOutageGrace(Cached c, Instant now) {
        return c.loadedAt().plus(properties.tokenOutageGrace()).isAfter(now);
    }

    /** Loads a token from the database and caches the result, unless an eviction happened meanwhile. */
    private Cached loadAndCache(String hash, Instant now) {
        long evictionsBefore = evictions.get();
        Cached c = load(hash, now);
        database.reportUp();
        if (c == null) {
            cache.remove(hash);
            return null;
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear(); // crude bound; entries are cheap to reload
        }
        cache.put(hash, c);
        if (evictions.get() != evictionsBefore) {
            cache.remove(hash); // a logout or revocation overlapped this lookup: do not keep what it may have ended
        }
        return c;
    }

    private Cached load(String hash, Instant now) {
        List<Cached> rows = jdbc.query("""
                        select u.id, u.username, u.role, u.enterprise_id, u.must_change_password, t.expires_at, t.last_used_at,
                               array(select r.region_code from app_user_region r where r.user_id = u.id order by 1) regions
                        from auth_token t join app_user u on u.id = t.user_id
                        where t.token_hash = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
                          and (t.kind = 'API' or coalesce(t.last_used_at, t.created_at) > now() - make_interval(secs => ?))
                          and u.enabled
                        """,
                (rs, i) -> {
                    PowerWatchUser user = new PowerWatchUser(rs.getLong("id"), rs.getString("username"),
                            Role.valueOf(rs.getString("role")),
                            List.of((String[]) rs.getArray("regions").getArray()).stream().map(String::trim).toList(),
                            (Long) rs.getObject("enterprise_id"), rs.getBoolean("must_change_password"));
                    Timestamp expires = rs.getTimestamp("expires_at");
                    Timestamp used = rs.getTimestamp("last_used_at");
                    return new Cached(user, expires == null ? null : expires.toInstant(), now,
                            used == null ? Instant.EPOCH : used.toInstant());
                },
                hash, (double) properties.sessionIdleTimeout().toSeconds());
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Revokes one token (logout). It leaves this node's cache first, so even when the database cannot record the
     * revocation (the call then fails) the token is not accepted here from memory.
     */
    public void revoke(String token) {
        String hash = TokenHashing.hash(token);
        evict(hash);
        jdbc.update("update auth_token set revoked_at = now() where token_hash = ? and revoked_at is null", hash);
        evict(hash);
    }

    private void evict(String hash) {
        evictions.incrementAndGet();
        cache.remove(hash);
    }

    /** Revokes every token of a user (disabled, password reset, API token rotated), optionally keeping one. */
    public int revokeAll(long userId, String exceptToken) {
        forget(userId);
        int n = jdbc.update("update auth_token set revoked_at = now() where user_id = ? and revoked_at is null and token_hash <> ?",
                userId, exceptToken == null ? "" : TokenHashing.hash(exceptToken));
        forget(userId);
        return n;
    }

    /** Drops cached lookups of a user whose role, scope, state or password flag changed, so the next request reloads it. */
    public void forget(long userId) {
        evictions.incrementAndGet();
        cache.values().removeIf(c -> c.user().id() == userId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // a request between now and the commit may have cached the old row again
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    evictions.incrementAndGet();
                    cache.values().removeIf(c -> c.user().id() == userId);
                }
            });
        }
    }
}
