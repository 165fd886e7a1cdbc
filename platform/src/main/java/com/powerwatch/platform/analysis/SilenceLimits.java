package com.powerwatch.platform.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.powerwatch.platform.alarm.AlarmRuleSchema;
import com.powerwatch.platform.alarm.RuleParameter;
import com.powerwatch.platform.alarm.RuleParameterCheck;
import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.powerwatch.platform.analysis.AlarmEngine.LOGGER_OFFLINE;
import static com.powerwatch.platform.analysis.AlarmEngine.METER_OFFLINE;

/**
 * The data clock's future tolerance against the silence limits. A frame dated ahead moves the {@link DataClock} by at
 * most the tolerance, and every meter then looks that much more silent on it; so the tolerance must stay below the
 * smallest silence limit any rule can give — max(intervalMultiple × interval, {@code minimumMinutes}), or
 * {@code unknownIntervalMinutes} — in the schema's defaults and in every saved LOGGER_OFFLINE / METER_OFFLINE rule.
 * Checked when the engine starts (the platform refuses to start) and when a rule is saved (400).
 */
final class SilenceLimits implements RuleParameterCheck {

    static final List<String> TYPES = List.of(LOGGER_OFFLINE, METER_OFFLINE);
    static final List<String> PARAMS = List.of("minimumMinutes", "unknownIntervalMinutes");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration tolerance;

    SilenceLimits(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /** Refuses a tolerance that is not below every silence limit in force (defaults and saved rules). */
    void checkAtStart(JdbcTemplate jdbc) {
        for (String type : TYPES) {
            for (RuleParameter p : AlarmRuleSchema.of(type)) {
                if (PARAMS.contains(p.name())) {
                    require(((Number) p.defaultValue()).doubleValue(), type + " " + p.name() + " (default)");
                }
            }
        }
        jdbc.query("select id, type, params::text from alarm_rule where type in ('" + String.join("','", TYPES) + "')", rs -> {
            JsonNode params;
            try {
                params = JSON.readTree(rs.getString(3));
            } catch (IOException e) {
                return; // the rule's own validation reports it
            }
            for (String name : PARAMS) {
                JsonNode v = params.get(name);
                if (v != null && v.isNumber()) {
                    require(v.doubleValue(), rs.getString(2) + " " + name + " (alarm_rule " + rs.getLong(1) + ")");
                }
            }
        });
    }

    private void require(double minutes, String where) {
        if (!below(minutes)) {
            throw new IllegalStateException("powerwatch.analysis.future-tolerance (" + tolerance + ") must be below every "
                    + "silence limit, but " + where + " is " + (long) minutes + " min: lower the tolerance or raise the limit");
        }
    }

    private boolean below(double minutes) {
        return tolerance.toMillis() < minutes * 60_000;
    }

    /** A rule that would set a silence limit at or below the tolerance is refused. */
    @Override
    public void check(String type, Map<String, Object> params) {
        if (!TYPES.contains(type)) {
            return;
        }
        for (String name : PARAMS) {
            if (params.get(name) instanceof Number n && !below(n.doubleValue())) {
                String allowed = tolerance.toSeconds() % 60 == 0 ? tolerance.toMinutes() + " 分钟" : tolerance.toSeconds() + " 秒";
                throw ApiException.badRequest("params." + name, "离线判定时间须大于数据时钟允许的超前量（" + allowed
                        + "），收到：" + n + " 分钟");
            }
        }
    }
}
