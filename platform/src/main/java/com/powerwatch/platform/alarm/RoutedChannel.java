package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.ContactDetails;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The configured recipients and {@code extra} ones, then — with {@code user-contacts} — the people concerned whose
     * {@code contact} (phone or address) {@code usable} says this channel can reach and nobody else on the list has.
     * Users appear as {@code user:<id>} so that notification_log and log lines never carry their personal details;
     * {@link #address} turns that back into the number or address at sending time.
     */
    protected List<String> recipients(Notification n, List<String> extra, Function<ContactDetails, String> contact,
                                      Predicate<String> usable) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String r : config.recipients()) {
            if (seen.add(r.toLowerCase(Locale.ROOT))) {
                out.add(r);
            }
        }
        for (String r : extra) {
            if (seen.add(r.toLowerCase(Locale.ROOT))) {
                out.add(r);
            }
        }
        if (config.userContacts()) {
            for (Long userId : n.userIds()) {
                ContactDetails c = n.userContacts().get(userId);
                String value = c == null ? null : contact.apply(c);
                if (value != null && usable.test(value) && seen.add(value.toLowerCase(Locale.ROOT))) {
                    out.add(Notification.userRecipient(userId));
                }
            }
        }
        return out;
    }

    /** The phone or address to send to: the recipient itself, or the contact of the user it names. */
    static String address(Notification n, String recipient, Function<ContactDetails, String> contact) {
        Long userId = Notification.userOf(recipient);
        if (userId == null) {
            return recipient;
        }
        ContactDetails c = n.userContacts().get(userId);
        String value = c == null ? null : contact.apply(c);
        if (value == null) {
            throw new IllegalStateException(recipient + " has no contact for this channel");
        }
        return value;
    }

    /**
     * A failed delivery to a user, with the user's number or address in its text (SMTP rejections quote it) replaced
     * by {@code user:<id>}: the text goes to notification_log and the log. Other failures are returned as they are.
     */
    static Exception scrubbed(Exception e, String recipient, String value) {
        if (Notification.userOf(recipient) == null || value == null || e.getMessage() == null) {
            return e;
        }
        String text = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE)
                .matcher(e.getMessage()).replaceAll(Matcher.quoteReplacement(recipient));
        return new DeliveryException(e instanceof DeliveryException d ? d.status : null, e.getClass().getSimpleName() + ": " + text);
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
