package com.powerwatch.platform.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
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

    /** {@code powerwatch_database_up}: 0 while the database does not answer (from memory, like health). */
    @Bean
    MeterBinder databaseMetrics(DatabaseAvailability availability) {
        return registry -> Gauge.builder("powerwatch.database.up", availability, a -> a.isUp() ? 1 : 0).register(registry);
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
