package com.powerwatch.platform.report;

import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A result row as a map of its column labels, numbers as long or double (what the renderers expect). */
final class Rows {

    static final RowMapper<Map<String, Object>> MAP = Rows::map;

    private Rows() {
    }

    static Map<String, Object> map(ResultSet rs, int i) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
            Object v = rs.getObject(c);
            if (v instanceof Integer || v instanceof Short || v instanceof java.math.BigInteger) {
                v = ((Number) v).longValue();
            } else if (v instanceof java.math.BigDecimal || v instanceof Float) {
                v = ((Number) v).doubleValue();
            } else if (v instanceof java.sql.Date d) {
                v = d.toLocalDate().toString();
            }
            m.put(md.getColumnLabel(c), v);
        }
        return m;
    }

    static long n(Map<String, Object> row, String key) {
        return row.get(key) instanceof Number n ? n.longValue() : 0;
    }

    static double d(Map<String, Object> row, String key) {
        return row.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
