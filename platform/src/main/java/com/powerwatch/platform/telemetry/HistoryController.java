package com.powerwatch.platform.telemetry;

import com.powerwatch.platform.api.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** History over HTTP: series, energy per period, comparisons, ranking. See docs/telemetry.md. */
@RestController
@RequestMapping("/api/history")
public class HistoryController {

    private final HistoryService history;

    HistoryController(HistoryService history) {
        this.history = history;
    }

    /** Power and energy per bucket of a point, facility or enterprise over [from, to). */
    @GetMapping("/series")
    Map<String, Object> series(@RequestParam(required = false) String subject, @RequestParam long id,
                               @RequestParam String from, @RequestParam String to,
                               @RequestParam(defaultValue = "auto") String grain,
                               @RequestParam(defaultValue = "2000") int maxPoints) {
        Instant f = instant("from", from);
        Instant t = instant("to", to);
        return history.series(history.subject(subject, id), f, t, grain, maxPoints);
    }

    @GetMapping("/energy")
    Map<String, Object> energy(@RequestParam(required = false) String subject, @RequestParam long id,
                               @RequestParam String from, @RequestParam String to,
                               @RequestParam(defaultValue = "day") String period) {
        LocalDate f = day("from", from);
        LocalDate t = day("to", to);
        return history.energy(history.subject(subject, id), f, t, period);
    }

    @GetMapping("/energy/compare")
    Map<String, Object> compare(@RequestParam String scope, @RequestParam String id,
                                @RequestParam(defaultValue = "month") String period, @RequestParam String at) {
        return history.compare(scope, id, period, at);
    }

    @GetMapping("/energy/ranking")
    Map<String, Object> ranking(@RequestParam String day, @RequestParam(defaultValue = "50") int limit,
                                @RequestParam(required = false) String district) {
        return history.ranking(day("day", day), limit, district);
    }

    /** ISO-8601 with offset, or a local date-time / date read as China time (400 naming {@code field} otherwise). */
    public static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(HistoryService.CHINA).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(text).atStartOfDay(HistoryService.CHINA).toInstant();
                } catch (DateTimeParseException e3) {
                    throw ApiException.badRequest(field, label(field) + "格式不正确：" + text + "，应如 2026-11-22T08:00:00+08:00 或 2026-11-22");
                }
            }
        }
    }

    private static String label(String field) {
        return switch (field) {
            case "from" -> "开始时间";
            case "to" -> "结束时间";
            case "day" -> "日期";
            default -> field;
        };
    }

    static LocalDate day(String field, String text) {
        try {
            return text.length() > 10 ? OffsetDateTime.parse(text).atZoneSameInstant(HistoryService.CHINA).toLocalDate()
                    : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, label(field) + "格式不正确：" + text + "，应为日期，如 2026-11-22");
        }
    }
}
