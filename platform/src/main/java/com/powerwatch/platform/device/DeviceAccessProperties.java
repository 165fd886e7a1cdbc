package com.powerwatch.platform.device;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code powerwatch.devices.*}: how data loggers prove who they are, and the gateway's bounds on what devices can make
 * it remember (defaults in application.yml, explained in docs/ingest.md "Device access").
 *
 * @param newLoggerPolicy         policy of a logger registered one at a time through the API (it gets a generated
 *                                password at once); loggers from the Excel import and those registered before
 *                                passwords existed start with WARN
 * @param acceptUnregistered      frames of MNs nobody registered are accepted and stored (true, as before the
 *                                registry); false refuses them like a wrong password
 * @param passwordLength          length of generated passwords (HJ 212-2017: 9; 6 for 2005 devices, per request)
 * @param maxMnsPerConnection     distinct MNs one TCP connection may carry before it is closed
 * @param authFailuresBeforeClose refused passwords after which a TCP connection is closed
 * @param sessionEviction         an offline registered device's session is forgotten after this long (unregistered
 *                                MNs' sessions end with their connection)
 * @param credentialRefresh       how often the gateway re-reads the registry's passwords (changes made through the API
 *                                on this node apply at once; this catches other nodes, imports and direct SQL)
 * @param devicesPageMaxSize      largest page of {@code GET /api/ingest/devices}
 */
@ConfigurationProperties(prefix = "powerwatch.devices")
public record DeviceAccessProperties(AccessPolicy newLoggerPolicy, boolean acceptUnregistered, int passwordLength,
                                     int maxMnsPerConnection, int authFailuresBeforeClose, Duration sessionEviction,
                                     Duration credentialRefresh, int devicesPageMaxSize) {
}
