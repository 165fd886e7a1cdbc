package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Who receives 日报 / 周报 / 月报 ({@code report_subscription}); each user sets only their own. */
@Repository
class ReportSubscriptions {

    private final NamedParameterJdbcTemplate jdbc;

    ReportSubscriptions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<PeriodicKind> of(long userId) {
        return jdbc.query("select kind from report_subscription where user_id = :u order by kind", Map.of("u", userId),
                (rs, i) -> PeriodicKind.valueOf(rs.getString(1)));
    }

    @Transactional
    void set(long userId, Collection<PeriodicKind> kinds) {
        jdbc.update("delete from report_subscription where user_id = :u", Map.of("u", userId));
        for (PeriodicKind k : kinds) {
            jdbc.update("insert into report_subscription (user_id, kind) values (:u, :k) on conflict do nothing",
                    new MapSqlParameterSource("u", userId).addValue("k", k.name()));
        }
    }

    /** The enabled users subscribed to {@code kind}. */
    List<Long> subscribers(PeriodicKind kind) {
        return jdbc.queryForList("select s.user_id from report_subscription s join app_user u on u.id = s.user_id"
                + " where s.kind = :k and u.enabled and u.role <> 'API_CLIENT' order by s.user_id", Map.of("k", kind.name()), Long.class);
    }
}
