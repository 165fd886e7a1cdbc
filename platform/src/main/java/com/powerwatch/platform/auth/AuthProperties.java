package com.powerwatch.platform.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.security.*}: login, session and password rules. Every value has a default, so
 * application.yml only lists what a deployment usually changes.
 *
 * @param maxFailedLogins      consecutive wrong passwords that lock an account
 * @param lockDuration         how long a locked account stays locked (an administrator can unlock earlier)
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
 */
@ConfigurationProperties("powerwatch.security")
public record AuthProperties(@DefaultValue("5") int maxFailedLogins,
                             @DefaultValue("15m") Duration lockDuration,
                             @DefaultValue("12h") Duration sessionLifetime,
                             @DefaultValue("2h") Duration sessionIdleTimeout,
                             @DefaultValue("15s") Duration tokenCacheTtl,
                             @DefaultValue("5m") Duration tokenOutageGrace,
                             String initialAdminPassword,
                             @DefaultValue Password password) {

    /**
     * @param minLength  minimum number of characters
     * @param minClasses how many of lower-case, upper-case, digit, symbol must occur
     */
    public record Password(@DefaultValue("10") int minLength, @DefaultValue("3") int minClasses) {
    }
}
