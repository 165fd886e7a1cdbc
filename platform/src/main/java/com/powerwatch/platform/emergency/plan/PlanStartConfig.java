package com.powerwatch.platform.emergency.plan;

import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plans' ready baselines are brought up to date once the database answers (the platform starts without it). */
@Configuration
class PlanStartConfig {

    @Bean
    DatabaseStartStep readyBaselinesAtStart(PlanBaselines baselines) {
        return new DatabaseStartStep("emergency plans' ready baselines", DatabaseStartStep.FOLLOW_UPS, baselines::atStart);
    }
}
