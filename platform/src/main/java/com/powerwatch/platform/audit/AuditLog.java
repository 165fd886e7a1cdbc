package com.powerwatch.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.auth.PowerWatchUser;
import com.powerwatch.platform.auth.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit log (系统日志): who did what to what, when, from where, and how it ended.
 *
 * <p>Features call {@link #record(String, String, Map)} for their domain events ("ALARM_CONFIRMED",
 * "enterprise:12", {...}); the user and client address are taken from the current request. Rows are written
 * synchronously on the caller's connection: inside a transaction they commit or roll back with the change they
 * describe, so the log never claims a change that did not happen (the API request row written by
 * {@link ApiAuditFilter} still shows the attempt). Values of secret-looking keys (password, token, secret …) and of
 * personal contact keys (phone, email) are masked before anything is stored.
 */
@Component
public class AuditLog {

    /** PENDING: an API request recorded before it ran whose end could not be recorded (see {@link ApiAuditFilter}). */
    public enum Outcome { SUCCESS, FAILURE, DENIED, PENDING }

    /** Who acted, when not the caller of the current request (e.g. a login, where nobody is authenticated yet). */
    public record Actor(Long userId, String username, String role) {
        public static Actor of(PowerWatchUser user) {
            return new Actor(user.id(), user.username(), user.role().name());
        }
    }

    /** One row; the HTTP fields are null for domain events. */
    public record Entry(Actor actor, String action, String target, Outcome outcome, String ip, String httpMethod,
                        String path, String route, Integer status, Integer durationMs, Object detail) {
    }

    static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret|token|credential|authorization|api[-_]?key|private[-_]?key).*");
    /** Personal contact details (users' and enterprise contacts' phones and e-mail addresses) are masked too. */
    static final Pattern PERSONAL_KEY = Pattern.compile("(?i)(phone|mobile|e-?mail)s?");
    static final String MASK = "***";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AuditLog(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A successful domain event by the current caller. {@code detail} may be null. */
    public void record(String action, String target, Map<String, ?> detail) {
        record(action, target, Outcome.SUCCESS, detail);
    }

    public void record(String action, String target, Outcome outcome, Map<String, ?> detail) {
        record(currentActor(), action, target, outcome, detail);
    }

    /** A domain event by a named actor (or null: the system itself). */
    public void record(Actor actor, String action, String target, Outcome outcome, Map<String, ?> detail) {
        write(new Entry(actor, action, target, outcome, currentIp(), null, null, null, null, null, detail));
    }

    public void write(Entry e) {
        insert(e);
    }

    /**
     * Data read out in bulk by the current caller — an Excel export, a page of raw frames, an audit search — as one
     * {@code EXPORT} row: the caller's scope, what was asked (the request's query parameters, secrets masked) and how
     * many rows went out. Throws when the row cannot be written, so nothing leaves unrecorded.
     *
     * @param what  what was exported: "alarms", "registry", "raw-frames", "audit-log"
     * @param rows  rows handed out
     * @param more  further facts (e.g. how many matched when the export was cut at its limit); may be empty
     */
    public void recordExport(String what, long rows, Map<String, ?> more) {
        PowerWatchUser user = AccessScope.currentUser();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("scope", user.role() == Role.ENTERPRISE_USER ? Map.of("enterpriseId", user.enterpriseId())
                : user.regionCodes().isEmpty() ? Map.of("all", true) : Map.of("regions", user.regionCodes()));
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a) {
            Map<String, Object> query = new LinkedHashMap<>();
            a.getRequest().getParameterMap().forEach((k, v) -> query.put(k, v.length == 1 ? v[0] : List.of(v)));
            detail.put("query", query);
        }
        detail.put("rows", rows);
        detail.putAll(more);
        record(Actor.of(user), "EXPORT", what, Outcome.SUCCESS, detail);
    }

    /**
     * Writes the row of an API request before the request runs (outcome {@link Outcome#PENDING}) and returns its
     * id; throws when the row cannot be written, and then the request must not run.
     */
    public long begin(Entry e) {
        return insert(e);
    }

    /** Completes a row written by {@link #begin}: how the request ended. */
    public void finish(long id, String target, String route, Outcome outcome, int status, int durationMs) {
        jdbc.update("update audit_log set target = ?, route = ?, outcome = ?, status = ?, duration_ms = ? where id = ?",
                target, route, outcome.name(), status, durationMs, id);
    }

    private long insert(Entry e) {
        Actor a = e.actor() == null ? new Actor(null, null, null) : e.actor();
        Long id = jdbc.queryForObject("""
                        insert into audit_log (user_id, username, role, action, target, outcome, ip, http_method, path, route,
                                               status, duration_ms, detail)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning id""", Long.class,
                a.userId(), a.username(), a.role(), e.action(), storable(e.target()), e.outcome().name(), e.ip(), e.httpMethod(),
                storable(e.path()), e.route(), e.status(), e.durationMs(), toJson(e.detail()));
        return id == null ? -1 : id;
    }

    String toJson(Object detail) {
        if (detail == null) {
            return "{}";
        }
        JsonNode node = detail instanceof JsonNode n ? n.deepCopy() : json.valueToTree(detail);
        try {
            return json.writeValueAsString(mask(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces, in place and at any depth, the values of keys that look like secrets. */
    static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            storableKeys(object);
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if ((SECRET_KEY.matcher(f.getKey()).matches() || PERSONAL_KEY.matcher(f.getKey()).matches())
                        && !f.getValue().isNull()) {
                    f.setValue(object.textNode(MASK));
                } else if (f.getValue().isTextual() && f.getValue().textValue().indexOf('\0') >= 0) {
                    f.setValue(object.textNode(storable(f.getValue().textValue())));
                } else {
                    mask(f.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual() && array.get(i).textValue().indexOf('\0') >= 0) {
                    array.set(i, array.textNode(storable(array.get(i).textValue())));
                } else {
                    mask(array.get(i));
                }
            }
        }
        return node;
    }

    /**
     * PostgreSQL stores no NUL character, in text or jsonb: it is shown as ␀ (U+2400), so that a request holding one is
     * recorded as it came rather than not at all.
     */
    static String storable(String text) {
        return text == null ? null : text.replace('\0', '\u2400');
    }

    private static void storableKeys(ObjectNode object) {
        List<String> bad = new ArrayList<>();
        object.fieldNames().forEachRemaining(k -> {
            if (k.indexOf('\0') >= 0) {
                bad.add(k);
            }
        });
        for (String k : bad) {
            object.set(storable(k), object.remove(k));
        }
    }

    static Actor currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof PowerWatchUser user ? Actor.of(user) : null;
    }

    /** The client address of the current request, or null outside one. Behind a reverse proxy set {@code server.forward-headers-strategy}. */
    public static String currentIp() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
                ? clientIp(a.getRequest()) : null;
    }

    static String clientIp(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
