package com.powerwatch.platform.analysis;

import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.telemetry.FacilityThresholds;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The alarm engine: rebuilt from the store, then started on the journal under its own consumer name. Its cached
 * rule parameters also give the real-time state the TREATMENT_ABNORMAL ratio, so both resolve a treatment's abnormal
 * threshold alike ({@link FacilityThresholds}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalysisProperties.class)
public class AnalysisConfig {

    @Bean
    EngineRules engineRules(AlarmRules rules, ProductionOrders orders, AnalysisProperties props) {
        return new EngineRules(rules, orders, props.rulesCacheTtl());
    }

    /** Read by the real-time state (TelemetryConfig); {@link AlarmEngine#refreshRules()} drops the shared cache. */
    @Bean
    public FacilityThresholds.AbnormalRatio abnormalRatio(EngineRules rules) {
        return rules::abnormalRatio;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "powerwatch.analysis", name = "enabled", havingValue = "true", matchIfMissing = true)
    public AlarmEngine alarmEngine(Journal journal, JdbcTemplate jdbc, TelemetryRegistry registry, EngineRules rules,
                                   AlarmRecorder recorder, AnalysisProperties props) {
        AlarmEngine engine = new AlarmEngine(props.consumer(), journal.reader(props.consumer()), jdbc, registry,
                rules, recorder, props);
        engine.rebuild();
        return engine.start();
    }
}
