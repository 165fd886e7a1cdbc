package com.powerwatch.platform.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group-robot webhooks of WeCom (企业微信) and DingTalk (钉钉): one POST of JSON per notification, text or markdown.
 * Both answer HTTP 200 with {@code {"errcode": 0}} on success; any other errcode is a failure (retried).
 * DingTalk robots with 加签 get {@code timestamp} and {@code sign} (HmacSHA256 of "timestamp\nsecret") in the URL.
 */
class RobotWebhookChannel extends RoutedChannel {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    RobotWebhookChannel(String name, AlarmProperties.Channel config, HttpClient http, ObjectMapper json, Duration timeout) {
        super(name, config);
        if (config.url() == null || config.url().isBlank()) {
            throw new IllegalStateException("powerwatch.alarm.notify.channels." + name + ".url is required for " + config.kind());
        }
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public void send(Notification n, String recipient) throws Exception {
        String body = json.writeValueAsString(payload(n));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url())).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        config.headers().forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException(response.statusCode(), "HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException notJson) {
            return; // 2xx without a JSON answer (a proxy or a test server): delivered
        }
        if (answer != null && answer.has("errcode") && answer.get("errcode").asInt() != 0) {
            throw new DeliveryException(response.statusCode(), "errcode " + answer.get("errcode").asInt() + ": "
                    + answer.path("errmsg").asText());
        }
    }

    Map<String, Object> payload(Notification n) {
        boolean markdown = "markdown".equalsIgnoreCase(config.format());
        List<String> mentions = config.recipients();
        Map<String, Object> body = new LinkedHashMap<>();
        if (kind() == Kind.WECOM) {
            if (markdown) {
                body.put("msgtype", "markdown");
                body.put("markdown", Map.of("content", markdown(n)));
            } else {
                body.put("msgtype", "text");
                body.put("text", Map.of("content", plain(n), "mentioned_mobile_list", mentions));
            }
        } else {
            if (markdown) {
                body.put("msgtype", "markdown");
                body.put("markdown", Map.of("title", n.title(), "text", markdown(n)));
            } else {
                body.put("msgtype", "text");
                body.put("text", Map.of("content", plain(n)));
            }
            body.put("at", Map.of("atMobiles", mentions, "isAtAll", false));
        }
        return body;
    }

    private String url() throws Exception {
        if (kind() != Kind.DINGTALK || config.secret() == null || config.secret().isBlank()) {
            return config.url();
        }
        long timestamp = System.currentTimeMillis();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sign = Base64.getEncoder().encodeToString(mac.doFinal((timestamp + "\n" + config.secret())
                .getBytes(StandardCharsets.UTF_8)));
        return config.url() + (config.url().contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                + URLEncoder.encode(sign, StandardCharsets.UTF_8);
    }
}
