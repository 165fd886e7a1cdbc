package com.powerwatch.platform.emergency;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link EmergencyProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmergencyProperties.class)
class EmergencyConfig {
}
