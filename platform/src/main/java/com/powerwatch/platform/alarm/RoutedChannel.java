package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AccessScope;
import java.util.List;

/** The routing every configured channel shares: by event, level, type or category, and region of the enterprise. */
abstract class RoutedChannel implements NotificationChannel {

    protected final String name;
    protected final AlarmProperties.Channel config;
    private final List<String> regionPrefixes;

    RoutedChannel(String name, AlarmProperties.Channel config) {
        this.name = name;
        this.config = config;
        this.regionPrefixes = config.regions().stream().map(code -> AccessScope.regionPrefix("regions", code)).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Kind kind() {
        return config.kind();
    }

    @Override
    public boolean accepts(Notification n) {
        return config.events().contains(n.event())
                && (config.levels().isEmpty() || config.levels().contains(n.level()))
                && (config.types().isEmpty() || config.types().contains(n.type()) || config.types().contains(n.category()))
                && (regionPrefixes.isEmpty() || (n.districtCode() != null
                && regionPrefixes.stream().anyMatch(n.districtCode()::startsWith)));
    }

    @Override
    public List<String> recipients(Notification n) {
        return java.util.Collections.singletonList(null);
    }

    /** The message as plain text: title, then the body. */
    static String plain(Notification n) {
        return "【" + n.title() + "】" + n.text();
    }

    /** The message as Markdown (robot webhooks). */
    static String markdown(Notification n) {
        return "### " + n.title() + "\n> 企业：" + n.enterpriseName() + "\n> 类型：" + n.typeName() + "（" + n.level().label()
                + "）\n\n" + n.text();
    }
}
