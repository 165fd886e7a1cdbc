package com.powerwatch.platform.alarm;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alarm types of table alarm_type (seeded by V11), read once at first use: the engine raises only these codes. */
@Component
public class AlarmCatalogue {

    public record AlarmType(String code, String name, String category, String categoryName, AlarmLevel defaultLevel,
                            String description) {
    }

    private final JdbcTemplate jdbc;
    private volatile Map<String, AlarmType> types;

    AlarmCatalogue(JdbcTemplate jdbc) {
        this.jdbc = jdbc; // read at first use: the platform starts before the database may be there
    }

    private Map<String, AlarmType> types() {
        Map<String, AlarmType> t = types;
        if (t == null) {
            Map<String, AlarmType> loaded = new LinkedHashMap<>();
            jdbc.query("select code, name, category, category_name, default_level, description from alarm_type order by sort_order",
                    rs -> {
                        loaded.put(rs.getString(1), new AlarmType(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), AlarmLevel.valueOf(rs.getString(5)), rs.getString(6)));
                    });
            types = t = loaded;
        }
        return t;
    }

    public List<AlarmType> all() {
        return List.copyOf(types().values());
    }

    /** The type, or IllegalArgumentException (a bug in the caller, not bad user input). */
    public AlarmType require(String code) {
        AlarmType t = code == null ? null : types().get(code);
        if (t == null) {
            throw new IllegalArgumentException("unknown alarm type " + code + "; known: " + types().keySet());
        }
        return t;
    }

    /** For API input: 400 naming the field. */
    public AlarmType requireParam(String field, String code) {
        AlarmType t = code == null ? null : types().get(code.trim());
        if (t == null) {
            throw ApiException.badRequest(field, "报警类型不存在：" + code);
        }
        return t;
    }

    public boolean isCategory(String code) {
        return types().values().stream().anyMatch(t -> t.category().equals(code));
    }
}
