package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Emergency orders left waiting for their baseline by a restart are taken up once the database answers. */
@Configuration
class WarningStartConfig {

    @Bean
    DatabaseStartStep emergencyBaselinesResume(WarningFollowUp followUp) {
        return new DatabaseStartStep("emergency baselines left waiting", DatabaseStartStep.FOLLOW_UPS, followUp::resume);
    }
}
