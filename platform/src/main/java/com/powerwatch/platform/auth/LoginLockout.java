package com.powerwatch.platform.auth;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Who may still try a password. Attempts are counted in {@code login_failure} <em>before</em> the password is
 * compared, in one atomic statement per counter, so thirty parallel guesses get at most {@code max-failed-logins}
 * comparisons. Two counters per attempt, both keyed by the username as typed (an unknown name is counted exactly like
 * a known one):
 * <ul>
 *     <li>(username, address): {@code max-failed-logins} (5) lock the name at that address only, so a guesser
 *     elsewhere does not lock the owner out;</li>
 *     <li>(username, all addresses): {@code login.account-max-failed-logins} (50) lock it for every address except
 *     the trusted networks, which are neither counted nor refused by it: the administrator's way back in.</li>
 * </ul>
 * A successful login (or a right current password) deletes the two rows it counted on; an administrator's unlock
 * or password reset deletes all of the name's rows ({@link UserRepository#unlock}).
 */
@Component
class LoginLockout {

    enum Scope { ADDRESS, ACCOUNT }

    /**
     * The decision about one attempt.
     *
     * @param username    the name as counted (lower-case)
     * @param address     the address as counted
     * @param admitted    the password may be compared
     * @param lockedUntil refused: until when; admitted: the lock this attempt set, which stays if the password is wrong
     *                    (null: a wrong password does not lock yet)
     * @param scope       which counter refused or locks
     * @param failures    the count of that counter
     */
    record Attempt(String username, String address, boolean admitted, OffsetDateTime lockedUntil, Scope scope,
                   int failures) {
        boolean locksIfWrong() {
            return admitted && lockedUntil != null;
        }
    }

    private record Count(int failures, OffsetDateTime lockedUntil) {
    }

    /** The whole name's row: the address is never empty for a real client. */
    private static final String ALL_ADDRESSES = "";

    // One atomic step per attempt: a lapsed lock or stale count starts again at 1; an active lock is kept (the count
    // goes on past the limit: those attempts are refused); reaching the limit sets the lock before any comparison.
    private static final String COUNT = """
            insert into login_failure as f (username, address, failures, locked_until, last_failure_at)
            values (:u, :a, 1, case when 1 >= :max then now() + make_interval(secs => :lock) end, now())
            on conflict (username, address) do update set
                failures = case when f.locked_until > now() then f.failures + 1
                                when f.locked_until is not null or f.last_failure_at < now() - make_interval(secs => :memory) then 1
                                else f.failures + 1 end,
                locked_until = case when f.locked_until > now() then f.locked_until
                                    when :max <= case when f.locked_until is not null
                                                           or f.last_failure_at < now() - make_interval(secs => :memory) then 1
                                                      else f.failures + 1 end
                                         then now() + make_interval(secs => :lock) end,
                last_failure_at = now()
            returning failures, locked_until""";

    private final NamedParameterJdbcTemplate jdbc;
    private final AuthProperties properties;
    private final ClientAddress.Resolver addresses;

    LoginLockout(NamedParameterJdbcTemplate jdbc, AuthProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.addresses = new ClientAddress.Resolver(properties.login().trustedNetworks());
    }

    ClientAddress address(String remoteAddress) {
        return addresses.of(remoteAddress);
    }

    /** Counts an attempt of {@code username} from {@code from}; compare the password only when it is admitted. */
    Attempt begin(String username, ClientAddress from) {
        String name = normalize(username);
        if (!from.trusted()) {
            // a locked account refuses before anything is counted on the address
            OffsetDateTime accountLock = jdbc.query("""
                            select locked_until from login_failure where username = :u and address = '' and locked_until > now()""",
                    new MapSqlParameterSource("u", name), (rs, i) -> UserRepository.time(rs, 1)).stream().findFirst().orElse(null);
            if (accountLock != null) {
                return new Attempt(name, from.key(), false, accountLock, Scope.ACCOUNT, properties.login().accountMaxFailedLogins());
            }
        }
        int maxHere = properties.maxFailedLogins();
        Count here = count(name, from.key(), maxHere);
        if (here.failures() > maxHere) {
            return new Attempt(name, from.key(), false, here.lockedUntil(), Scope.ADDRESS, here.failures());
        }
        if (!from.trusted()) {
            int maxAll = properties.login().accountMaxFailedLogins();
            Count all = count(name, ALL_ADDRESSES, maxAll);
            if (all.failures() > maxAll) {
                return new Attempt(name, from.key(), false, all.lockedUntil(), Scope.ACCOUNT, all.failures());
            }
            if (all.lockedUntil() != null) {
                return new Attempt(name, from.key(), true, all.lockedUntil(), Scope.ACCOUNT, all.failures());
            }
        }
        return new Attempt(name, from.key(), true, here.lockedUntil(), Scope.ADDRESS, here.failures());
    }

    private Count count(String name, String address, int max) {
        return jdbc.queryForObject(COUNT, new MapSqlParameterSource("u", name).addValue("a", address).addValue("max", max)
                        .addValue("lock", (double) properties.lockDuration().toSeconds())
                        .addValue("memory", (double) properties.login().failureMemory().toSeconds()),
                (rs, i) -> new Count(rs.getInt(1), UserRepository.time(rs, 2)));
    }

    /** The password was right: what this attempt counted on starts again. */
    void succeeded(Attempt attempt) {
        jdbc.update("delete from login_failure where username = :u and address in (:a, '')",
                new MapSqlParameterSource("u", attempt.username()).addValue("a", attempt.address()));
    }

    /** Forgets stale counts, so the table holds only recent guessing (bounded further by the per-address rate). */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void forgetStale() {
        jdbc.update("""
                        delete from login_failure
                        where last_failure_at < now() - make_interval(secs => :memory) and (locked_until is null or locked_until < now())""",
                new MapSqlParameterSource("memory", (double) properties.login().failureMemory().toSeconds()));
    }

    static String normalize(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }
}
