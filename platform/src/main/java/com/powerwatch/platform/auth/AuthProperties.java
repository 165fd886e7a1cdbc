package com.powerwatch.platform.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * {@code powerwatch.security.*}: login, session and password rules. Every value has a default, so
 * application.yml only lists what a deployment usually changes.
 *
 * @param maxFailedLogins      wrong passwords in a row for one username from one address that lock that username at
 *                             that address (other addresses are not affected until {@code login.account-max-failed-logins})
 * @param lockDuration         how long a lock lasts (an administrator can unlock earlier)
 * @param sessionLifetime      absolute lifetime of a login session token
 * @param sessionIdleTimeout   a session token unused this long is no longer accepted
 * @param tokenCacheTtl        how long a token lookup is reused before the database is asked again; also how long
 *                             another node may still accept a token revoked elsewhere
 * @param tokenOutageGrace     while the database does not answer, a token this node validated within this time is
 *                             still accepted (from memory), so operators keep seeing ingestion status and health;
 *                             0 = never
 * @param initialAdminPassword the first administrator's password for automated deployments (still must be changed);
 *                             when unset a random one is generated, logged once and written to the data dir
 * @param password             the password policy
 * @param login                throttling of login attempts
 */
@ConfigurationProperties("powerwatch.security")
public record AuthProperties(@DefaultValue("5") int maxFailedLogins,
                             @DefaultValue("15m") Duration lockDuration,
                             @DefaultValue("12h") Duration sessionLifetime,
                             @DefaultValue("2h") Duration sessionIdleTimeout,
                             @DefaultValue("15s") Duration tokenCacheTtl,
                             @DefaultValue("5m") Duration tokenOutageGrace,
                             String initialAdminPassword,
                             @DefaultValue Password password,
                             @DefaultValue Login login) {

    /**
     * @param minLength  minimum number of characters
     * @param minClasses how many of lower-case, upper-case, digit, symbol must occur
     * @param history    a new password must differ from the current one and from this many before it
     */
    public record Password(@DefaultValue("10") int minLength, @DefaultValue("3") int minClasses,
                           @DefaultValue("5") int history) {
    }

    /**
     * @param accountMaxFailedLogins wrong passwords for one username from all addresses together that lock it for every
     *                               address except the trusted networks (a distributed guess)
     * @param failureMemory          failures older than this are forgotten (and their rows deleted)
     * @param trustedNetworks        addresses (CIDR) exempt from the account-wide lock and the per-address rate: the
     *                               administrator's way in while the account is locked (the server itself by default).
     *                               The per-(username, address) lock still applies to them
     * @param addressBurst           logins one address may send at once …
     * @param addressPerMinute       … and then per minute (an IPv6 address counts as its /64)
     * @param trackedAddresses       addresses remembered for the rate; beyond it the longest-quiet are forgotten
     * @param hashingPermits         logins checked (one Argon2 hash each) at the same time; 0 = the number of cores
     * @param hashingQueue           logins that may wait for a permit; more are refused at once (429)
     * @param hashingWait            how long a login waits for a permit before 429
     */
    public record Login(@DefaultValue("50") int accountMaxFailedLogins,
                        @DefaultValue("24h") Duration failureMemory,
                        @DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> trustedNetworks,
                        @DefaultValue("30") int addressBurst,
                        @DefaultValue("20") int addressPerMinute,
                        @DefaultValue("100000") int trackedAddresses,
                        @DefaultValue("0") int hashingPermits,
                        @DefaultValue("16") int hashingQueue,
                        @DefaultValue("1s") Duration hashingWait) {

        public Login {
            if (accountMaxFailedLogins < 1 || addressBurst < 1 || addressPerMinute < 1 || trackedAddresses < 1
                    || hashingPermits < 0 || hashingQueue < 0) {
                throw new IllegalArgumentException("powerwatch.security.login: account-max-failed-logins, address-burst, "
                        + "address-per-minute and tracked-addresses must be at least 1, hashing-permits and hashing-queue at least 0");
            }
        }

        /** The permits actually used. */
        public int permits() {
            return hashingPermits > 0 ? hashingPermits : Runtime.getRuntime().availableProcessors();
        }
    }
}
