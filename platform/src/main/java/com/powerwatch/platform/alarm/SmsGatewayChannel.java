package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.auth.ContactDetails;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic SMS gateway over HTTP: one POST per phone number to the URL template ({@code {phone}} replaced), with
 * {@code {"phone": …, "sign": …, "text": …}} as JSON and the configured headers (the gateway's key). Any 2xx is
 * delivered. Bureaus put their operator's gateway (or an adapter) behind this shape. Users are reached at their own
 * mobile number (recipient {@code user:<id>}, resolved only here, so the number is in no log).
 */
class SmsGatewayChannel extends RoutedChannel {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    SmsGatewayChannel(String name, AlarmProperties.Channel config, HttpClient http, ObjectMapper json, Duration timeout) {
        super(name, config);
        if (config.url() == null || config.url().isBlank()) {
            throw new IllegalStateException("powerwatch.alarm.notify.channels." + name + ".url is required for SMS");
        }
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    /** Configured phones, the enterprise's contacts (opt-in) and the mobiles of the people concerned (a landline gets no SMS). */
    @Override
    public List<String> recipients(Notification n) {
        return recipients(n, config.enterpriseContacts() ? n.phones() : List.of(), ContactDetails::phone, ContactDetails::isMobile);
    }

    @Override
    public void send(Notification n, String recipient) throws Exception {
        String phone = address(n, recipient, ContactDetails::phone);
        try {
            post(n, phone);
        } catch (Exception e) {
            throw scrubbed(e, recipient, phone);
        }
    }

    private void post(Notification n, String phone) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone", phone);
        body.put("sign", config.smsSign());
        body.put("text", plain(n));
        String url = config.url().replace("{phone}", URLEncoder.encode(phone, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8));
        config.headers().forEach(request::header);
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException(response.statusCode(), "HTTP " + response.statusCode());
        }
    }
}
