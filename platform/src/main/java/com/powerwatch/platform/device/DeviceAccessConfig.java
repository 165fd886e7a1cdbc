package com.powerwatch.platform.device;

import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads the registry's data-logger passwords as soon as the database is there. Without this step a platform that
 * started while PostgreSQL was away would judge frames by its local copy until the next periodic refresh
 * ({@code powerwatch.devices.credential-refresh}), refusing loggers registered since the copy was written.
 */
@Configuration
public class DeviceAccessConfig {

    @Bean
    public DatabaseStartStep deviceCredentialsStart(DeviceCredentials credentials) {
        return new DatabaseStartStep("data-logger passwords", DatabaseStartStep.DEVICES, credentials::reload);
    }
}
