package com.powerwatch.platform.alarm;

import com.powerwatch.platform.auth.ContactDetails;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP (host, port, optional login and STARTTLS), one message per address: the configured ones and the
 * people concerned at their own address ({@code user-contacts}).
 */
class EmailChannel extends RoutedChannel {

    private final JavaMailSenderImpl mail = new JavaMailSenderImpl();

    EmailChannel(String name, AlarmProperties.Channel config, Duration timeout) {
        super(name, config);
        if (config.host() == null || config.host().isBlank() || config.from() == null || config.from().isBlank()) {
            throw new IllegalStateException("powerwatch.alarm.notify.channels." + name + ".host and .from are required for EMAIL");
        }
        mail.setHost(config.host());
        mail.setPort(config.port());
        mail.setUsername(config.username());
        mail.setPassword(config.password());
        mail.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties p = mail.getJavaMailProperties();
        p.put("mail.smtp.auth", String.valueOf(config.username() != null));
        p.put("mail.smtp.starttls.enable", String.valueOf(config.starttls()));
        p.put("mail.smtp.connectiontimeout", String.valueOf(timeout.toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
    }

    /** Configured addresses and, with {@code user-contacts}, the people concerned who gave an e-mail address. */
    @Override
    public List<String> recipients(Notification n) {
        return recipients(n, List.of(), ContactDetails::email, address -> true);
    }

    @Override
    public void send(Notification n, String recipient) throws Exception {
        String address = address(n, recipient, ContactDetails::email);
        try {
            mail(n, address);
        } catch (Exception e) {
            throw scrubbed(e, recipient, address);
        }
    }

    private void mail(Notification n, String address) throws Exception {
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(config.from());
        helper.setTo(address);
        helper.setSubject("[PowerWatch] " + n.title());
        helper.setText(plain(n) + "\n\n企业：" + n.enterpriseName() + "\n类型：" + n.typeName() + "（" + n.level().label()
                + "）\n报警编号：" + n.alarmId());
        mail.send(message);
    }
}
