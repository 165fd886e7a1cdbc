package com.powerwatch.platform.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The platform's start does not wait for the database: see {@link DatabaseStartup}. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    /** Spring Boot would migrate while creating beans, failing the start when the database is away: DatabaseStartup migrates. */
    @Bean
    FlywayMigrationStrategy migrateInDatabaseStartup() {
        return flyway -> { };
    }

    /** Ahead of the security filters: authenticating a token needs the database too. */
    @Bean
    FilterRegistrationBean<DatabaseGateFilter> databaseGateFilter(DatabaseStartup startup, ObjectMapper json) {
        FilterRegistrationBean<DatabaseGateFilter> r = new FilterRegistrationBean<>(new DatabaseGateFilter(startup, json));
        r.addUrlPatterns("/api/*", "/actuator/*");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return r;
    }
}
