package com.powerwatch.platform.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code powerwatch.database.*}: how the platform lives with a database that comes and goes. The pool's own timeouts
 * are {@code spring.datasource.hikari.*} (application.yml).
 *
 * @param probeInterval        how often a background check asks the database whether it answers; health and the
 *                             token cache read the result from memory
 * @param startRetryMaxBackoff while the database has not been reached since start, the start is tried again after
 *                             1 s, doubling the pause up to this
 */
@ConfigurationProperties("powerwatch.database")
public record DatabaseProperties(@DefaultValue("5s") Duration probeInterval,
                                 @DefaultValue("30s") Duration startRetryMaxBackoff) {
}
