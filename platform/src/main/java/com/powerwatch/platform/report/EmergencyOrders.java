package com.powerwatch.platform.report;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;

/**
 * The emergency (重污染天气应急) stop and limit orders of a period, as SQL: a warning's measures reach the engine as
 * production orders with source EMERGENCY (docs/alarms.md), so both district emergency reports read those — an order
 * counts for the part of its validity inside the period and up to now (a revoked order until it was revoked).
 */
final class EmergencyOrders {

    /** The alarms that say an enterprise did not keep its emergency measure. */
    static final String VIOLATIONS = "('PRODUCTION_DURING_STOP', 'LIMIT_NOT_KEPT')";

    private EmergencyOrders() {
    }

    /**
     * A {@code with} clause defining {@code ow(order_id, enterprise_id, kind, wf, wt)}: each emergency order's window
     * within the period, for the enterprises of the query's scope and region. Adds {@code :now} to {@code p}.
     */
    static String windows(ReportQuery q, MapSqlParameterSource p) {
        String where = q.enterpriseWhere(p);
        p.addValue("now", Timestamp.from(q.now().truncatedTo(ChronoUnit.MINUTES)));
        return """
                with ow as (
                  select * from (
                    select po.id as order_id, po.enterprise_id, po.kind, greatest(po.valid_from, :from) as wf,
                           least(case when po.status = 'REVOKED' then least(po.valid_to, coalesce(po.revoked_at, po.valid_to)) else po.valid_to end,
                                 :to, :now) as wt
                    from production_order po join enterprise e on e.id = po.enterprise_id
                    where po.source = 'EMERGENCY' and po.valid_from < :to and po.valid_to > :from and """ + " " + where + """
                  ) x where wf < wt)
                """;
    }
}
