package com.powerwatch.platform.device;

import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads the registry's data-logger passwords as soon as the schema is migrated — during the start, or as soon as the
 * database comes back. The only read at start ({@link DeviceCredentials}' constructor reads only the local copy): until
 * it has run, the gateway judges frames by that copy, or refuses them on a new installation without one.
 */
@Configuration
public class DeviceAccessConfig {

    @Bean
    public DatabaseStartStep deviceCredentialsStart(DeviceCredentials credentials) {
        return new DatabaseStartStep("data-logger passwords", DatabaseStartStep.DEVICES, credentials::reload);
    }
}
