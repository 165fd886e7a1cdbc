package com.powerwatch.platform.registry;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description at /v3/api-docs (UI at /swagger-ui.html): every API takes a bearer token. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    @Bean
    OpenAPI powerWatchOpenApi() {
        return new OpenAPI()
                .info(new Info().title("PowerWatch 固定污染源用电监控平台 API").version("v1")
                        .description("Registry, telemetry and alarms of the electricity-use monitoring platform. Authenticate with "
                                + "'Authorization: Bearer <token>' (POST /api/auth/login or an API token)."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
