package com.powerwatch.platform.analysis;

import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The alarm engine: rebuilt from the store, then started on the journal under its own consumer name. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalysisProperties.class)
public class AnalysisConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "powerwatch.analysis", name = "enabled", havingValue = "true", matchIfMissing = true)
    public AlarmEngine alarmEngine(Journal journal, JdbcTemplate jdbc, TelemetryRegistry registry, AlarmRules rules,
                                   ProductionOrders orders, AlarmRecorder recorder, AnalysisProperties props) {
        AlarmEngine engine = new AlarmEngine(props.consumer(), journal.reader(props.consumer()), jdbc, registry,
                new EngineRules(rules, orders, props.rulesCacheTtl()), recorder, props);
        engine.rebuild();
        return engine.start();
    }
}
