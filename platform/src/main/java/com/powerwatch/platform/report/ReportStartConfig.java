package com.powerwatch.platform.report;

import com.powerwatch.platform.database.DatabaseStartStep;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The platform start is recorded as a 系统运行异常信息事件 once the database answers (the platform starts without it). */
@Configuration
class ReportStartConfig {

    @Bean
    DatabaseStartStep platformStartEvent(SystemEventRecorder recorder) {
        return new DatabaseStartStep("platform start event", DatabaseStartStep.FOLLOW_UPS, recorder::started);
    }
}
