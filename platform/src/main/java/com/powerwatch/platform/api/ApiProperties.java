package com.powerwatch.platform.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code powerwatch.api.*}: limits every API request is held to.
 *
 * @param maxJsonBody the largest JSON request body; a body is read whole and checked (and audited) before the
 *                    request can change anything, so it must fit in memory. Larger bodies get 413.
 */
@ConfigurationProperties("powerwatch.api")
public record ApiProperties(@DefaultValue("1MB") DataSize maxJsonBody) {
}
