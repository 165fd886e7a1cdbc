package com.powerwatch.platform.analysis;

import com.powerwatch.ingest.journal.Journal;
import com.powerwatch.platform.alarm.AlarmRecorder;
import com.powerwatch.platform.alarm.AlarmRules;
import com.powerwatch.platform.alarm.ProductionOrders;
import com.powerwatch.platform.database.DatabaseStartStep;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The alarm engine: rebuilt from the store, then started on the journal under its own consumer name. Its cached
 * rule parameters also give the real-time state the TREATMENT_ABNORMAL ratio and the supply-fault voltages, so both
 * resolve a treatment's abnormal threshold and a meter's fault alike
 * ({@link com.powerwatch.platform.telemetry.FacilityThresholds}, {@link com.powerwatch.platform.telemetry.MeterSupply}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalysisProperties.class)
public class AnalysisConfig {

    /**
     * Also the {@link com.powerwatch.platform.telemetry.FacilityRules} the real-time state reads (TelemetryConfig), so
     * the map judges with the rules in force; {@link AlarmEngine#refreshRules()} drops the shared cache.
     */
    @Bean
    EngineRules engineRules(AlarmRules rules, ProductionOrders orders, AnalysisProperties props) {
        return new EngineRules(rules, orders, props.rulesCacheTtl());
    }

    /** The future tolerance against the silence limits: also asked when an alarm rule is saved. */
    @Bean
    @ConditionalOnProperty(prefix = "powerwatch.analysis", name = "enabled", havingValue = "true", matchIfMissing = true)
    SilenceLimits silenceLimits(AnalysisProperties props) {
        return new SilenceLimits(props.futureTolerance());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "powerwatch.analysis", name = "enabled", havingValue = "true", matchIfMissing = true)
    public AlarmEngine alarmEngine(Journal journal, JdbcTemplate jdbc, TelemetryRegistry registry, EngineRules rules,
                                   AlarmRecorder recorder, AnalysisProperties props) {
        return new AlarmEngine(props.consumer(), journal.reader(props.consumer()), jdbc, registry, rules, recorder, props);
    }

    /** Rebuilt from the store and started once the database is there (at start, or when it comes back). */
    @Bean
    @ConditionalOnProperty(prefix = "powerwatch.analysis", name = "enabled", havingValue = "true", matchIfMissing = true)
    public DatabaseStartStep alarmEngineStart(AlarmEngine engine, JdbcTemplate jdbc, SilenceLimits limits) {
        return new DatabaseStartStep("alarm engine", DatabaseStartStep.ENGINE, () -> {
            limits.checkAtStart(jdbc); // refuses to start with a tolerance a silence limit does not exceed
            engine.rebuild();
            engine.start();
        });
    }
}
