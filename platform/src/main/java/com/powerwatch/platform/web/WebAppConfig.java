package com.powerwatch.platform.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.EncodedResourceResolver;

import java.util.concurrent.TimeUnit;

/**
 * Serves the web platform (the Vue bundle built from {@code web/} into the jar's {@code static/}).
 *
 * <p>Bundle files carry a content hash in their names, so browsers keep them for a year; {@code index.html} is
 * revalidated on every load so a new release is picked up at once. The app's own routes ({@code /home},
 * {@code /alarms/42}, …) are answered with {@code index.html} by {@link SpaRoutes}. The build leaves a gzip copy next
 * to each larger bundle and map file ({@code web/vite.config.ts}); a browser that accepts gzip gets that copy, so
 * the platform does not compress the same 600 KB of ECharts again for every officer who opens a page.
 */
@Configuration(proxyBeanMethods = false)
public class WebAppConfig implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/static/assets/")
                .setCacheControl(CacheControl.maxAge(365, TimeUnit.DAYS).cachePublic().immutable())
                .resourceChain(true).addResolver(new EncodedResourceResolver());
        registry.addResourceHandler("/index.html", "/favicon.svg")
                .addResourceLocations("classpath:/static/")
                .setCacheControl(CacheControl.noCache());
        // a pattern's location receives the path below the pattern: /map/610100.json → static/map/610100.json
        registry.addResourceHandler("/map/**")
                .addResourceLocations("classpath:/static/map/")
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true).addResolver(new EncodedResourceResolver());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName("forward:/index.html");
    }
}
