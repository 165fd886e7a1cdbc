package com.powerwatch.hj212;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The data area between {@code CP=&&} and {@code &&}.
 *
 * @param dataTime the DataTime as written (14 or 17 digits), or null when absent
 * @param params   bare keys without a factor code ({@code RtdInterval}, {@code QnRtn}, {@code BeginTime}...), as written
 * @param values   {@code code-field} items ({@code 100000-Ia}, {@code w01018-Rtd}, {@code SB1-RS}) to their values as written,
 *                 in arrival order; factor codes are opaque strings
 */
public record Cp(String dataTime, Map<String, String> params, Map<String, String> values) {

    public static final Cp EMPTY = new Cp(null, Map.of(), Map.of());

    public Cp {
        params = FrozenMap.copyOf(Objects.requireNonNull(params));
        values = FrozenMap.copyOf(Objects.requireNonNull(values));
    }

    /** DataTime as a local (China standard) time, or null when absent; millisecond precision for 17 digits. */
    public LocalDateTime dataTimeValue() {
        return dataTime == null ? null : DataTimes.parse(dataTime);
    }

    public boolean isEmpty() {
        return dataTime == null && params.isEmpty() && values.isEmpty();
    }

    /** The value of one item, e.g. {@code value("100000", "Ia")}, or null. */
    public String value(String code, String field) {
        return values.get(code + '-' + field);
    }

    /** The items grouped by factor code: code → (field → value), in arrival order. */
    public Map<String, Map<String, String>> factors() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            int dash = key.lastIndexOf('-');
            out.computeIfAbsent(key.substring(0, dash), k -> new LinkedHashMap<>()).put(key.substring(dash + 1), e.getValue());
        }
        return out;
    }

    /** The text between {@code CP=&&} and {@code &&}: DataTime, then parameters, then items grouped by factor. */
    public String toText() {
        StringBuilder sb = new StringBuilder(64 + values.size() * 24);
        if (dataTime != null) {
            sb.append("DataTime=").append(dataTime);
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        String lastCode = null;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            String code = key.substring(0, key.lastIndexOf('-'));
            if (sb.length() > 0) {
                sb.append(code.equals(lastCode) ? ',' : ';');
            }
            sb.append(key).append('=').append(e.getValue());
            lastCode = code;
        }
        return sb.toString();
    }

    /** A small builder for packets the server or a simulator sends. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String dataTime;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> values = new LinkedHashMap<>();

        public Builder dataTime(String dataTime) {
            this.dataTime = dataTime;
            return this;
        }

        public Builder dataTime(LocalDateTime time) {
            this.dataTime = DataTimes.format14(time);
            return this;
        }

        public Builder param(String key, String value) {
            if (key.indexOf('-') >= 0 || key.equalsIgnoreCase("DataTime")) {
                throw new IllegalArgumentException("'" + key + "' is not a parameter name");
            }
            params.put(key, value);
            return this;
        }

        public Builder value(String code, String field, String value) {
            if (code.isEmpty() || field.isEmpty() || field.indexOf('-') >= 0) {
                throw new IllegalArgumentException("bad item name '" + code + "-" + field + "'");
            }
            values.put(code + '-' + field, value);
            return this;
        }

        public Cp build() {
            return new Cp(dataTime, params, values);
        }
    }
}
