package com.powerwatch.platform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Arrays;

/**
 * PowerWatch. {@code --demo} also starts a fleet of simulated data loggers against the gateway, so a
 * newcomer sees readings arrive within a minute.
 */
// No generated in-memory user: users, passwords and tokens live in the database (package auth).
@SpringBootApplication(exclude = org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class PowerWatchApplication {

    public static void main(String[] args) {
        String[] effective = Arrays.stream(args)
                .map(a -> a.equals("--demo") ? "--powerwatch.demo.enabled=true" : a)
                .toArray(String[]::new);
        SpringApplication.run(PowerWatchApplication.class, effective);
    }
}
