package com.powerwatch.platform.datacheck;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.List;
import java.util.Map;

/**
 * A rule that is one SQL statement returning the columns enterprise_id, object_type, object_id, object_name and
 * evidence (JSON text). Subclasses give the statement and, when needed, extra named parameters.
 */
public abstract class SqlCheckRule implements DataCheckRule {

    private final NamedParameterJdbcTemplate jdbc;
    private final String code;
    private final String nameZh;
    private final Category category;
    private final Severity severity;

    protected SqlCheckRule(NamedParameterJdbcTemplate jdbc, String code, String nameZh, Category category, Severity severity) {
        this.jdbc = jdbc;
        this.code = code;
        this.nameZh = nameZh;
        this.category = category;
        this.severity = severity;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String nameZh() {
        return nameZh;
    }

    @Override
    public Category category() {
        return category;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    protected abstract String sql(CheckContext ctx);

    /** Named parameters of {@link #sql}; by default the context's. */
    protected Map<String, Object> parameters(CheckContext ctx) {
        return ctx.parameters();
    }

    @Override
    public List<Finding> run(CheckContext ctx) {
        return jdbc.query(sql(ctx), parameters(ctx), (rs, i) -> new Finding(rs.getLong("enterprise_id"),
                ObjectType.valueOf(rs.getString("object_type")), rs.getLong("object_id"), rs.getString("object_name"),
                rs.getString("evidence")));
    }
}
